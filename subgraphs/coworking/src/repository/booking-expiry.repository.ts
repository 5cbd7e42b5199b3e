import { inTransaction, outboxInsert, outboxParameter, type CloudEvent, type DatabasePool } from '@campus/platform';
import { EXPIRABLE_STATUSES, expireBooking, isDueToExpire, isExpirableStatus } from '../domain/expiry';
import type { Coworking } from '../domain/records';
import type { BookingExpiryStore, ExpiredBooking } from '../services/ports';
import { toBooking } from './booking.mapper';
import { BOOKING_COLUMNS } from './catalogue.repository';
import type { Booking as BookingRow } from './database';

/**
 * Due bookings ($1 statuses, slot ended by $2), slot end first, at most $3; rows another transaction
 * holds (a step, a check-out's release, another replica's run) are skipped, not waited for.
 */
const DUE_SQL = `
  SELECT ${BOOKING_COLUMNS} FROM bookings
   WHERE status = ANY($1::booking_status[]) AND ends_at <= $2::timestamptz
   ORDER BY ends_at, id
   LIMIT $3
   FOR UPDATE SKIP LOCKED`;

/** The locked rows become expired; a version bump, so that a step read before fails its version check. */
const EXPIRE_SQL = `
  UPDATE bookings SET status = 'expired', version = version + 1
   WHERE id = ANY($1::uuid[]) AND status = ANY($2::booking_status[])`;

const COWORKINGS_SQL = 'SELECT id, name, building FROM coworkings WHERE id = ANY($1::uuid[])';

/**
 * The booking expiry's writes: plain SQL on the pool, one transaction per batch (the rows, then
 * their outbox events). Expired is outside every partial index and the exclusion constraint, so an
 * expiry frees the student's one active booking and the coworking's slot and cannot violate them.
 */
export class PrismaBookingExpiry implements BookingExpiryStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly pool: DatabasePool,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async expireDue(input: {
    now: Date;
    limit: number;
    events: (expired: ExpiredBooking, coworking: Pick<Coworking, 'id' | 'name' | 'building'>) => CloudEvent[];
  }): Promise<ExpiredBooking[]> {
    const { now, limit } = input;
    let written = 0;
    const expired = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<BookingRow>(DUE_SQL, [[...EXPIRABLE_STATUSES], now, limit]);
      const due: ExpiredBooking[] = [];
      for (const booking of rows.map(toBooking)) {
        // The statement's filter, decided by the domain's rule.
        if (isExpirableStatus(booking.status) && isDueToExpire(booking, now)) {
          due.push({ booking: expireBooking(booking), previousStatus: booking.status });
        }
      }
      if (!due.length) return due;
      await client.query(EXPIRE_SQL, [due.map((d) => d.booking.id), [...EXPIRABLE_STATUSES]]);
      const ids = [...new Set(due.map((d) => d.booking.coworkingId))];
      const coworkings = new Map(
        (await client.query<Pick<Coworking, 'id' | 'name' | 'building'>>(COWORKINGS_SQL, [ids])).rows.map((c) => [
          c.id,
          c,
        ]),
      );
      const events = due.flatMap((d) => {
        // Coworkings are never deleted while bookings point at them (foreign key).
        const coworking = coworkings.get(d.booking.coworkingId);
        if (!coworking) throw new Error(`coworking ${d.booking.coworkingId} of booking ${d.booking.id} is missing`);
        return input.events(d, coworking);
      });
      if (events.length) await client.query(outboxInsert('$1'), [outboxParameter(events)]);
      written = events.length;
      return due;
    });
    if (written) this.onEventsCommitted();
    return expired;
  }
}
