// Bookings whose slot has ended, on a real database and broker: approving or handing the key over
// is refused (COWRK_SLOT_PASSED), one run of the expiry job ends the pending and approved ones
// (each with its event through the outbox to RabbitMQ, valid against its contract) and nothing
// else, the students may ask again, and the history lists them as EXPIRED.
import { validateEvent } from '@campus/contracts';
import { errorCodes, EventObserver, staff, student, type TestUser } from '@campus/testkit';
import type { CloudEvent } from '@campus/platform';
import type { BookingExpiredData } from '../../src/events/booking-events';
import { startCoworkingHarness, type CoworkingHarness } from '../support/harness';
import { seedBooking, seedCoworking } from '../support/seed';

jest.setTimeout(60_000);

// 12:00 in Moscow (campus time); the slots are tomorrow 18:00–20:00 (15:00–17:00Z).
const AT = '2026-03-02T09:00:00.000Z';
const SLOT = { startsAt: '2026-03-03T18:00:00+03:00', endsAt: '2026-03-03T20:00:00+03:00' };
const SLOT_END = new Date('2026-03-03T17:00:00.000Z');
// 20:05 the same evening: the slots are over.
const AFTER = new Date('2026-03-03T17:05:00.000Z');

const REQUEST = `mutation($input: RequestBookingInput!) { requestBooking(input: $input) { id status } }`;
const step = (name: string) => `mutation($input: BookingStepInput!) { ${name}(input: $input) { id status } }`;
const HISTORY = `query($filter: BookingFilter) { coworkingBookings(filter: $filter, size: 100) { total items { id status } } }`;
const MINE = `query($reps: [_Any!]!, $status: BookingStatus) { _entities(representations: $reps) {
  ... on User { id coworkingBookings(status: $status) { total items { id status } } }
} }`;
const BOARD = `query($building: String) { coworkingBoard(building: $building) { coworking { id } current { id } keyHolder { id } } }`;

let h: CoworkingHarness;
let observer: EventObserver;
const educator = staff('educator');

beforeAll(async () => {
  h = await startCoworkingHarness(AT);
  observer = await new EventObserver(h.exchange).start();
});

afterAll(async () => {
  await observer?.stop();
  await h?.stop();
});

const db = () => h.coworking.internals.db;
const row = (id: string) => db().booking.findUniqueOrThrow({ where: { id } });

async function request(user: TestUser, coworkingId: string, slot = SLOT) {
  h.known(user);
  const answer = await h.gql<{ requestBooking: { id: string; status: string } }>(user, REQUEST, {
    input: { coworkingId, purpose: 'Подготовка к олимпиаде', ...slot },
  });
  return { answer, id: answer.data?.requestBooking.id ?? null, codes: errorCodes(answer) };
}

async function act(user: TestUser, mutation: string, bookingId: string) {
  const answer = await h.gql<Record<string, { id: string; status: string }>>(user, step(mutation), {
    input: { bookingId },
  });
  return { answer, codes: errorCodes(answer), details: answer.errors?.[0]?.extensions?.details };
}

async function expiredEvents(): Promise<CloudEvent<BookingExpiredData>[]> {
  const rows = await db().outboxEvent.findMany({
    where: { type: 'campus.coworking.booking.expired.v1' },
    orderBy: { seq: 'asc' },
  });
  return rows.map((r) => r.payload as unknown as CloudEvent<BookingExpiredData>);
}

it('refuses approving or handing the key over once the slot has ended; one run expires pending and approved bookings only', async () => {
  const [roomA, roomB, roomC, roomD] = await Promise.all(
    ['A', 'B', 'C', 'D'].map((n) => seedCoworking(db(), { building: '8', name: `Expiry ${n}` })),
  );
  const undecided = student();
  const unclaimed = student();
  const holder = student();
  const early = student();

  // Tomorrow's slots: one left pending, one approved whose key nobody takes, one whose key is taken.
  const pendingId = (await request(undecided, roomA!.id)).id!;
  const approvedId = (await request(unclaimed, roomB!.id)).id!;
  expect((await act(educator, 'approveBooking', approvedId)).codes).toEqual([]);
  const keyId = (await request(holder, roomC!.id)).id!;
  expect((await act(educator, 'approveBooking', keyId)).codes).toEqual([]);
  expect((await act(educator, 'handOverKey', keyId)).codes).toEqual([]);
  // A pending request of the day after: its slot has not ended.
  const laterSlot = { startsAt: '2026-03-04T10:00:00+03:00', endsAt: '2026-03-04T11:00:00+03:00' };
  const futureId = (await request(early, roomD!.id, laterSlot)).id!;

  h.clock.set(AFTER);
  // The slot is over: yesterday's approval or handover is refused, and nothing is written.
  const approve = await act(educator, 'approveBooking', pendingId);
  expect(approve.codes).toEqual(['COWRK_SLOT_PASSED']);
  expect(approve.details).toMatchObject({ bookingId: pendingId, action: 'approve', endsAt: SLOT_END.toISOString() });
  const handOver = await act(educator, 'handOverKey', approvedId);
  expect(handOver.codes).toEqual(['COWRK_SLOT_PASSED']);
  expect(handOver.details).toMatchObject({ bookingId: approvedId, action: 'handOverKey' });
  expect(await row(pendingId)).toMatchObject({ status: 'pending', version: 1 });
  expect(await row(approvedId)).toMatchObject({ status: 'approved', version: 2 });
  // Still active: a new request is refused until the booking expires.
  const tooSoon = await request(undecided, roomD!.id, {
    ...laterSlot,
    startsAt: '2026-03-05T10:00:00+03:00',
    endsAt: '2026-03-05T11:00:00+03:00',
  });
  expect(tooSoon.codes).toEqual(['COWRK_ACTIVE_BOOKING_EXISTS']);

  const expired = await h.coworking.internals.bookingExpiry.run();
  expect(expired.map((e) => [e.booking.id, e.previousStatus]).sort()).toEqual(
    [
      [pendingId, 'pending'],
      [approvedId, 'approved'],
    ].sort(),
  );
  expect(await row(pendingId)).toMatchObject({ status: 'expired', version: 2 });
  expect(await row(approvedId)).toMatchObject({ status: 'expired', version: 3 });
  expect(await row(keyId)).toMatchObject({ status: 'key_taken', version: 3 }); // the key is out: not expired
  expect(await row(futureId)).toMatchObject({ status: 'pending', version: 1 });

  // One event per expired booking, in the outbox with the change, valid against its contract.
  const events = await expiredEvents();
  expect(events.map((e) => [e.subject, e.data.previousStatus]).sort()).toEqual(
    [
      [pendingId, 'pending'],
      [approvedId, 'approved'],
    ].sort(),
  );
  for (const event of events) {
    expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
    expect(event.data).toMatchObject({ status: 'expired', actorId: null, at: AFTER.toISOString() });
  }
  expect(events.find((e) => e.subject === approvedId)!.data).toMatchObject({
    coworkingId: roomB!.id,
    coworkingName: 'Expiry B',
    building: '8',
    studentId: unclaimed.id,
    endsAt: SLOT_END.toISOString(),
  });
  // …and the relay publishes them to the exchange.
  const published = await observer.waitFor(
    (messages) => messages.filter((m) => m.routingKey === 'campus.coworking.booking.expired.v1').length === 2,
  );
  for (const message of published.filter((m) => m.routingKey === 'campus.coworking.booking.expired.v1')) {
    expect(validateEvent(message.body)).toEqual({ valid: true, errors: [] });
  }

  // A second run (another replica, a retried firing) finds nothing more.
  expect(await h.coworking.internals.bookingExpiry.run()).toEqual([]);
  expect(await expiredEvents()).toHaveLength(2);
  expect(await row(approvedId)).toMatchObject({ status: 'expired', version: 3 });

  // The students are free to ask again (their one active booking is over).
  const again = await request(undecided, roomA!.id, {
    startsAt: '2026-03-05T10:00:00+03:00',
    endsAt: '2026-03-05T11:00:00+03:00',
  });
  expect(again.codes).toEqual([]);
  expect((await request(unclaimed, roomB!.id, laterSlot)).codes).toEqual([]);
  expect((await request(holder, roomA!.id, laterSlot)).codes).toEqual(['COWRK_ACTIVE_BOOKING_EXISTS']);

  // The history filters by EXPIRED; a student sees their own expired booking.
  const history = await h.gql<{ coworkingBookings: { total: number; items: { id: string; status: string }[] } }>(
    educator,
    HISTORY,
    { filter: { building: '8', status: 'EXPIRED' } },
  );
  expect(history.errors).toBeUndefined();
  expect(history.data!.coworkingBookings.items.map((b) => b.id).sort()).toEqual([pendingId, approvedId].sort());
  expect(history.data!.coworkingBookings.items.every((b) => b.status === 'EXPIRED')).toBe(true);
  const mine = await h.gql<{ _entities: { coworkingBookings: { total: number; items: { id: string }[] } }[] }>(
    undecided,
    MINE,
    { reps: [{ __typename: 'User', id: undecided.id }], status: 'EXPIRED' },
  );
  expect(mine.errors).toBeUndefined();
  expect(mine.data!._entities[0]!.coworkingBookings).toMatchObject({ total: 1, items: [{ id: pendingId }] });
});

it('an expired booking holds neither the board, nor the key, nor its slot', async () => {
  const room = await seedCoworking(db(), { building: '9', name: 'Expired now' });
  const now = h.clock.now();
  await seedBooking(db(), {
    coworkingId: room.id,
    status: 'expired',
    startsAt: new Date(now.getTime() - 30 * 60_000),
    endsAt: new Date(now.getTime() + 30 * 60_000),
  });
  const board = await h.gql<{ coworkingBoard: { coworking: { id: string }; current: unknown; keyHolder: unknown }[] }>(
    educator,
    BOARD,
    { building: '9' },
  );
  expect(board.errors).toBeUndefined();
  expect(board.data!.coworkingBoard).toEqual([{ coworking: { id: room.id }, current: null, keyHolder: null }]);

  // The database's own invariants leave expired out: the same slot is approved for someone else.
  const slot = { startsAt: '2026-03-04T12:00:00+03:00', endsAt: '2026-03-04T13:00:00+03:00' };
  await seedBooking(db(), { coworkingId: room.id, status: 'expired', ...slot });
  const next = await request(student(), room.id, slot);
  expect(next.codes).toEqual([]);
  expect((await act(educator, 'approveBooking', next.id!)).codes).toEqual([]);
  expect(await row(next.id!)).toMatchObject({ status: 'approved' });
});
