// Reading bookings over GraphQL with a real database: the staff's live board, one booking (its
// student and staff), the history with every filter and pages, a user's bookings through
// federation's _entities, and the Booking fields (coworking, users as references).
import { randomUUID } from 'node:crypto';
import { errorCodes, staff, student } from '@campus/testkit';
import type { Booking, Coworking } from '../../src/domain/records';
import type { CoworkingDatabase } from '../../src/repository/database';
import { startCoworkingHarness, type CoworkingHarness } from '../support/harness';
import { seedBooking, seedCoworking } from '../support/seed';

// 01:30 in Moscow (campus time): at night.
const NIGHT = '2026-03-01T22:30:00.000Z';
const DAY = '2026-03-02T09:00:00.000Z';
const BOARD = `query($building: String) { coworkingBoard(building: $building) {
  coworking { id name } current { id status } keyHolder { id status } keyOutSince keyOutAtNight
} }`;
const BOOKING = `query($id: ID!) { booking(id: $id) {
  id status purpose student { id } decidedBy { id } keyTakenBy { id } coworking { id name building }
} }`;
const HISTORY = `query($filter: BookingFilter, $page: Int, $size: Int) {
  coworkingBookings(filter: $filter, page: $page, size: $size) { total page size pages items { id } }
}`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on User { id coworkingBookings(status: $status, page: 1, size: 5) { total items { id status } } }
} }`.replace('query($reps: [_Any!]!)', 'query($reps: [_Any!]!, $status: BookingStatus)');

let h: CoworkingHarness;
let db: CoworkingDatabase;
const educator = staff('educator');
const owner = student();
const other = student();
let alpha: Coworking;
let beta: Coworking;
let gamma: Coworking;
let current: Booking;
let holder: Booking;
let later: Booking;
let old: Booking;

beforeAll(async () => {
  h = await startCoworkingHarness(NIGHT);
  db = h.coworking.internals.db;
  alpha = await seedCoworking(db, { building: '5', name: 'Alpha' });
  beta = await seedCoworking(db, { building: '5', name: 'Beta' });
  gamma = await seedCoworking(db, { building: '6', name: 'Gamma' });
  // Alpha: the slot of now, key handed over at 21:00 UTC and still out.
  holder = await seedBooking(db, {
    coworkingId: alpha.id,
    studentId: owner.id,
    status: 'key_taken',
    startsAt: '2026-03-01T21:00:00Z',
    endsAt: '2026-03-01T23:00:00Z',
    decidedBy: educator.id,
  });
  current = holder;
  // Beta: an approved slot now, no key out.
  later = await seedBooking(db, {
    coworkingId: beta.id,
    studentId: other.id,
    status: 'approved',
    startsAt: '2026-03-01T22:00:00Z',
    endsAt: '2026-03-01T23:30:00Z',
  });
  old = await seedBooking(db, {
    coworkingId: gamma.id,
    studentId: owner.id,
    status: 'completed',
    startsAt: '2026-02-20T10:00:00Z',
    endsAt: '2026-02-20T12:00:00Z',
  });
  await seedBooking(db, {
    coworkingId: gamma.id,
    studentId: owner.id,
    status: 'rejected',
    startsAt: '2026-02-25T10:00:00Z',
    endsAt: '2026-02-25T12:00:00Z',
  });
});
afterAll(() => h?.stop());

describe('coworkingBoard', () => {
  it('shows staff each coworking of a building with the slot of now and the key out at night', async () => {
    const res = await h.gql(educator, BOARD, { building: '5' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      coworkingBoard: [
        {
          coworking: { id: alpha.id, name: 'Alpha' },
          current: { id: current.id, status: 'KEY_TAKEN' },
          keyHolder: { id: holder.id, status: 'KEY_TAKEN' },
          keyOutSince: '2026-03-01T21:00:00.000Z',
          keyOutAtNight: true,
        },
        {
          coworking: { id: beta.id, name: 'Beta' },
          current: { id: later.id, status: 'APPROVED' },
          keyHolder: null,
          keyOutSince: null,
          keyOutAtNight: false,
        },
      ],
    });
  });

  it('keeps an earlier key holder after its slot ended, not at night in the daytime; every building without a filter', async () => {
    h.clock.set(DAY);
    try {
      const res = await h.gql<{
        coworkingBoard: {
          coworking: { name: string };
          current: unknown;
          keyHolder: { id: string } | null;
          keyOutAtNight: boolean;
        }[];
      }>(educator, BOARD, {});
      expect(
        res.data!.coworkingBoard.map((e) => [e.coworking.name, e.current, e.keyHolder?.id ?? null, e.keyOutAtNight]),
      ).toEqual([
        ['Alpha', null, holder.id, false],
        ['Beta', null, null, false],
        ['Gamma', null, null, false],
      ]);
    } finally {
      h.clock.set(NIGHT);
    }
  });

  it('is staff only', async () => {
    expect(errorCodes(await h.gql(owner, BOARD, {}))).toEqual(['FORBIDDEN']);
  });
});

describe('booking(id) and its fields', () => {
  it('answers its student and staff with the coworking and users as references; FORBIDDEN for another student', async () => {
    const expected = {
      booking: {
        id: holder.id,
        status: 'KEY_TAKEN',
        purpose: 'study group',
        student: { id: owner.id },
        decidedBy: { id: educator.id },
        keyTakenBy: null,
        coworking: { id: alpha.id, name: 'Alpha', building: '5' },
      },
    };
    expect((await h.gql(owner, BOOKING, { id: holder.id })).data).toEqual(expected);
    expect((await h.gql(educator, BOOKING, { id: holder.id })).data).toEqual(expected);
    const refused = await h.gql(other, BOOKING, { id: holder.id });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ details: { rule: 'own_or_staff', bookingId: holder.id } });
    expect((await h.gql(educator, BOOKING, { id: randomUUID() })).data).toEqual({ booking: null });
  });
});

describe('coworkingBookings (history)', () => {
  const ids = async (filter: Record<string, unknown>, page = 1, size = 20) => {
    const res = await h.gql<{ coworkingBookings: { total: number; items: { id: string }[] } }>(educator, HISTORY, {
      filter,
      page,
      size,
    });
    expect(res.errors).toBeUndefined();
    return res.data!.coworkingBookings;
  };

  it('filters by coworking, student, building, status and time, newest first', async () => {
    expect((await ids({})).items.map((b) => b.id).slice(0, 3)).toEqual([later.id, holder.id, expect.any(String)]);
    expect((await ids({ coworkingId: alpha.id })).items).toEqual([{ id: holder.id }]);
    expect((await ids({ studentId: owner.id })).total).toBe(3);
    expect((await ids({ building: '5' })).items.map((b) => b.id)).toEqual([later.id, holder.id]);
    expect((await ids({ status: 'COMPLETED' })).items).toEqual([{ id: old.id }]);
    expect((await ids({ from: '2026-03-01T00:00:00Z' })).items.map((b) => b.id)).toEqual([later.id, holder.id]);
    expect((await ids({ to: '2026-02-21T00:00:00Z' })).items).toEqual([{ id: old.id }]);
  });

  it('pages without overlap', async () => {
    const first = await ids({}, 1, 2);
    const second = await ids({}, 2, 2);
    expect(first).toMatchObject({ total: 4 });
    expect(second.items).toHaveLength(2);
    expect(new Set([...first.items, ...second.items].map((b) => b.id)).size).toBe(4);
  });

  it('is staff only and validates its input', async () => {
    expect(errorCodes(await h.gql(owner, HISTORY, {}))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.gql(educator, HISTORY, { size: 500 }))).toEqual(['VALIDATION_ERROR']);
    expect(errorCodes(await h.gql(educator, HISTORY, { filter: { studentId: 'x' } }))).toEqual(['VALIDATION_ERROR']);
  });
});

describe('User.coworkingBookings', () => {
  type Entities = {
    _entities: { id: string; coworkingBookings: { total: number; items: { id: string; status: string }[] } }[];
  };

  it('gives a student their own bookings, newest first, filtered by status', async () => {
    const reps = [{ __typename: 'User', id: owner.id }];
    const res = await h.gql<Entities>(owner, ENTITIES, { reps });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]!.coworkingBookings.total).toBe(3);
    expect(res.data!._entities[0]!.coworkingBookings.items[0]).toEqual({ id: holder.id, status: 'KEY_TAKEN' });
    const completed = await h.gql<Entities>(owner, ENTITIES, { reps, status: 'COMPLETED' });
    expect(completed.data!._entities[0]!.coworkingBookings).toEqual({
      total: 1,
      items: [{ id: old.id, status: 'COMPLETED' }],
    });
  });

  it("gives staff several users' bookings in one request; another student is FORBIDDEN", async () => {
    const reps = [
      { __typename: 'User', id: owner.id },
      { __typename: 'User', id: other.id },
      { __typename: 'User', id: randomUUID() },
    ];
    const res = await h.gql<Entities>(educator, ENTITIES, { reps });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((u) => u.coworkingBookings.total)).toEqual([3, 1, 0]);
    const forbidden = await h.gql<Entities>(other, ENTITIES, { reps: [{ __typename: 'User', id: owner.id }] });
    expect(errorCodes(forbidden)).toEqual(['FORBIDDEN']);
    // the field is null (nullable for this reason), the user around it still arrives
    expect(forbidden.data!._entities).toEqual([{ id: owner.id, coworkingBookings: null }]);
  });
});
