// The check-out saga's definition (architecture standard: orchestration): which action comes next and
// what an action's outcome does to the saga. Pure: the runner (services/saga-runner.service.ts) does
// the calls and persists what this returns, so a restarted orchestrator resumes from the stored state.
import {
  STEPS,
  type ParticipantError,
  type Saga,
  type SagaAction,
  type SagaFailure,
  type SagaPosition,
  type StepName,
  type StepOutcome,
} from './records';

export interface SagaPolicy {
  /** How long one forward step may keep failing with UNAVAILABLE (from its first failure) before the saga compensates. */
  stepTimeoutMs: number;
  /** How long the forward part of a saga may take in all. */
  sagaTimeoutMs: number;
  /**
   * How long one compensation may keep failing with UNAVAILABLE (from its first failure) before the
   * saga gives up on undoing and ends FAILED with CHECKOUT_COMPENSATION_INCOMPLETE, for an operator.
   */
  compensationTimeoutMs: number;
  /** First retry delay; doubled per failed attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
}

/** The participant code of a held coworking key: the one business refusal with a code of its own. */
export const KEY_HELD_PARTICIPANT_CODE = 'COWRK_KEY_HELD';

/**
 * Identity's answer to undoing deactivate_account once FinishCheckOut has committed (the room place
 * is released): the check-out it undoes has in fact succeeded.
 */
export const CHECKOUT_FINISHED_PARTICIPANT_CODE = 'AUTH_CHECKOUT_FINISHED';

/** Which service does a step (for messages and metrics). */
export const PARTICIPANT_OF: Record<SagaPosition, string> = {
  release_bookings: 'coworking',
  withdraw_leave: 'leave',
  close_sanctions: 'duty',
  deactivate_account: 'identity',
  finish: 'identity',
};

export function retryDelayMs(policy: SagaPolicy, attempt: number): number {
  return Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
}

/** What the saga needs next; null once it has ended. */
export function nextAction(saga: Saga): SagaAction | null {
  if (saga.status === 'running') return { kind: 'do', step: saga.step };
  if (saga.status === 'compensating') {
    const step = saga.toCompensate[0];
    return step ? { kind: 'undo', step } : null;
  }
  return null;
}

/** The forward step after `step` (the last one is followed by `finish`). */
export function stepAfter(step: StepName): SagaPosition {
  return STEPS[STEPS.indexOf(step) + 1] ?? 'finish';
}

/**
 * Why a held key stops the check-out, by the booking's status (coworking's details.status): said
 * returned (key_returned) only waits for an educator to confirm it; anything else is still out.
 */
function keyHeldReason(details: Record<string, unknown>): string {
  const name = typeof details.coworkingName === 'string' ? details.coworkingName : 'a coworking';
  return details.status === 'key_returned'
    ? `The student says the key of ${name} is back; an educator must confirm its return (complete the booking) before the check-out`
    : `The student holds the key of ${name}; it must come back before the check-out`;
}

/** A participant's refusal as the check-out's failure: a held key keeps its own code and names the coworking. */
export function refusalFailure(step: SagaPosition, error: ParticipantError): SagaFailure {
  if (error.code === KEY_HELD_PARTICIPANT_CODE) {
    return {
      step,
      code: 'CHECKOUT_KEY_HELD',
      reason: keyHeldReason(error.details),
      details: { ...error.details, participantCode: error.code },
    };
  }
  return {
    step,
    code: 'CHECKOUT_STEP_REFUSED',
    reason: `${PARTICIPANT_OF[step]} refused: ${error.message}`,
    details: { ...error.details, participantCode: error.code },
  };
}

function timeoutFailure(
  step: SagaPosition,
  error: ParticipantError,
  policy: SagaPolicy,
  sagaExpired: boolean,
): SagaFailure {
  const limit = sagaExpired ? `the check-out's ${policy.sagaTimeoutMs / 1000} s` : `${policy.stepTimeoutMs / 1000} s`;
  return {
    step,
    code: 'CHECKOUT_STEP_TIMED_OUT',
    reason: `The ${PARTICIPANT_OF[step]} service did not complete ${step} within ${limit} (last error: ${error.message})`,
    details: { participantCode: error.code },
  };
}

/** Stops the forward part: undo `toUndo` (in reverse order of doing), or end failed when there is nothing to undo. */
function compensate(saga: Saga, failure: SagaFailure, toUndo: readonly StepName[], now: Date): Saga {
  const toCompensate = [...toUndo].reverse();
  return {
    ...saga,
    status: toCompensate.length ? 'compensating' : 'failed',
    failure,
    toCompensate,
    attempt: 0,
    nextAttemptAt: now,
    lastError: null,
    endedAt: toCompensate.length ? null : now,
  };
}

/**
 * The undo of deactivate_account answered AUTH_CHECKOUT_FINISHED: FinishCheckOut had committed in
 * identity although its answer never reached the saga (e.g. it came back after the saga's
 * deadline). Every forward step then succeeded, so the check-out has succeeded: it ends SUCCEEDED
 * rather than undoing the earlier steps of a student identity has checked out for good. Only when
 * the saga failed at `finish` and nothing was undone yet (deactivate_account is undone first).
 */
function finishedAfterAll(saga: Saga, step: StepName, error: ParticipantError): boolean {
  return (
    step === 'deactivate_account' &&
    error.code === CHECKOUT_FINISHED_PARTICIPANT_CODE &&
    saga.failure?.step === 'finish' &&
    saga.compensated.length === 0
  );
}

/**
 * Gives up undoing: the saga ends FAILED with CHECKOUT_COMPENSATION_INCOMPLETE, naming the step that
 * could not be undone and those left (`toCompensate` keeps them, next first). The later undos are
 * not tried: each assumes the ones before it happened (e.g. bookings restored for a student still
 * deactivated). Ended, the saga no longer holds the student's one active check-out: an operator
 * reconciles them (alerted by the failure code) and may check them out again.
 */
function compensationIncomplete(
  saga: Saga,
  step: StepName,
  why: string,
  error: ParticipantError,
  attempt: number,
  now: Date,
): Saga {
  const cause = saga.failure;
  const notCompensated = [...saga.toCompensate];
  return {
    ...saga,
    status: 'failed',
    failure: {
      step: cause?.step ?? saga.step,
      code: 'CHECKOUT_COMPENSATION_INCOMPLETE',
      reason:
        `Compensation incomplete: ${why}; not undone: ${notCompensated.join(', ')}. ` +
        `The student is half checked out and needs an operator. The check-out had failed: ${cause?.reason ?? 'unknown'}`,
      details: {
        participantCode: error.code,
        compensationStep: step,
        notCompensated,
        cause: cause ? { code: cause.code, reason: cause.reason, details: cause.details } : null,
      },
    },
    attempt,
    lastError: `${error.code}: ${error.message}`,
    endedAt: now,
  };
}

/**
 * The saga after `action` came to `outcome` at `now`.
 *
 * Forward: done → the next step (or `finish`, then succeeded). Refused → compensate the done steps
 * (the refusing step changed nothing). Unavailable → retry with backoff until the step's deadline
 * or the saga's, then compensate the done steps AND this one (its effect is unknown; compensations
 * are idempotent and a participant undoes nothing it did not do).
 *
 * Compensation: done → the next one (none left: failed). Unavailable → retry with backoff until the
 * compensation's deadline (from its first failure; operators see it through lastError, attempts and
 * the alert on long compensations, and the saga finishes by itself once the participant is back).
 * Refused, or past that deadline → retrying cannot help: the saga ends FAILED with
 * CHECKOUT_COMPENSATION_INCOMPLETE (see compensationIncomplete) instead of blocking the student
 * forever — except identity's AUTH_CHECKOUT_FINISHED, which means the check-out succeeded after all.
 */
export function advance(saga: Saga, action: SagaAction, outcome: StepOutcome, now: Date, policy: SagaPolicy): Saga {
  const base: Saga = { ...saga, updatedAt: now };
  if (action.kind === 'undo') {
    const step = action.step;
    if (outcome.kind === 'done') {
      const toCompensate = base.toCompensate.slice(1);
      return {
        ...base,
        toCompensate,
        compensated: [...base.compensated, step],
        attempt: 0,
        nextAttemptAt: now,
        lastError: null,
        status: toCompensate.length ? 'compensating' : 'failed',
        endedAt: toCompensate.length ? null : now,
      };
    }
    const attempt = base.attempt + 1;
    if (outcome.kind === 'refused') {
      if (finishedAfterAll(base, step, outcome.error)) {
        return {
          ...base,
          status: 'succeeded',
          toCompensate: [],
          failure: null,
          attempt: 0,
          nextAttemptAt: now,
          lastError: null,
          endedAt: now,
        };
      }
      const why = `${PARTICIPANT_OF[step]} refused to undo ${step} (${outcome.error.code}: ${outcome.error.message})`;
      return compensationIncomplete(base, step, why, outcome.error, attempt, now);
    }
    // As a forward step's: the deadline runs from the compensation's first failure (stepStartedAt).
    const failingSince = base.attempt === 0 ? now : base.stepStartedAt;
    if (now.getTime() >= failingSince.getTime() + policy.compensationTimeoutMs) {
      const why =
        `the ${PARTICIPANT_OF[step]} service did not undo ${step} within ${policy.compensationTimeoutMs / 1000} s ` +
        `(last error: ${outcome.error.code}: ${outcome.error.message})`;
      return compensationIncomplete(base, step, why, outcome.error, attempt, now);
    }
    return {
      ...base,
      attempt,
      stepStartedAt: failingSince,
      nextAttemptAt: new Date(now.getTime() + retryDelayMs(policy, attempt)),
      lastError: `${outcome.error.code}: ${outcome.error.message}`,
    };
  }

  const step = action.step;
  if (outcome.kind === 'done') {
    if (step === 'finish') return { ...base, status: 'succeeded', attempt: 0, lastError: null, endedAt: now };
    return {
      ...base,
      done: [...base.done, step],
      step: stepAfter(step),
      attempt: 0,
      stepStartedAt: now,
      nextAttemptAt: now,
      lastError: null,
    };
  }
  if (outcome.kind === 'refused') return compensate(base, refusalFailure(step, outcome.error), base.done, now);

  const attempt = base.attempt + 1;
  // A step's deadline runs from its first failure: a saga queued behind a big batch loses no time.
  const stepStartedAt = base.attempt === 0 ? now : base.stepStartedAt;
  const stepExpired = now.getTime() >= stepStartedAt.getTime() + policy.stepTimeoutMs;
  const sagaExpired = now.getTime() >= base.deadlineAt.getTime();
  if (stepExpired || sagaExpired) {
    const maybeDone = step === 'finish' ? base.done : [...base.done, step];
    return compensate(base, timeoutFailure(step, outcome.error, policy, sagaExpired), maybeDone, now);
  }
  return {
    ...base,
    attempt,
    stepStartedAt,
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(policy, attempt)),
    lastError: `${outcome.error.code}: ${outcome.error.message}`,
  };
}

/** A new saga for one student of a batch, at its first step. */
export function startSaga(input: {
  id: string;
  batchId: string;
  student: { id: string; fullName: string; room: Saga['room'] };
  requestedBy: string;
  reason: string;
  now: Date;
  policy: SagaPolicy;
}): Saga {
  const { now } = input;
  return {
    id: input.id,
    batchId: input.batchId,
    studentId: input.student.id,
    studentName: input.student.fullName,
    room: input.student.room,
    requestedBy: input.requestedBy,
    reason: input.reason,
    status: 'running',
    step: STEPS[0],
    attempt: 0,
    stepStartedAt: now,
    nextAttemptAt: now,
    deadlineAt: new Date(now.getTime() + input.policy.sagaTimeoutMs),
    done: [],
    toCompensate: [],
    compensated: [],
    failure: null,
    lastError: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
    endedAt: null,
  };
}

export const isEnded = (saga: Pick<Saga, 'status'>): boolean => saga.status === 'succeeded' || saga.status === 'failed';
