import type { Clock, Logger } from '@campus/platform';
import { bookingExpiredEvent } from '../events/booking-events';
import type { BookingExpiryStore, ExpiredBooking } from './ports';

export interface BookingExpiryOptions {
  store: BookingExpiryStore;
  clock: Clock;
  /** Bookings expired per transaction (default EXPIRY_BATCH_SIZE). */
  batchSize?: number;
  logger?: Logger;
}

/** Small enough to keep each transaction's locks short, big enough that a backlog clears in a few. */
export const EXPIRY_BATCH_SIZE = 100;

/**
 * The booking expiry (domain/expiry.ts), run by the `coworking-booking-expiry` scheduler job and
 * callable directly: every pending or approved booking whose slot has ended becomes expired, with a
 * `campus.coworking.booking.expired.v1` event each, batch by batch (one transaction per batch).
 * Idempotent and safe to run on many replicas at once: an expired booking is never due again, and
 * rows another run holds are skipped, not waited for.
 */
export class BookingExpiry {
  private readonly batchSize: number;

  constructor(private readonly options: BookingExpiryOptions) {
    this.batchSize = options.batchSize ?? EXPIRY_BATCH_SIZE;
  }

  /** Expires every booking due now; the bookings this run expired. */
  async run(): Promise<ExpiredBooking[]> {
    const { store, clock, logger } = this.options;
    const now = clock.now();
    const expired: ExpiredBooking[] = [];
    for (;;) {
      const batch = await store.expireDue({
        now,
        limit: this.batchSize,
        events: ({ booking, previousStatus }, coworking) => [
          bookingExpiredEvent(booking, coworking, { previousStatus, at: now }),
        ],
      });
      expired.push(...batch);
      // A short batch: nothing more is due (or what is left is held by another run, which expires it).
      if (batch.length < this.batchSize) break;
    }
    if (expired.length) logger?.info({ expired: expired.length, at: now.toISOString() }, 'bookings expired');
    return expired;
  }
}
