import type { Clock } from '@campus/platform';
import { CHECKOUT_RESOLUTION_NOTE } from '../domain/sanctions';
import { sanctionReopened, sanctionResolved } from '../events/duty-events';
import type { CheckoutSanctionStore } from './ports';

export interface DutyCheckoutParticipantOptions {
  store: CheckoutSanctionStore;
  clock: Clock;
}

/**
 * The duty step of a check-out (domain spec §9), called by the saga's orchestrator over gRPC
 * (service authentication, no user; the transport admits the checkout service only): close the
 * leaving student's open sanctions, or undo that when a later step fails. Both are idempotent by
 * check-out id, so the orchestrator may retry freely and compensate a step that may never have run.
 * Duties stay with the room and its remaining residents.
 */
export class DutyCheckoutParticipant {
  constructor(private readonly options: DutyCheckoutParticipantOptions) {}

  /**
   * Resolves the student's open sanctions on the check-out's behalf: no resolver, a note saying so,
   * the check-out id kept; a `sanction.resolved` event each. Returns their ids.
   */
  close(input: { userId: string; checkoutId: string }): Promise<string[]> {
    const at = this.options.clock.now();
    const { checkoutId } = input;
    const note = CHECKOUT_RESOLUTION_NOTE;
    return this.options.store.close({
      userId: input.userId,
      checkoutId,
      note,
      at,
      events: (s) => [
        sanctionResolved(
          {
            sanctionId: s.id,
            scheduleId: s.scheduleId,
            userId: s.userId,
            roomNumber: s.room.number,
            dutyDate: s.dutyDate,
            resolvedBy: null,
            note,
            checkoutId,
          },
          at,
        ),
      ],
    });
  }

  /**
   * Opens again what the check-out closed and is still resolved by it (a `sanction.reopened` event
   * each). Returns their ids.
   */
  reopen(input: { checkoutId: string }): Promise<string[]> {
    const at = this.options.clock.now();
    const { checkoutId } = input;
    return this.options.store.reopen({
      checkoutId,
      at,
      events: (s) => [
        sanctionReopened(
          {
            sanctionId: s.id,
            scheduleId: s.scheduleId,
            userId: s.userId,
            roomNumber: s.room.number,
            dutyDate: s.dutyDate,
            checkoutId,
          },
          at,
        ),
      ],
    });
  }
}
