import { currentTraceId, DomainError, serviceBusy, type Clock } from '@campus/platform';
import {
  foldEvents,
  isWithdrawnBy,
  recordEvents,
  reinstateAfterCheckOut,
  withdrawForCheckOut,
  type LeaveApplicationState,
  type SystemEvent,
} from '../domain/leave-application';
import { toCloudEvents } from '../events/integration-events';
import type { CheckoutStore, CheckoutTransaction } from './ports';

export interface CheckoutParticipantDeps {
  store: CheckoutStore;
  clock: Clock;
  /** Called after a transaction that appended events commits (wakes the outbox relay up). */
  onCommitted?: () => void;
  /** Attempts when a student's command appends to the same application meanwhile (3). */
  attempts?: number;
}

/**
 * The leave step of a check-out (domain spec §9), called by the saga's orchestrator over gRPC
 * (service authentication, no user): withdraw the leaving student's pending applications on behalf
 * of the system, or undo that when a later step fails. Both are idempotent by check-out id, so the
 * orchestrator may retry freely, and may undo a withdrawal that never happened: the undo then
 * leaves a tombstone and a late withdrawal changes nothing.
 */
export class CheckoutParticipant {
  constructor(private readonly deps: CheckoutParticipantDeps) {}

  /** Withdraws the student's pending applications (events `withdrawn`, no actor, the check-out's id); their ids. */
  withdrawPending(input: { userId: string; checkoutId: string }): Promise<string[]> {
    const { userId, checkoutId } = input;
    return this.run(checkoutId, async (tx) => {
      // A repeat answers what the first call withdrew; after a tombstone, nothing.
      const earlier = await tx.record();
      if (earlier) return { answer: earlier.withdrawnIds, appended: false };

      const at = this.deps.clock.now();
      const candidates = await tx.pendingOf(userId);
      const streams = await tx.load(candidates);
      const withdrawn: string[] = [];
      for (const id of candidates) {
        const state = foldEvents(streams.get(id) ?? []);
        // The read model is written with the events, so this only guards against a stale row.
        if (state?.status !== 'PENDING' || state.applicantId !== userId) continue;
        await this.append(tx, state, withdrawForCheckOut(state, checkoutId), at);
        withdrawn.push(id);
      }
      await tx.saveRecord({
        checkoutId,
        studentId: userId,
        withdrawnIds: withdrawn,
        withdrawnAt: at,
        reinstatedAt: null,
        reinstatedIds: [],
      });
      return { answer: withdrawn, appended: withdrawn.length > 0 };
    });
  }

  /** Makes what the check-out withdrew pending again (events `reinstated`); the ids pending again. */
  reinstate(input: { checkoutId: string }): Promise<string[]> {
    const { checkoutId } = input;
    return this.run(checkoutId, async (tx) => {
      const at = this.deps.clock.now();
      const earlier = await tx.record();
      if (!earlier) {
        // The withdrawal never happened (its call timed out before reaching us): remember the undo.
        await tx.saveRecord({
          checkoutId,
          studentId: null,
          withdrawnIds: [],
          withdrawnAt: null,
          reinstatedAt: at,
          reinstatedIds: [],
        });
        return { answer: [], appended: false };
      }
      if (earlier.reinstatedAt) return { answer: earlier.reinstatedIds, appended: false };

      const streams = await tx.load(earlier.withdrawnIds);
      const reinstated: string[] = [];
      for (const id of earlier.withdrawnIds) {
        const state = foldEvents(streams.get(id) ?? []);
        // Nothing but this check-out's undo changes a withdrawn application, so this always holds.
        if (!state || !isWithdrawnBy(state, checkoutId)) continue;
        await this.append(tx, state, reinstateAfterCheckOut(state, checkoutId), at);
        reinstated.push(id);
      }
      await tx.saveRecord({ ...earlier, reinstatedAt: at, reinstatedIds: reinstated });
      return { answer: reinstated, appended: reinstated.length > 0 };
    });
  }

  /** The system's events on one application, with the check-out's call (optimistic concurrency as any command). */
  private async append(tx: CheckoutTransaction, state: LeaveApplicationState, events: SystemEvent[], at: Date) {
    const { recorded, next } = recordEvents(state.id, state, events, {
      actorId: null,
      occurredAt: at,
      traceId: currentTraceId(),
    });
    await tx.commit({
      streamId: state.id,
      expectedVersion: state.version,
      events: recorded,
      state: next,
      integrationEvents: toCloudEvents(next, recorded),
    });
  }

  /**
   * One transaction per call. A student's or an educator's command on one of the applications
   * between our read and our append makes the append lose (CONFLICT): the whole call is then run
   * again on the new state; past `attempts`, the orchestrator is told to retry (UNAVAILABLE).
   */
  private async run(
    checkoutId: string,
    work: (tx: CheckoutTransaction) => Promise<{ answer: string[]; appended: boolean }>,
  ): Promise<string[]> {
    const attempts = this.deps.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        const { answer, appended } = await this.deps.store.transaction(checkoutId, work);
        if (appended) this.deps.onCommitted?.();
        return answer;
      } catch (error) {
        if (!isConcurrencyLoss(error)) throw error;
        if (attempt >= attempts) throw serviceBusy();
      }
    }
  }
}

const isConcurrencyLoss = (error: unknown): boolean =>
  error instanceof DomainError && error.kind === 'CONFLICT' && error.details.rule === 'optimistic_concurrency';
