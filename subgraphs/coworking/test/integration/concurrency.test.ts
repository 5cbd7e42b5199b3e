// The invariants that concurrent commands could break are the database's: overlapping approved
// slots, two keys out of one coworking, two active bookings of one student. Sent in parallel over
// GraphQL, exactly one command wins and the others get the coded refusal (never INTERNAL_ERROR).
import { randomUUID } from 'node:crypto';
import { DomainError } from '@campus/platform';
import { authOf, errorCodes, staff, student, type GraphQLResponse, type TestUser } from '@campus/testkit';
import { requestBooking } from '../../src/domain/booking';
import { PrismaBookings } from '../../src/repository/bookings.repository';
import { startCoworkingHarness, type CoworkingHarness } from '../support/harness';

const AT = '2026-03-02T09:00:00.000Z';
const REQUEST = 'mutation($input: RequestBookingInput!) { requestBooking(input: $input) { id status } }';
const step = (name: string) => `mutation($input: BookingStepInput!) { ${name}(input: $input) { id status } }`;

type Answer = GraphQLResponse<Record<string, { id: string; status: string }>>;

let h: CoworkingHarness;

beforeAll(async () => {
  h = await startCoworkingHarness(AT);
});

afterAll(async () => {
  await h?.stop();
});

async function newCoworking(): Promise<string> {
  const id = randomUUID();
  await h.coworking.internals.db.coworking.create({
    data: { id, building: '8', name: `Room ${id.slice(0, 8)}`, capacity: 4 },
  });
  return id;
}

const slot = (from: string, to: string) => ({
  startsAt: `2026-03-03T${from}:00+03:00`,
  endsAt: `2026-03-03T${to}:00+03:00`,
});

async function requested(user: TestUser, coworkingId: string, times: { startsAt: string; endsAt: string }) {
  h.known(user);
  const answer: Answer = await h.gql(user, REQUEST, { input: { coworkingId, purpose: 'Practice', ...times } });
  expect(answer.errors).toBeUndefined();
  return answer.data!.requestBooking!.id;
}

/**
 * Sends as a well-behaved client does: a busy service's UNAVAILABLE (its pool was full: 20 commands
 * against 5 connections on a loaded machine) is retried after a pause, so the answer asserted is
 * the definitive one. The service never half-applies a busy refusal.
 */
async function retryWhileBusy<T extends GraphQLResponse<unknown>>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const answer = await send();
    if (attempt === 10 || errorCodes(answer).join() !== 'UNAVAILABLE') return answer;
    await new Promise((r) => setTimeout(r, 200 * attempt));
  }
}

const act = (user: TestUser, mutation: string, bookingId: string): Promise<Answer> =>
  retryWhileBusy(() => h.gql(user, step(mutation), { input: { bookingId } }));

const eventCount = async (type: string, bookingIds: string[]) => {
  const rows = await h.coworking.internals.db.outboxEvent.findMany({ where: { type } });
  return rows.filter((r) => bookingIds.includes((r.payload as { data: { bookingId: string } }).data.bookingId)).length;
};

describe('concurrent commands', () => {
  it('20 parallel approvals of overlapping slots: one APPROVED, 19 COWRK_SLOT_TAKEN', async () => {
    const coworkingId = await newCoworking();
    // 20 students, each asking for a slot overlapping all the others (pending ones may overlap).
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        requested(student(), coworkingId, slot(`16:${String(i).padStart(2, '0')}`, '19:00')),
      ),
    );

    const answers = await Promise.all(ids.map((id) => act(staff('educator'), 'approveBooking', id)));

    const winners = answers.filter((a) => !a.errors).map((a) => a.data!.approveBooking!.id);
    expect(winners).toHaveLength(1);
    const refused = answers.filter((a) => a.errors);
    expect(refused.flatMap((a) => errorCodes(a))).toEqual(Array(19).fill('COWRK_SLOT_TAKEN'));
    for (const answer of refused) {
      expect(answer.errors?.[0]?.extensions?.details).toMatchObject({ bookingId: winners[0], coworkingId });
    }

    const rows = await h.coworking.internals.db.booking.findMany({ where: { coworkingId } });
    expect(rows.filter((r) => r.status === 'approved').map((r) => r.id)).toEqual(winners);
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(19);
    expect(rows.filter((r) => r.status === 'pending').every((r) => r.version === 1)).toBe(true);
    expect(await eventCount('campus.coworking.booking.approved.v1', ids)).toBe(1);
  });

  it('two parallel key hand-overs of one coworking (adjacent slots): one wins, COWRK_KEY_ALREADY_OUT', async () => {
    for (let round = 0; round < 3; round++) {
      const coworkingId = await newCoworking();
      const educator = staff('educator');
      // [10:00, 12:00) and [12:00, 14:00) do not overlap: both may be approved, yet one key.
      const first = await requested(student(), coworkingId, slot('10:00', '12:00'));
      const second = await requested(student(), coworkingId, slot('12:00', '14:00'));
      for (const id of [first, second]) expect((await act(educator, 'approveBooking', id)).errors).toBeUndefined();

      const answers = await Promise.all([
        act(educator, 'handOverKey', first),
        act(staff('educator_head'), 'handOverKey', second),
      ]);

      expect(answers.filter((a) => !a.errors)).toHaveLength(1);
      expect(answers.flatMap((a) => errorCodes(a))).toEqual(['COWRK_KEY_ALREADY_OUT']);
      const holder = answers.find((a) => !a.errors)!.data!.handOverKey!.id;
      expect(answers.find((a) => a.errors)!.errors![0]!.extensions?.details).toMatchObject({ bookingId: holder });
      const rows = await h.coworking.internals.db.booking.findMany({ where: { coworkingId }, orderBy: { id: 'asc' } });
      expect(rows.filter((r) => r.status === 'key_taken').map((r) => r.id)).toEqual([holder]);
      expect(rows.filter((r) => r.status === 'approved')).toHaveLength(1);
      expect(await eventCount('campus.coworking.booking.key_taken.v1', [first, second])).toBe(1);
    }
  });

  it("a student's parallel requests: one booking, the others COWRK_ACTIVE_BOOKING_EXISTS", async () => {
    const owner = student();
    h.known(owner);
    const coworkings = await Promise.all(Array.from({ length: 8 }, () => newCoworking()));
    const answers = await Promise.all(
      coworkings.map((coworkingId) =>
        retryWhileBusy(() =>
          h.gql<Record<string, { id: string; status: string }>>(owner, REQUEST, {
            input: { coworkingId, purpose: 'Practice', ...slot('15:00', '16:00') },
          }),
        ),
      ),
    );

    expect(answers.filter((a) => !a.errors)).toHaveLength(1);
    expect(answers.flatMap((a) => errorCodes(a))).toEqual(Array(7).fill('COWRK_ACTIVE_BOOKING_EXISTS'));
    const rows = await h.coworking.internals.db.booking.findMany({ where: { studentId: owner.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).toBe(answers.find((a) => !a.errors)!.data!.requestBooking!.id);
    expect(await eventCount('campus.coworking.booking.requested.v1', [rows[0]!.id])).toBe(1);
    const outbox = await h.coworking.internals.db.outboxEvent.findMany({
      where: { type: 'campus.coworking.booking.requested.v1' },
    });
    expect(
      outbox.filter((r) => (r.payload as { data: { studentId: string } }).data.studentId === owner.id),
    ).toHaveLength(1);
  });

  it('the database decides a second active booking even past the service check', async () => {
    const owner = student();
    const first = await requested(owner, await newCoworking(), slot('15:00', '16:00'));
    const coworkingId = await newCoworking();
    const store = new PrismaBookings(h.coworking.internals.db);
    const times = slot('17:00', '18:00');
    const second = requestBooking(
      {
        id: randomUUID(),
        coworkingId,
        purpose: 'Again',
        startsAt: new Date(times.startsAt),
        endsAt: new Date(times.endsAt),
      },
      authOf(owner),
      h.clock.now(),
    );
    const noEvents = () => [];
    const error: unknown = await store.insertBooking(second, () => undefined, noEvents).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'COWRK_ACTIVE_BOOKING_EXISTS', details: { bookingId: first } });
    expect(await h.coworking.internals.db.booking.count({ where: { studentId: owner.id } })).toBe(1);
  });
});
