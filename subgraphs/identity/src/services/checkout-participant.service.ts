// Identity's step of the check-out saga (domain spec §9), called by the saga's orchestrator (the
// checkout service) over gRPC: deactivate the student and vacate their room, undo that when a later
// step fails, or finish it. Every call is idempotent by check-out id, so the orchestrator may retry.
import { localDate, type Clock } from '@campus/platform';
import { canBeCheckedOut, type RestoreResult, type VacateResult } from '../domain/checkout';
import { checkoutFinished, checkoutNotStudent, userNotFound } from '../domain/errors';
import { calendarDay } from '../domain/time';
import type { CheckoutStore } from './ports';

export interface CheckoutParticipantDeps {
  store: CheckoutStore;
  clock: Clock;
  /** The check-out date is the campus-local day (CAMPUS_TIMEZONE). */
  campusTimeZone: string;
}

export class CheckoutParticipant {
  constructor(private readonly deps: CheckoutParticipantDeps) {}

  /**
   * Deactivates the student (check-out date today, campus time), revokes every session and takes
   * them out of their room, whose place stays held until finish or restore. NOT_FOUND for an unknown
   * user, AUTH_CHECKOUT_NOT_STUDENT for a non-student; either way nothing changes.
   */
  async deactivateAndVacate(input: { userId: string; checkoutId: string }): Promise<VacateResult> {
    const at = this.deps.clock.now();
    const outcome = await this.deps.store.vacate({
      ...input,
      checkOutDate: calendarDay(localDate(at, this.deps.campusTimeZone)),
      at,
      eligible: canBeCheckedOut,
    });
    if (outcome.kind === 'not_found') throw userNotFound(input.userId);
    if (outcome.kind === 'not_eligible') throw checkoutNotStudent(input.userId);
    return outcome.result;
  }

  /** Undoes deactivateAndVacate (sessions stay revoked). AUTH_CHECKOUT_FINISHED once finished. */
  async reactivateAndRestore(input: { checkoutId: string }): Promise<RestoreResult> {
    const outcome = await this.deps.store.restore({ checkoutId: input.checkoutId, at: this.deps.clock.now() });
    if (outcome.kind === 'finished') throw checkoutFinished(input.checkoutId);
    return outcome.result;
  }

  /** The check-out succeeded: releases the held place. True only when this call released one. */
  finish(input: { checkoutId: string }): Promise<boolean> {
    return this.deps.store.finish({ checkoutId: input.checkoutId, at: this.deps.clock.now() });
  }
}
