import { DomainError, ErrorCodes, type Clock, type ErrorKind, type Logger } from '@campus/platform';
import { CheckoutErrors } from '../domain/errors';
import type { ParticipantError, Saga, SagaAction, StepOutcome } from '../domain/records';
import { advance, isEnded, nextAction, PARTICIPANT_OF, type SagaPolicy } from '../domain/saga';
import { batchCompleted, sagaOutcome } from '../events/checkout-events';
import type { Participants, SagaStore, StepRun } from './ports';

/** What the runner reports as it goes (metrics). */
export interface SagaObserver {
  stepFinished(run: StepRun): void;
  sagaEnded(saga: Saga): void;
}

export interface SagaRunnerOptions {
  store: SagaStore;
  participants: Participants;
  clock: Clock;
  policy: SagaPolicy;
  logger: Logger;
  /** Sagas driven at once by this process (each waits on one participant call at a time). */
  concurrency: number;
  /** How long a claimed saga stays this process's: longer than one participant call's deadline. */
  leaseMs: number;
  observer?: SagaObserver;
}

/**
 * Failures that retrying may cure; anything else is the participant's considered refusal. A
 * participant refusing this service itself (UNAUTHENTICATED, FORBIDDEN: its credential or the
 * participant's allow-list) is a configuration to fix, not a refusal of the check-out: a refused
 * compensation ends the saga for an operator, so such a failure must be retried instead.
 */
const RETRYABLE: readonly ErrorKind[] = [
  'UNAVAILABLE',
  'INTERNAL',
  'TOO_MANY_REQUESTS',
  'BAD_GATEWAY',
  'UNAUTHENTICATED',
  'FORBIDDEN',
];

/**
 * A participant's DomainError as it is; anything else (a bug, a broken connection below the gRPC
 * client) is an unexpected failure, retried, whose own message stays in the log: it is no
 * participant's answer and lastError, failureReason and the check_out_failed event are read by
 * staff and other services.
 */
function outcomeOf(error: unknown, action: SagaAction): StepOutcome {
  if (error instanceof DomainError) {
    const detail: ParticipantError = { code: error.code, message: error.message, details: error.details };
    return RETRYABLE.includes(error.kind) ? { kind: 'unavailable', error: detail } : { kind: 'refused', error: detail };
  }
  const message = `${PARTICIPANT_OF[action.step]} failed unexpectedly (${action.kind} ${action.step})`;
  return { kind: 'unavailable', error: { code: ErrorCodes.INTERNAL, message, details: {} } };
}

/**
 * Drives sagas: claims due ones from the database (a lease, so that replicas never run one saga at
 * once and a killed runner's sagas are taken over when its lease passes), runs each saga's next
 * action, and saves the outcome (with its events) before the following one. Everything it knows is
 * in the database, so a restarted orchestrator resumes each saga where its last saved step left
 * it; a step whose result was not saved yet is simply run again (participants are idempotent by
 * the check-out id).
 *
 * `drain()` is what the scheduler's tick (and a new batch) calls: it returns when nothing is due.
 */
export class SagaRunner {
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly options: SagaRunnerOptions) {}

  /** Runs every due saga as far as it can go now; concurrent calls share one drain. */
  drain(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          await Promise.all(Array.from({ length: this.options.concurrency }, () => this.work()));
        } while (this.again && !this.stopped);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  /** Stops claiming and waits for the sagas in hand to reach their next saved state. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.draining;
  }

  private async work(): Promise<void> {
    while (!this.stopped) {
      const now = this.options.clock.now();
      let claimed: Saga[];
      try {
        claimed = await this.options.store.claimDue(now, 1, new Date(now.getTime() + this.options.leaseMs));
      } catch (error) {
        this.options.logger.warn({ err: error }, 'checkout: claiming due sagas failed; the next tick retries');
        return;
      }
      const saga = claimed[0];
      if (!saga) return;
      await this.runSaga(saga);
    }
  }

  /** One saga, action after action, until it waits for a retry, ends, or is taken over. */
  async runSaga(claimed: Saga): Promise<void> {
    let saga = claimed;
    for (;;) {
      const action = nextAction(saga);
      if (!action) return;
      const startedAt = this.options.clock.now();
      const outcome = await this.call(action, saga);
      const now = this.options.clock.now();
      const next = advance(saga, action, outcome, now, this.options.policy);
      const ended = isEnded(next);
      const continuing = !ended && next.nextAttemptAt.getTime() <= now.getTime();
      const run: StepRun = {
        sagaId: saga.id,
        step: action.step,
        action: action.kind,
        attempt: saga.attempt + 1,
        outcome: outcome.kind,
        errorCode: outcome.kind === 'done' ? null : outcome.error.code,
        message: outcome.kind === 'done' ? null : outcome.error.message,
        startedAt,
        durationMs: now.getTime() - startedAt.getTime(),
      };
      const outcomeEvent = ended ? sagaOutcome(next, now) : null;
      let saved: Saga | null;
      try {
        saved = await this.options.store.save({
          saga: next,
          leaseUntil: continuing ? new Date(now.getTime() + this.options.leaseMs) : null,
          run,
          events: outcomeEvent ? [outcomeEvent] : [],
          batchEndedEvents: (batch, counts, at) => [batchCompleted(batch, counts, at)],
        });
      } catch (error) {
        // Not saved: the lease runs out and the action runs again (idempotent at the participant).
        this.options.logger.warn(
          { err: error, checkoutId: saga.id },
          'checkout: saving a step failed; it will be retried',
        );
        return;
      }
      this.options.observer?.stepFinished(run);
      if (!saved) {
        this.options.logger.warn({ checkoutId: saga.id }, 'checkout: saga taken over by another runner');
        return;
      }
      if (outcome.kind !== 'done') {
        this.options.logger.info(
          {
            checkoutId: saga.id,
            step: action.step,
            action: action.kind,
            outcome: outcome.kind,
            code: outcome.error.code,
          },
          `checkout: ${action.kind} ${action.step} ${outcome.kind}: ${outcome.error.message}`,
        );
      }
      if (ended) {
        this.options.observer?.sagaEnded(saved);
        const incomplete = saved.failure?.code === CheckoutErrors.codes.COMPENSATION_INCOMPLETE;
        // An incomplete compensation left the student half checked out: an operator must act.
        this.options.logger[incomplete ? 'error' : 'info'](
          { checkoutId: saga.id, batchId: saga.batchId, status: saved.status, failureCode: saved.failure?.code },
          incomplete
            ? `checkout: saga failed, compensation incomplete: ${saved.failure!.reason}`
            : `checkout: saga ${saved.status}`,
        );
      }
      if (!continuing) return;
      saga = saved;
    }
  }

  private async call(action: SagaAction, saga: Saga): Promise<StepOutcome> {
    try {
      await this.options.participants.run(action, saga);
      return { kind: 'done' };
    } catch (error) {
      if (!(error instanceof DomainError)) {
        this.options.logger.error(
          { err: error, checkoutId: saga.id, step: action.step, action: action.kind },
          `checkout: ${action.kind} ${action.step} failed unexpectedly`,
        );
      }
      return outcomeOf(error, action);
    }
  }
}
