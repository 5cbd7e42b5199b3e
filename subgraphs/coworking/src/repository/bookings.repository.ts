// The booking lifecycle's writes in campus_coworking (table bookings), each in one transaction with
// its outbox events; optimistic concurrency on `version` (and the status the step read). The
// invariants two concurrent commands could break are the database's (migration, after
// `-- campus:invariants`); their violations become the catalog's codes here, never INTERNAL_ERROR.
import { enqueueEvents } from '@campus/platform';
import { CoworkingErrors } from '../domain/errors';
import {
  ACTIVE_STATUSES,
  KEY_HOLDING_STATUSES,
  SLOT_HOLDING_STATUSES,
  type Booking,
  type Coworking,
} from '../domain/records';
import type { BookingEvents, BookingExpectation, BookingStore } from '../services/ports';
import { toBooking, toCoworking } from './booking.mapper';
import type { CoworkingDatabase } from './database';

/** The hand-written invariants (prisma/coworking migration) a booking write can violate. */
export const BOOKING_CONSTRAINTS = {
  /** EXCLUDE USING gist: SQLSTATE 23P01. */
  noOverlappingSlots: 'bookings_no_overlapping_slots',
  /** Partial unique indexes: SQLSTATE 23505. */
  oneKeyHolder: 'bookings_one_key_holder',
  oneActivePerStudent: 'bookings_one_active_per_student',
} as const;
type BookingConstraint = (typeof BOOKING_CONSTRAINTS)[keyof typeof BOOKING_CONSTRAINTS];

/** SQLSTATEs of unique and exclusion violations, and Prisma's code for a unique violation. */
const VIOLATION_CODES = new Set(['23505', '23P01', 'P2002']);

/**
 * Which booking invariant `error` reports, if any. Prisma wraps the driver's error (a
 * PrismaClientKnownRequestError whose meta.driverAdapterError has the SQLSTATE as originalCode and
 * the constraint in constraint.index or originalMessage; exclusion violations only in the message),
 * so the whole cause chain is searched for a violation code and one of our constraint names.
 */
export function violatedConstraint(error: unknown): BookingConstraint | null {
  const codes = new Set<string>();
  const texts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || seen.has(value)) return;
    if (typeof value === 'string') {
      texts.push(value);
      if (VIOLATION_CODES.has(value)) codes.add(value);
      return;
    }
    if (typeof value !== 'object') return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    // message and cause are not enumerable on Error objects.
    for (const key of new Set([...Object.keys(record), 'message', 'cause'])) visit(record[key], depth + 1);
  };
  visit(error, 0);
  if (!codes.size) return null;
  const names = Object.values(BOOKING_CONSTRAINTS);
  return names.find((name) => texts.some((text) => text.includes(name))) ?? null;
}

/** The columns a step changes (the slot, purpose and student are fixed at the request). */
const stepData = (next: Booking) => ({
  status: next.status,
  decidedBy: next.decidedBy,
  decidedAt: next.decidedAt,
  rejectionReason: next.rejectionReason,
  keyTakenAt: next.keyTakenAt,
  keyTakenBy: next.keyTakenBy,
  keyReturnRequestedAt: next.keyReturnRequestedAt,
  keyReturnRequestedBy: next.keyReturnRequestedBy,
  keyReturnedAt: next.keyReturnedAt,
  completedAt: next.completedAt,
  completedBy: next.completedBy,
  cancelledAt: next.cancelledAt,
  cancelledBy: next.cancelledBy,
  version: next.version,
});

/** Thrown inside a transaction to roll it back: the row moved on since it was read. */
class Stale extends Error {
  constructor() {
    super('stale');
  }
}

// Waiting for a pooled connection is normal under a burst of commands on one coworking.
const TX_OPTIONS = { maxWait: 10_000, timeout: 10_000 };

export class PrismaBookings implements BookingStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: CoworkingDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async findBooking(id: string): Promise<Booking | null> {
    const row = await this.db.booking.findUnique({ where: { id } });
    return row ? toBooking(row) : null;
  }

  async activeBookingOf(studentId: string): Promise<Booking | null> {
    const row = await this.db.booking.findFirst({ where: { studentId, status: { in: [...ACTIVE_STATUSES] } } });
    return row ? toBooking(row) : null;
  }

  async insertBooking(
    booking: Booking,
    check: (coworking: Coworking | null) => void,
    events: BookingEvents,
  ): Promise<Booking> {
    let written = 0;
    try {
      await this.db.$transaction(async (tx) => {
        const row = await tx.coworking.findUnique({ where: { id: booking.coworkingId } });
        const coworking = row ? toCoworking(row) : null;
        check(coworking);
        if (!coworking) throw new Error(`check let a missing coworking ${booking.coworkingId} through`);
        await tx.booking.create({
          data: {
            id: booking.id,
            coworkingId: booking.coworkingId,
            studentId: booking.studentId,
            purpose: booking.purpose,
            startsAt: booking.startsAt,
            endsAt: booking.endsAt,
            status: booking.status,
            createdAt: booking.createdAt,
            version: booking.version,
          },
        });
        const batch = events(booking, coworking);
        await enqueueEvents(tx, batch);
        written = batch.length;
      }, TX_OPTIONS);
    } catch (error) {
      throw await this.translate(error, booking);
    }
    if (written) this.onEventsCommitted();
    return booking;
  }

  async updateBooking(next: Booking, expected: BookingExpectation, events: BookingEvents): Promise<Booking | 'stale'> {
    let written = 0;
    try {
      await this.db.$transaction(async (tx) => {
        // Steps on one coworking queue on its row, so that two concurrent approvals of overlapping
        // slots do not both wait on each other's uncommitted row in the exclusion constraint
        // (a deadlock PostgreSQL breaks only after deadlock_timeout, 1 s, holding pooled connections
        // meanwhile): the second sees the first committed and gets SLOT_TAKEN at once.
        await tx.$executeRaw`SELECT 1 FROM coworkings WHERE id = ${next.coworkingId}::uuid FOR NO KEY UPDATE`;
        const update = await tx.booking.updateMany({
          where: { id: next.id, version: expected.version, status: expected.status },
          data: stepData(next),
        });
        if (update.count !== 1) throw new Stale();
        // Coworkings are never deleted while bookings point at them.
        const coworking = toCoworking(await tx.coworking.findUniqueOrThrow({ where: { id: next.coworkingId } }));
        const batch = events(next, coworking);
        await enqueueEvents(tx, batch);
        written = batch.length;
      }, TX_OPTIONS);
    } catch (error) {
      if (error instanceof Stale) return 'stale';
      throw await this.translate(error, next);
    }
    if (written) this.onEventsCommitted();
    return next;
  }

  /** A violated invariant as the catalog's code naming the booking in the way; anything else as it is. */
  private async translate(error: unknown, booking: Booking): Promise<unknown> {
    // details.bookingId names the booking in the way (as the catalog says); forBookingId the one acted on.
    const sent = { coworkingId: booking.coworkingId, forBookingId: booking.id };
    switch (violatedConstraint(error)) {
      case BOOKING_CONSTRAINTS.noOverlappingSlots: {
        const other = await this.db.booking.findFirst({
          where: {
            coworkingId: booking.coworkingId,
            id: { not: booking.id },
            status: { in: [...SLOT_HOLDING_STATUSES] },
            startsAt: { lt: booking.endsAt },
            endsAt: { gt: booking.startsAt },
          },
          orderBy: { startsAt: 'asc' },
        });
        return CoworkingErrors.error('SLOT_TAKEN', 'Another approved booking holds an overlapping slot', {
          bookingId: other?.id ?? null,
          ...sent,
          startsAt: booking.startsAt.toISOString(),
          endsAt: booking.endsAt.toISOString(),
        });
      }
      case BOOKING_CONSTRAINTS.oneKeyHolder: {
        const holder = await this.db.booking.findFirst({
          where: { coworkingId: booking.coworkingId, status: { in: [...KEY_HOLDING_STATUSES] } },
        });
        return CoworkingErrors.error('KEY_ALREADY_OUT', "Another booking holds the coworking's key", {
          bookingId: holder?.id ?? null,
          ...sent,
        });
      }
      case BOOKING_CONSTRAINTS.oneActivePerStudent: {
        const active = await this.activeBookingOf(booking.studentId);
        return CoworkingErrors.error('ACTIVE_BOOKING_EXISTS', 'The student already has an active booking', {
          bookingId: active?.id ?? null,
          studentId: booking.studentId,
        });
      }
      default:
        return error;
    }
  }
}
