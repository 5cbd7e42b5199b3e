import { enqueueEvents, type CloudEvent } from '@campus/platform';
import { ACTIVE_STATUSES, KEY_HOLDING_STATUSES, type BookingStatus } from '../domain/records';
import type {
  BookingEvents,
  CheckoutStore,
  NotRestoredReason,
  ReleasedBooking,
  ReleaseOutcome,
  RestoreOutcome,
} from '../services/ports';
import type { CoworkingDatabase, Prisma } from './database';
import { constraintViolation, toBooking, toCoworking } from './booking.mapper';

type Tx = Prisma.TransactionClient;

/** The statuses a check-out cancels (a booking whose key is out blocks it instead). */
const RELEASABLE: readonly BookingStatus[] = ['pending', 'approved'];
const RESTORED = 'restored';

/** Serializes the calls of one check-out (a saga retrying while its first call still runs). */
async function lockCheckout(tx: Tx, checkoutId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`coworking-checkout:${checkoutId}`}, 0))`;
}

async function releasedOf(tx: Tx, checkoutId: string) {
  const rows = await tx.checkoutRelease.findMany({ where: { checkoutId }, orderBy: { bookingId: 'asc' } });
  const bookings = new Map(
    (
      await tx.booking.findMany({ where: { id: { in: rows.map((r) => r.bookingId) } }, include: { coworking: true } })
    ).map((b) => [b.id, b]),
  );
  return rows.flatMap((row) => {
    const booking = bookings.get(row.bookingId);
    return booking
      ? [
          {
            row,
            released: { booking: toBooking(booking), previousStatus: row.previousStatus },
            coworking: toCoworking(booking.coworking),
          },
        ]
      : [];
  });
}

/** Why restoring failed, from the database's refusal; anything else is not ours to explain. */
function refusalReason(error: unknown): NotRestoredReason {
  const violation = constraintViolation(error);
  if (violation?.code === '23P01') return 'slot_taken';
  if (violation?.code === '23505') return 'active_booking_exists';
  throw error;
}

/**
 * The check-out saga's footprint in campus_coworking, idempotent by checkout id: checkout_releases
 * (what a release cancelled, and how its restore went) and checkout_restores (that the check-out was
 * undone: the tombstone a late release obeys).
 */
export class PrismaCheckoutReleases implements CheckoutStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: CoworkingDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async release(input: {
    studentId: string;
    checkoutId: string;
    at: Date;
    events: BookingEvents;
  }): Promise<ReleaseOutcome> {
    const { studentId, checkoutId, at } = input;
    const written: CloudEvent[] = [];
    const outcome = await this.db.$transaction(async (tx): Promise<ReleaseOutcome> => {
      await lockCheckout(tx, checkoutId);
      const earlier = await releasedOf(tx, checkoutId);
      if (earlier.length) return { kind: 'released', released: earlier.map((e) => e.released) };
      // Undone before it released anything (or before this call arrived): too late to change anything.
      if (await tx.checkoutRestore.findUnique({ where: { checkoutId } })) return { kind: 'released', released: [] };

      // Lock the student's active bookings so that no key is handed over between the check and the cancel.
      await tx.$queryRaw`SELECT id FROM bookings
        WHERE student_id = ${studentId}::uuid AND status::text = ANY(${[...ACTIVE_STATUSES]}::text[])
        FOR UPDATE`;
      const active = await tx.booking.findMany({
        where: { studentId, status: { in: [...ACTIVE_STATUSES] } },
        include: { coworking: true },
        orderBy: { startsAt: 'asc' },
      });
      const keyHeld = active.find((b) => KEY_HOLDING_STATUSES.includes(b.status));
      if (keyHeld) return { kind: 'key_held', booking: toBooking(keyHeld), coworking: toCoworking(keyHeld.coworking) };

      const released: ReleasedBooking[] = [];
      for (const row of active.filter((b) => RELEASABLE.includes(b.status))) {
        const cancelled = await tx.booking.update({
          where: { id: row.id },
          data: {
            status: 'cancelled',
            cancelledAt: at,
            cancelledBy: null,
            cancelledByCheckoutId: checkoutId,
            version: { increment: 1 },
          },
        });
        await tx.checkoutRelease.create({
          data: { checkoutId, bookingId: row.id, studentId, previousStatus: row.status, releasedAt: at },
        });
        const booking = toBooking(cancelled);
        released.push({ booking, previousStatus: row.status });
        written.push(...input.events(booking, toCoworking(row.coworking)));
      }
      await enqueueEvents(tx, written);
      return { kind: 'released', released };
    });
    if (written.length) this.onEventsCommitted();
    return outcome;
  }

  async restore(input: { checkoutId: string; at: Date; events: BookingEvents }): Promise<RestoreOutcome> {
    const { checkoutId, at } = input;
    const written: CloudEvent[] = [];
    const outcome = await this.db.$transaction(async (tx): Promise<RestoreOutcome> => {
      await lockCheckout(tx, checkoutId);
      // The tombstone, kept from the first restore: a release arriving later (late or retried) changes nothing.
      await tx.checkoutRestore.createMany({ data: [{ checkoutId, restoredAt: at }], skipDuplicates: true });
      const outcome: RestoreOutcome = { restored: [], notRestored: [] };
      for (const { row, released, coworking } of await releasedOf(tx, checkoutId)) {
        let result: string;
        let booking = released.booking;
        if (row.restoredAt) {
          result = row.restoreOutcome ?? RESTORED;
        } else if (booking.endsAt.getTime() <= at.getTime()) {
          result = 'slot_passed';
        } else {
          // A savepoint per booking: a refusal by the database (its slot was taken, the student booked
          // anew) leaves the others' restoration standing.
          await tx.$executeRawUnsafe('SAVEPOINT restore_booking');
          try {
            const rows = await tx.booking.updateManyAndReturn({
              where: { id: booking.id, status: 'cancelled', cancelledByCheckoutId: checkoutId },
              data: {
                status: row.previousStatus,
                cancelledAt: null,
                cancelledBy: null,
                cancelledByCheckoutId: null,
                version: { increment: 1 },
              },
            });
            await tx.$executeRawUnsafe('RELEASE SAVEPOINT restore_booking');
            if (rows[0]) {
              booking = toBooking(rows[0]);
              written.push(...input.events(booking, coworking));
            }
            result = RESTORED;
          } catch (error) {
            await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT restore_booking');
            result = refusalReason(error);
          }
        }
        if (!row.restoredAt) {
          await tx.checkoutRelease.update({
            where: { checkoutId_bookingId: { checkoutId, bookingId: booking.id } },
            data: { restoredAt: at, restoreOutcome: result },
          });
        }
        const entry = { booking, previousStatus: released.previousStatus };
        if (result === RESTORED) outcome.restored.push(entry);
        else outcome.notRestored.push({ ...entry, reason: result as NotRestoredReason });
      }
      await enqueueEvents(tx, written);
      return outcome;
    });
    if (written.length) this.onEventsCommitted();
    return outcome;
  }
}
