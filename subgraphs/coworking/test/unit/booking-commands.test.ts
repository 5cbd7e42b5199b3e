// CoworkingBookings with an in-memory store: what a command does when its write loses a race, and
// what a request does with identity's answer about the student.
import { DomainError } from '@campus/platform';
import { authOf, staff, student, TestClock } from '@campus/testkit';
import { requestBooking } from '../../src/domain/booking';
import { dependencyUnavailable } from '../../src/domain/errors';
import type { Booking, Coworking, StudentAccount } from '../../src/domain/records';
import { CoworkingBookings } from '../../src/services/bookings.service';
import type { BookingExpectation, BookingStore, StudentAccounts } from '../../src/services/ports';

const clock = new TestClock('2026-03-02T09:00:00.000Z');
const owner = authOf(student());
const educator = authOf(staff('educator'));
const RULES = { opensAt: '08:00', closesAt: '23:00', maxSlotMinutes: 240, maxDaysAhead: 14 };
const COWORKING: Coworking = {
  id: '22222222-2222-4222-8222-222222222222',
  building: '8',
  name: 'Blue room',
  description: '',
  capacity: 4,
  available: true,
  createdAt: clock.now(),
  updatedAt: clock.now(),
  version: 1,
};

/** A store keeping one booking; `interfere` runs before a write, as another command would. */
class FakeStore implements BookingStore {
  rows = new Map<string, Booking>();
  events: string[] = [];
  writes = 0;
  interfere: (row: Booking) => Booking | null = () => null;

  async findBooking(id: string) {
    return this.rows.get(id) ?? null;
  }
  async activeBookingOf() {
    return null;
  }
  async insertBooking(
    booking: Booking,
    check: (c: Coworking | null) => void,
    events: (b: Booking, c: Coworking) => { type: string }[],
  ) {
    check(COWORKING);
    this.rows.set(booking.id, booking);
    this.events.push(...events(booking, COWORKING).map((e) => e.type));
    return booking;
  }
  async updateBooking(
    next: Booking,
    expected: BookingExpectation,
    events: (b: Booking, c: Coworking) => { type: string }[],
  ) {
    this.writes++;
    const changed = this.interfere(this.rows.get(next.id)!);
    if (changed) this.rows.set(next.id, changed);
    const row = this.rows.get(next.id)!;
    if (row.version !== expected.version || row.status !== expected.status) return 'stale' as const;
    this.rows.set(next.id, next);
    this.events.push(...events(next, COWORKING).map((e) => e.type));
    return next;
  }
}

/** Identity's accounts: active unless told otherwise; `down` answers as an unreachable identity does. */
class FakeAccounts implements StudentAccounts {
  accounts = new Map<string, StudentAccount>([[owner.userId, { id: owner.userId, isActive: true }]]);
  down = false;
  lookups: string[] = [];

  async accountOf(userId: string) {
    this.lookups.push(userId);
    if (this.down) throw dependencyUnavailable('identity');
    return this.accounts.get(userId) ?? null;
  }
}

function setup() {
  const store = new FakeStore();
  const accounts = new FakeAccounts();
  const bookings = new CoworkingBookings({ store, accounts, rules: RULES, clock, timeZone: 'Europe/Moscow' });
  const booking = requestBooking(
    {
      id: '11111111-1111-4111-8111-111111111111',
      coworkingId: COWORKING.id,
      purpose: 'Study',
      startsAt: new Date('2026-03-03T15:00:00.000Z'),
      endsAt: new Date('2026-03-03T16:00:00.000Z'),
    },
    owner,
    clock.now(),
  );
  store.rows.set(booking.id, booking);
  return { store, accounts, bookings, booking };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null).catch((e: unknown) => e as DomainError);

describe('a step that loses a race', () => {
  it('is decided again on the fresh row when the status still allows it (no version sent)', async () => {
    const { store, bookings, booking } = setup();
    let once = true;
    // A write that changed only the version (e.g. a night reminder's count) slips in once.
    store.interfere = (row) => (once ? ((once = false), { ...row, version: row.version + 1 }) : null);
    const approved = await bookings.approve(educator, { bookingId: booking.id, reason: null, version: null });
    expect(approved).toMatchObject({ status: 'approved', version: 3 });
    expect(store.writes).toBe(2);
    expect(store.events).toEqual(['campus.coworking.booking.approved.v1']);
  });

  it('is COWRK_INVALID_TRANSITION naming the new status when the status moved on', async () => {
    const { store, bookings, booking } = setup();
    store.interfere = (row) => ({ ...row, status: 'cancelled', version: row.version + 1 });
    const error = await refusal(bookings.approve(educator, { bookingId: booking.id, reason: null, version: null }));
    expect(error).toMatchObject({
      code: 'COWRK_INVALID_TRANSITION',
      details: { status: 'cancelled', action: 'approve' },
    });
    expect(store.events).toEqual([]);
  });

  it('is CONFLICT when the caller pinned the version it read', async () => {
    const { store, bookings, booking } = setup();
    store.interfere = (row) => (row.version === 1 ? { ...row, version: 2 } : null);
    const error = await refusal(bookings.approve(educator, { bookingId: booking.id, reason: null, version: 1 }));
    expect(error).toMatchObject({
      code: 'CONFLICT',
      details: { bookingId: booking.id, version: 1, currentVersion: 2 },
    });
    expect(store.rows.get(booking.id)?.status).toBe('pending');
  });

  it('gives up with CONFLICT after three lost races', async () => {
    const { store, bookings, booking } = setup();
    store.interfere = (row) => ({ ...row, version: row.version + 1 });
    const error = await refusal(bookings.approve(educator, { bookingId: booking.id, reason: null, version: null }));
    expect(error).toMatchObject({ code: 'CONFLICT' });
    expect(store.writes).toBe(3);
  });
});

describe('a request', () => {
  it('checks the slot before touching the store, and writes the requested event', async () => {
    const { store, bookings } = setup();
    const input = {
      coworkingId: COWORKING.id,
      purpose: 'Chess',
      startsAt: new Date('2026-03-03T15:00:00.000Z'),
      endsAt: new Date('2026-03-03T16:00:00.000Z'),
    };
    const past = await refusal(bookings.request(owner, { ...input, startsAt: new Date('2026-03-01T15:00:00.000Z') }));
    expect(past?.code).toBe('COWRK_SLOT_IN_PAST');
    expect(store.events).toEqual([]);
    const created = await bookings.request(owner, input);
    expect(created).toMatchObject({ status: 'pending', studentId: owner.userId });
    expect(store.events).toEqual(['campus.coworking.booking.requested.v1']);
  });

  const input = {
    coworkingId: COWORKING.id,
    purpose: 'Chess',
    startsAt: new Date('2026-03-03T15:00:00.000Z'),
    endsAt: new Date('2026-03-03T16:00:00.000Z'),
  };

  it('asks identity once about the student and writes nothing for an inactive account', async () => {
    const { store, accounts, bookings } = setup();
    accounts.accounts.set(owner.userId, { id: owner.userId, isActive: false });
    const error = await refusal(bookings.request(owner, input));
    expect(error).toMatchObject({ code: 'COWRK_STUDENT_INACTIVE', kind: 'VALIDATION' });
    expect(accounts.lookups).toEqual([owner.userId]);
    expect(store.events).toEqual([]);
  });

  it('is COWRK_STUDENT_NOT_FOUND when identity does not know the student', async () => {
    const { store, accounts, bookings } = setup();
    accounts.accounts.clear();
    expect(await refusal(bookings.request(owner, input))).toMatchObject({ code: 'COWRK_STUDENT_NOT_FOUND' });
    expect(store.events).toEqual([]);
  });

  it('is the retryable COWRK_DEPENDENCY_UNAVAILABLE while identity cannot answer', async () => {
    const { store, accounts, bookings } = setup();
    accounts.down = true;
    const error = await refusal(bookings.request(owner, input));
    expect(error).toMatchObject({
      code: 'COWRK_DEPENDENCY_UNAVAILABLE',
      kind: 'UNAVAILABLE',
      details: { dependency: 'identity' },
    });
    expect(store.events).toEqual([]);
  });

  it('does not ask identity for a caller who may not book or a slot the rules refuse', async () => {
    const { accounts, bookings } = setup();
    expect((await refusal(bookings.request(educator, input)))?.code).toBe('FORBIDDEN');
    const late = {
      ...input,
      startsAt: new Date('2026-03-03T20:30:00.000Z'),
      endsAt: new Date('2026-03-03T21:00:00.000Z'),
    };
    expect((await refusal(bookings.request(owner, late)))?.code).toBe('COWRK_OUTSIDE_OPENING_HOURS');
    expect(accounts.lookups).toEqual([]);
  });
});
