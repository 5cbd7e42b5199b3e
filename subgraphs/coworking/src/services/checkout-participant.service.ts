import type { Clock } from '@campus/platform';
import { CoworkingErrors } from '../domain/errors';
import { bookingEvent } from '../events/booking-events';
import type { CheckoutStore, ReleasedBooking, RestoreOutcome } from './ports';

export interface CheckoutParticipantOptions {
  store: CheckoutStore;
  clock: Clock;
}

/**
 * The coworking step of a check-out (domain spec §9), called by the saga's orchestrator over gRPC
 * (service authentication, no user): release the student's bookings, or undo that when a later step
 * fails. Both are idempotent by check-out id, so the orchestrator may retry freely.
 */
export class CheckoutParticipant {
  constructor(private readonly options: CheckoutParticipantOptions) {}

  /**
   * Cancels the student's pending and approved bookings (events `cancelled` with the check-out id).
   * A key out blocks the check-out: COWRK_KEY_HELD (details.bookingId, coworkingId, coworkingName,
   * status), nothing changed; also a key said returned (key_returned) until an educator confirms it.
   */
  async release(input: { userId: string; checkoutId: string }): Promise<ReleasedBooking[]> {
    const at = this.options.clock.now();
    const outcome = await this.options.store.release({
      studentId: input.userId,
      checkoutId: input.checkoutId,
      at,
      events: (booking, coworking) => [
        bookingEvent('cancelled', booking, coworking, { actorId: null, checkoutId: input.checkoutId, at }),
      ],
    });
    if (outcome.kind === 'key_held') {
      const { booking, coworking } = outcome;
      throw CoworkingErrors.error(
        'KEY_HELD',
        // key_returned: the student said it is back, only an educator's confirmation is missing.
        booking.status === 'key_returned'
          ? `The student says the key of ${coworking.name} is back; an educator must confirm its return (complete the booking) first`
          : `The student holds the key of ${coworking.name}; it must come back first`,
        {
          userId: input.userId,
          checkoutId: input.checkoutId,
          bookingId: booking.id,
          coworkingId: coworking.id,
          coworkingName: coworking.name,
          building: coworking.building,
          status: booking.status,
        },
      );
    }
    return outcome.released;
  }

  /**
   * Puts back what the check-out cancelled (events `restored` with the check-out id, the status it is
   * back in); what cannot be (slot taken or passed) stays cancelled and is reported. Undoing a
   * check-out that released nothing (or whose release never arrived) is recorded all the same.
   */
  restore(input: { checkoutId: string }): Promise<RestoreOutcome> {
    const at = this.options.clock.now();
    return this.options.store.restore({
      checkoutId: input.checkoutId,
      at,
      events: (booking, coworking) => [
        bookingEvent('restored', booking, coworking, { actorId: null, checkoutId: input.checkoutId, at }),
      ],
    });
  }
}
