// The booking lifecycle over GraphQL on a real database: every step writes the booking row and its
// outbox event in one transaction; refusals are coded and write nothing.
import { randomUUID } from 'node:crypto';
import { errorCodes, staff, student, type GraphQLResponse, type TestUser } from '@campus/testkit';
import { startCoworkingHarness, type CoworkingHarness } from '../support/harness';

// 12:00 in Moscow (the default campus time zone); coworkings open 08:00–23:00.
const AT = '2026-03-02T09:00:00.000Z';

const BOOKING_FIELDS = 'id status version purpose startsAt endsAt rejectionReason decidedAt keyTakenAt completedAt';
const REQUEST = `mutation($input: RequestBookingInput!) { requestBooking(input: $input) { ${BOOKING_FIELDS} } }`;
const step = (name: string) => `mutation($input: BookingStepInput!) { ${name}(input: $input) { ${BOOKING_FIELDS} } }`;

interface BookingAnswer {
  id: string;
  status: string;
  version: number;
  purpose: string;
  rejectionReason: string | null;
}

let h: CoworkingHarness;
const educator = staff('educator');
const admin = staff('admin');

beforeAll(async () => {
  h = await startCoworkingHarness(AT);
});

afterAll(async () => {
  await h?.stop();
});

async function newCoworking(fields: { available?: boolean; name?: string } = {}): Promise<string> {
  const id = randomUUID();
  await h.coworking.internals.db.coworking.create({
    data: {
      id,
      building: '8',
      name: fields.name ?? `Room ${id.slice(0, 8)}`,
      capacity: 6,
      available: fields.available ?? true,
    },
  });
  return id;
}

/** 2026-03-03 (tomorrow) from `from` to `to`, campus time. */
const tomorrow = (from: string, to: string) => ({
  startsAt: `2026-03-03T${from}:00+03:00`,
  endsAt: `2026-03-03T${to}:00+03:00`,
});

async function request(
  user: TestUser,
  coworkingId: string,
  slot = tomorrow('18:00', '20:00'),
  purpose = 'Study group',
) {
  h.known(user);
  return h.gql<{ requestBooking: BookingAnswer }>(user, REQUEST, { input: { coworkingId, purpose, ...slot } });
}

async function requested(
  user: TestUser,
  coworkingId: string,
  slot = tomorrow('18:00', '20:00'),
): Promise<BookingAnswer> {
  const answer = await request(user, coworkingId, slot);
  expect(answer.errors).toBeUndefined();
  return answer.data!.requestBooking;
}

async function act(user: TestUser | null, mutation: string, input: Record<string, unknown>) {
  const answer: GraphQLResponse<Record<string, BookingAnswer>> = await h.gql(user, step(mutation), { input });
  return { answer, booking: answer.data?.[mutation] ?? null, codes: errorCodes(answer) };
}

const row = (id: string) => h.coworking.internals.db.booking.findUniqueOrThrow({ where: { id } });

/** The outbox events of a booking, in publication order. */
async function eventsOf(bookingId: string) {
  const rows = await h.coworking.internals.db.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
  return rows
    .map((r) => r.payload as { type: string; data: Record<string, unknown> })
    .filter((e) => e.data.bookingId === bookingId);
}

describe('the booking lifecycle', () => {
  it('request → approve → key → recall → return → complete writes each step and its event', async () => {
    const coworkingId = await newCoworking({ name: 'Blue room' });
    const owner = student();
    const pending = await requested(owner, coworkingId);
    expect(pending).toMatchObject({ status: 'PENDING', version: 1, purpose: 'Study group' });
    expect(await row(pending.id)).toMatchObject({ status: 'pending', studentId: owner.id, coworkingId, version: 1 });

    h.clock.advance(60_000);
    const approved = await act(educator, 'approveBooking', { bookingId: pending.id, version: 1 });
    expect(approved.codes).toEqual([]);
    expect(approved.booking).toMatchObject({ status: 'APPROVED', version: 2 });
    expect(await row(pending.id)).toMatchObject({
      status: 'approved',
      decidedBy: educator.id,
      decidedAt: h.clock.now(),
      version: 2,
    });

    expect((await act(educator, 'handOverKey', { bookingId: pending.id })).booking?.status).toBe('KEY_TAKEN');
    expect(await row(pending.id)).toMatchObject({ keyTakenBy: educator.id, keyTakenAt: h.clock.now(), version: 3 });

    const recalled = await act(admin, 'requestKeyReturn', { bookingId: pending.id, reason: 'Closing time' });
    expect(recalled.booking?.status).toBe('KEY_RETURN_REQUESTED');
    expect(await row(pending.id)).toMatchObject({ keyReturnRequestedBy: admin.id, version: 4 });

    expect((await act(owner, 'returnKey', { bookingId: pending.id })).booking?.status).toBe('KEY_RETURNED');
    expect((await act(educator, 'completeBooking', { bookingId: pending.id })).booking).toMatchObject({
      status: 'COMPLETED',
      version: 6,
    });
    expect(await row(pending.id)).toMatchObject({ status: 'completed', completedBy: educator.id, version: 6 });

    const events = await eventsOf(pending.id);
    expect(events.map((e) => e.type)).toEqual([
      'campus.coworking.booking.requested.v1',
      'campus.coworking.booking.approved.v1',
      'campus.coworking.booking.key_taken.v1',
      'campus.coworking.booking.key_return_requested.v1',
      'campus.coworking.booking.key_returned.v1',
      'campus.coworking.booking.completed.v1',
    ]);
    expect(events.map((e) => [e.data.status, e.data.actorId])).toEqual([
      ['pending', owner.id],
      ['approved', educator.id],
      ['key_taken', educator.id],
      ['key_return_requested', admin.id],
      ['key_returned', owner.id],
      ['completed', educator.id],
    ]);
    expect(events[3]!.data).toMatchObject({
      coworkingId,
      coworkingName: 'Blue room',
      building: '8',
      studentId: owner.id,
      reason: 'Closing time',
      checkoutId: null,
      startsAt: '2026-03-03T15:00:00.000Z',
      endsAt: '2026-03-03T17:00:00.000Z',
    });
  });

  it('a rejection needs a reason, records it and frees the student for another request', async () => {
    const coworkingId = await newCoworking();
    const owner = student();
    const pending = await requested(owner, coworkingId);

    const bare = await act(educator, 'rejectBooking', { bookingId: pending.id, reason: '  ' });
    expect(bare.codes).toEqual(['COWRK_REJECTION_REASON_REQUIRED']);
    expect(await row(pending.id)).toMatchObject({ status: 'pending', version: 1 });

    const rejected = await act(educator, 'rejectBooking', { bookingId: pending.id, reason: 'Exams week' });
    expect(rejected.booking).toMatchObject({ status: 'REJECTED', rejectionReason: 'Exams week' });
    expect((await eventsOf(pending.id)).map((e) => [e.type, e.data.reason])).toEqual([
      ['campus.coworking.booking.requested.v1', null],
      ['campus.coworking.booking.rejected.v1', 'Exams week'],
    ]);
    expect((await request(owner, coworkingId)).errors).toBeUndefined();
  });

  it('only the student cancels, before the key is taken', async () => {
    const coworkingId = await newCoworking();
    const owner = student();
    const pending = await requested(owner, coworkingId);
    await act(educator, 'approveBooking', { bookingId: pending.id });

    const other = await act(student(), 'cancelBooking', { bookingId: pending.id });
    expect(other.codes).toEqual(['FORBIDDEN']);
    expect(other.answer.errors?.[0]?.extensions?.details).toMatchObject({ rule: 'booking_owner' });
    expect((await act(educator, 'cancelBooking', { bookingId: pending.id })).codes).toEqual(['FORBIDDEN']);

    const cancelled = await act(owner, 'cancelBooking', { bookingId: pending.id });
    expect(cancelled.booking?.status).toBe('CANCELLED');
    expect(await row(pending.id)).toMatchObject({ status: 'cancelled', cancelledBy: owner.id });
    expect((await eventsOf(pending.id)).at(-1)).toMatchObject({
      type: 'campus.coworking.booking.cancelled.v1',
      data: { status: 'cancelled', actorId: owner.id },
    });
  });

  it('an illegal step names the current status and changes nothing', async () => {
    const coworkingId = await newCoworking();
    const owner = student();
    const pending = await requested(owner, coworkingId);

    const early = await act(educator, 'handOverKey', { bookingId: pending.id });
    expect(early.codes).toEqual(['COWRK_INVALID_TRANSITION']);
    expect(early.answer.errors?.[0]?.extensions?.details).toMatchObject({
      bookingId: pending.id,
      status: 'pending',
      action: 'handOverKey',
    });

    await act(educator, 'approveBooking', { bookingId: pending.id });
    await act(educator, 'handOverKey', { bookingId: pending.id });
    const late = await act(owner, 'cancelBooking', { bookingId: pending.id });
    expect(late.codes).toEqual(['COWRK_INVALID_TRANSITION']);
    expect(late.answer.errors?.[0]?.extensions?.details).toMatchObject({ status: 'key_taken', action: 'cancel' });
    expect(await row(pending.id)).toMatchObject({ status: 'key_taken', version: 3 });
    expect(await eventsOf(pending.id)).toHaveLength(3);
  });

  it('a stale version is CONFLICT and changes nothing', async () => {
    const coworkingId = await newCoworking();
    const pending = await requested(student(), coworkingId);
    await act(educator, 'approveBooking', { bookingId: pending.id, version: 1 });

    const stale = await act(educator, 'handOverKey', { bookingId: pending.id, version: 1 });
    expect(stale.codes).toEqual(['CONFLICT']);
    expect(stale.answer.errors?.[0]?.extensions?.details).toMatchObject({ version: 1, currentVersion: 2 });
    expect(await row(pending.id)).toMatchObject({ status: 'approved', version: 2 });
    expect((await act(educator, 'handOverKey', { bookingId: pending.id, version: 2 })).booking?.status).toBe(
      'KEY_TAKEN',
    );
  });

  it('unknown bookings, anonymous callers and bad ids are refused with their codes', async () => {
    expect((await act(educator, 'approveBooking', { bookingId: randomUUID() })).codes).toEqual([
      'COWRK_BOOKING_NOT_FOUND',
    ]);
    expect((await act(null, 'approveBooking', { bookingId: randomUUID() })).codes).toEqual(['UNAUTHENTICATED']);
    expect((await act(educator, 'approveBooking', { bookingId: 'nope' })).codes).toEqual(['VALIDATION_ERROR']);
  });
});

describe('requesting a slot', () => {
  it('refuses what breaks a slot rule, with its code', async () => {
    const coworkingId = await newCoworking();
    const cases: [{ startsAt: string; endsAt: string }, string][] = [
      [{ startsAt: '2026-03-02T10:00:00+03:00', endsAt: '2026-03-02T11:00:00+03:00' }, 'COWRK_SLOT_IN_PAST'],
      [tomorrow('20:00', '19:00'), 'COWRK_SLOT_END_BEFORE_START'],
      [tomorrow('08:00', '13:00'), 'COWRK_SLOT_TOO_LONG'],
      [tomorrow('22:00', '23:30'), 'COWRK_OUTSIDE_OPENING_HOURS'],
      [{ startsAt: '2026-03-20T10:00:00+03:00', endsAt: '2026-03-20T11:00:00+03:00' }, 'COWRK_SLOT_TOO_FAR_AHEAD'],
    ];
    const user = student();
    for (const [slot, code] of cases) expect(errorCodes(await request(user, coworkingId, slot))).toEqual([code]);
    expect(errorCodes(await request(user, coworkingId, tomorrow('10:00', '11:00'), '   '))).toEqual([
      'COWRK_PURPOSE_REQUIRED',
    ]);
    expect(errorCodes(await request(user, coworkingId, tomorrow('10:00', '11:00'), 'x'.repeat(501)))).toEqual([
      'VALIDATION_ERROR',
    ]);
    expect(errorCodes(await request(user, randomUUID()))).toEqual(['COWRK_NOT_FOUND']);
    expect(errorCodes(await request(user, await newCoworking({ available: false })))).toEqual([
      'COWRK_UNAVAILABLE_COWORKING',
    ]);
    expect(errorCodes(await request(educator, coworkingId))).toEqual(['FORBIDDEN']);
    expect(await h.coworking.internals.db.booking.count({ where: { studentId: user.id } })).toBe(0);
  });

  it("a student's second active request is refused, naming the first", async () => {
    const owner = student();
    const first = await requested(owner, await newCoworking());
    const second = await request(owner, await newCoworking(), tomorrow('10:00', '11:00'));
    expect(errorCodes(second)).toEqual(['COWRK_ACTIVE_BOOKING_EXISTS']);
    expect(second.errors?.[0]?.extensions?.details).toMatchObject({ bookingId: first.id });
  });

  it('trims the purpose', async () => {
    const booking = await request(student(), await newCoworking(), tomorrow('09:00', '10:00'), '  Robotics  ');
    expect(booking.data?.requestBooking.purpose).toBe('Robotics');
  });
});
