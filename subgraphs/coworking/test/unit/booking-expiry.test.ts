import { validateEvent } from '@campus/contracts';
import type { CloudEvent } from '@campus/platform';
import { TestClock } from '@campus/testkit';
import { EXPIRABLE_STATUSES, expireBooking, isDueToExpire } from '../../src/domain/expiry';
import { BOOKING_STATUSES, type Booking, type BookingStatus, type Coworking } from '../../src/domain/records';
import { BookingExpiry } from '../../src/services/booking-expiry.service';
import type { BookingExpiryStore, ExpiredBooking } from '../../src/services/ports';

// Which bookings expire (pending or approved once their slot has ended, nothing else), and the job's
// use case over an in-memory store: batch after batch until a short one, an event per booking that
// its contract accepts.
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const END = new Date('2026-03-10T19:00:00.000Z');
const room: Pick<Coworking, 'id' | 'name' | 'building'> = { id: id(1), name: 'Орбита', building: '8' };

function booking(n: number, status: BookingStatus, endsAt = END): Booking {
  return {
    id: id(100 + n),
    coworkingId: room.id,
    studentId: id(200 + n),
    purpose: 'Проект',
    startsAt: new Date(endsAt.getTime() - 2 * 3_600_000),
    endsAt,
    status,
    createdAt: new Date('2026-03-09T10:00:00.000Z'),
    decidedBy: null,
    decidedAt: null,
    rejectionReason: null,
    keyTakenAt: null,
    keyTakenBy: null,
    keyReturnRequestedAt: null,
    keyReturnRequestedBy: null,
    keyReturnedAt: null,
    completedAt: null,
    completedBy: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelledByCheckoutId: null,
    lastNightReminderAt: null,
    nightReminderCount: 0,
    version: 2,
  };
}

describe('which bookings expire', () => {
  it('only pending and approved ones', () => {
    expect([...EXPIRABLE_STATUSES]).toEqual(['pending', 'approved']);
    const after = new Date(END.getTime() + 60_000);
    const due = BOOKING_STATUSES.filter((status) => isDueToExpire(booking(1, status), after));
    expect(due).toEqual(['pending', 'approved']);
  });

  it.each([
    [-60_000, false],
    [-1, false],
    [0, true], // the end is exclusive: the slot is over at endsAt
    [1, true],
    [86_400_000, true],
  ])('a pending booking %i ms after its slot ended is due: %s', (ms, due) => {
    expect(isDueToExpire(booking(1, 'pending'), new Date(END.getTime() + ms))).toBe(due);
    expect(isDueToExpire(booking(1, 'approved'), new Date(END.getTime() + ms))).toBe(due);
  });

  it('a key out or back, a final status never expires, however long ago the slot ended', () => {
    const muchLater = new Date(END.getTime() + 30 * 86_400_000);
    for (const status of ['key_taken', 'key_return_requested', 'key_returned', 'rejected', 'cancelled'] as const) {
      expect(isDueToExpire(booking(1, status), muchLater)).toBe(false);
    }
    // Already expired: never due again (a second run changes nothing).
    expect(isDueToExpire(booking(1, 'expired'), muchLater)).toBe(false);
  });

  it('expiring bumps the version and keeps the rest', () => {
    const approved = booking(1, 'approved');
    const expired = expireBooking(approved);
    expect(expired).toEqual({ ...approved, status: 'expired', version: 3 });
    expect(approved.status).toBe('approved');
  });
});

/** An in-memory store expiring by the domain's rule, slot end first, `limit` at a time. */
class MemoryExpiryStore implements BookingExpiryStore {
  readonly events: CloudEvent[] = [];
  readonly batches: number[] = [];

  constructor(readonly bookings: Booking[]) {}

  async expireDue(input: Parameters<BookingExpiryStore['expireDue']>[0]): Promise<ExpiredBooking[]> {
    const due = this.bookings
      .filter((b) => isDueToExpire(b, input.now))
      .sort((a, b) => a.endsAt.getTime() - b.endsAt.getTime())
      .slice(0, input.limit);
    const expired = due.map((b) => ({ booking: expireBooking(b), previousStatus: b.status as 'pending' | 'approved' }));
    for (const e of expired) {
      this.bookings[this.bookings.findIndex((b) => b.id === e.booking.id)] = e.booking;
      this.events.push(...input.events(e, room));
    }
    this.batches.push(expired.length);
    return expired;
  }
}

describe('the booking expiry job', () => {
  const NOW = new Date(END.getTime() + 5 * 60_000);

  it('expires every due booking batch by batch, with one contract-valid event each, and nothing else', async () => {
    const later = new Date(NOW.getTime() + 3_600_000); // a slot not over yet
    const store = new MemoryExpiryStore([
      ...[1, 2, 3, 4, 5].map((n) => booking(n, n % 2 ? 'pending' : 'approved')),
      booking(6, 'key_taken'),
      booking(7, 'approved', later),
      booking(8, 'completed'),
    ]);
    const expiry = new BookingExpiry({ store, clock: new TestClock(NOW), batchSize: 2 });

    const expired = await expiry.run();
    expect(expired.map((e) => [e.booking.id, e.previousStatus])).toEqual([
      [id(101), 'pending'],
      [id(102), 'approved'],
      [id(103), 'pending'],
      [id(104), 'approved'],
      [id(105), 'pending'],
    ]);
    expect(store.batches).toEqual([2, 2, 1]); // stops at the first short batch
    expect(store.bookings.map((b) => b.status)).toEqual([
      'expired',
      'expired',
      'expired',
      'expired',
      'expired',
      'key_taken',
      'approved',
      'completed',
    ]);

    expect(store.events).toHaveLength(5);
    for (const event of store.events) expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
    expect(store.events[1]).toMatchObject({
      type: 'campus.coworking.booking.expired.v1',
      source: '/campus/coworking',
      subject: id(102),
      time: NOW.toISOString(),
      data: {
        bookingId: id(102),
        coworkingId: room.id,
        coworkingName: 'Орбита',
        building: '8',
        studentId: id(202),
        endsAt: END.toISOString(),
        status: 'expired',
        previousStatus: 'approved',
        actorId: null,
        reason: null,
        checkoutId: null,
        at: NOW.toISOString(),
      },
    });

    // A second run finds nothing due: idempotent.
    expect(await expiry.run()).toEqual([]);
    expect(store.events).toHaveLength(5);
  });

  it('a run with nothing due asks once and writes nothing', async () => {
    const store = new MemoryExpiryStore([booking(1, 'pending', new Date(NOW.getTime() + 1))]);
    expect(await new BookingExpiry({ store, clock: new TestClock(NOW) }).run()).toEqual([]);
    expect(store.batches).toEqual([0]);
    expect(store.events).toEqual([]);
  });
});
