// The catalogue over GraphQL with a real database: staff create and edit coworkings (validated,
// in a building identity's layout has, names unique per building, stale edits refused), anyone
// signed in lists them with whether a window is free and what is busy (times for students, the
// booking for staff).
import { randomUUID } from 'node:crypto';
import { errorCodes, eventually, staff, student, type GraphQLResponse } from '@campus/testkit';
import type { CoworkingDatabase } from '../../src/repository/database';
import { startCoworkingHarness, type CoworkingHarness } from '../support/harness';
import { seedBooking } from '../support/seed';

const AT = '2026-03-01T09:00:00.000Z';
const CREATE = `mutation($input: CreateCoworkingInput!) {
  createCoworking(input: $input) { id building name description capacity available version }
}`;
const UPDATE = `mutation($input: UpdateCoworkingInput!) {
  updateCoworking(input: $input) { id name description capacity available version }
}`;
const LIST = `query($building: String, $availableOnly: Boolean, $from: DateTime, $to: DateTime) {
  coworkings(building: $building, availableOnly: $availableOnly, from: $from, to: $to) {
    id name available freeInWindow
    busySlots(from: $from, to: $to) { startsAt endsAt status booking { id student { id } } }
  }
}`;

let h: CoworkingHarness;
let db: CoworkingDatabase;
const educator = staff('educator');
const admin = staff('admin');
const someone = student();

/** The buildings identity's layout has here (CheckPlace); the tests file coworkings under them. */
const BUILDINGS = ['8', '9', '10', '11', '12', '13', '14', '20'];

beforeAll(async () => {
  h = await startCoworkingHarness(AT);
  h.identity.addBuildings(BUILDINGS);
  db = h.coworking.internals.db;
});
afterAll(() => h?.stop());

type Created = { createCoworking: { id: string; version: number } };
const create = async (input: Record<string, unknown>, as = educator) => {
  const res = await h.gql<Created>(as, CREATE, { input });
  expect(res.errors).toBeUndefined();
  return res.data!.createCoworking;
};
const fieldsOf = (res: GraphQLResponse<unknown>) =>
  (res.errors?.[0]?.extensions as { details?: { fields?: Record<string, string> } } | undefined)?.details?.fields;

it('is ready once its database and broker answer', async () => {
  const readiness = await eventually(
    async () => (await fetch(`${h.baseUrl}/health/readiness`)).status,
    (status) => status === 200,
    10_000,
    'readiness',
  );
  expect(readiness).toBe(200);
});

describe('createCoworking', () => {
  it('adds a coworking for staff, trimmed, available by default, version 1', async () => {
    const res = await h.gql(educator, CREATE, {
      input: { building: ' 8 ', name: '  Quiet room ', description: 'Desks and a whiteboard', capacity: 8 },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      createCoworking: {
        id: expect.any(String),
        building: '8',
        name: 'Quiet room',
        description: 'Desks and a whiteboard',
        capacity: 8,
        available: true,
        version: 1,
      },
    });
  });

  it('refuses a student (FORBIDDEN) and an anonymous caller (UNAUTHENTICATED), writing nothing', async () => {
    const input = { building: '9', name: 'Nope', capacity: 2 };
    expect(errorCodes(await h.gql(someone, CREATE, { input }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.gql(null, CREATE, { input }))).toEqual(['UNAUTHENTICATED']);
    expect(await db.coworking.count({ where: { building: '9' } })).toBe(0);
  });

  it.each([
    ['an empty name', { name: '   ' }, 'name'],
    ['a name over 80 characters', { name: 'x'.repeat(81) }, 'name'],
    ['a description over 1000 characters', { description: 'd'.repeat(1001) }, 'description'],
    ['capacity 0', { capacity: 0 }, 'capacity'],
    ['capacity 101', { capacity: 101 }, 'capacity'],
    ['an empty building', { building: '' }, 'building'],
  ])('refuses %s with VALIDATION_ERROR naming the field', async (_, change, field) => {
    const res = await h.gql(admin, CREATE, { input: { building: '10', name: 'Valid', capacity: 4, ...change } });
    expect(errorCodes(res)).toEqual(['VALIDATION_ERROR']);
    expect(Object.keys(fieldsOf(res) ?? {})).toEqual([`input.${field}`]);
    expect(await db.coworking.count({ where: { building: '10' } })).toBe(0);
  });

  it('refuses a name the building already has (COWRK_NAME_TAKEN); another building may use it', async () => {
    await create({ building: '11', name: 'Loft', capacity: 4 });
    const res = await h.gql(educator, CREATE, { input: { building: '11', name: 'Loft', capacity: 10 } });
    expect(errorCodes(res)).toEqual(['COWRK_NAME_TAKEN']);
    expect(res.errors?.[0]?.extensions).toMatchObject({ details: { building: '11', name: 'Loft' } });
    await create({ building: '12', name: 'Loft', capacity: 4 });
    expect(await db.coworking.count({ where: { name: 'Loft' } })).toBe(2);
  });

  it("refuses a building identity's layout lacks (COWRK_BUILDING_NOT_FOUND), storing nothing", async () => {
    const asked = h.identity.callsTo('CheckPlace').length;
    const res = await h.gql(educator, CREATE, { input: { building: ' 88 ', name: 'Typo', capacity: 4 } });
    expect(errorCodes(res)).toEqual(['COWRK_BUILDING_NOT_FOUND']);
    expect(res.errors?.[0]?.extensions).toMatchObject({ details: { building: '88' } });
    expect(await db.coworking.count({ where: { name: 'Typo' } })).toBe(0);
    // identity was asked for the trimmed code, once
    expect(
      h.identity
        .callsTo('CheckPlace')
        .slice(asked)
        .map((c) => c.request),
    ).toEqual([expect.objectContaining({ building: '88' })]);

    // the same coworking in a building the layout has is stored
    await create({ building: '8', name: 'Typo', capacity: 4 });
    expect(await db.coworking.findMany({ where: { name: 'Typo' }, select: { building: true } })).toEqual([
      { building: '8' },
    ]);
  });

  it('refuses with COWRK_DEPENDENCY_UNAVAILABLE (retryable) while identity is down, storing nothing', async () => {
    h.identity.down = true;
    try {
      const res = await h.gql(educator, CREATE, { input: { building: '9', name: 'While down', capacity: 4 } });
      expect(errorCodes(res)).toEqual(['COWRK_DEPENDENCY_UNAVAILABLE']);
      expect(res.errors?.[0]?.extensions).toMatchObject({ details: { dependency: 'identity' } });
    } finally {
      h.identity.down = false;
    }
    expect(await db.coworking.count({ where: { name: 'While down' } })).toBe(0);
  });
});

describe('updateCoworking', () => {
  it('edits what is given and bumps the version; a stale version is CONFLICT and changes nothing', async () => {
    const { id } = await create({ building: '13', name: 'Studio', capacity: 4, description: 'old' });
    const res = await h.gql(educator, UPDATE, { input: { id, capacity: 6, available: false, version: 1 } });
    expect(res.data).toEqual({
      updateCoworking: { id, name: 'Studio', description: 'old', capacity: 6, available: false, version: 2 },
    });

    const stale = await h.gql(educator, UPDATE, { input: { id, name: 'Renamed', version: 1 } });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors?.[0]?.extensions).toMatchObject({ details: { coworkingId: id, currentVersion: 2 } });
    expect(await db.coworking.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: 'Studio', version: 2 });
  });

  it('refuses a name taken in the building, an unknown id, and a student', async () => {
    await create({ building: '14', name: 'A', capacity: 2 });
    const { id } = await create({ building: '14', name: 'B', capacity: 3 });
    expect(errorCodes(await h.gql(educator, UPDATE, { input: { id, name: 'A' } }))).toEqual(['COWRK_NAME_TAKEN']);
    expect(errorCodes(await h.gql(educator, UPDATE, { input: { id: randomUUID(), name: 'C' } }))).toEqual([
      'COWRK_NOT_FOUND',
    ]);
    expect(errorCodes(await h.gql(someone, UPDATE, { input: { id, name: 'C' } }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.gql(educator, UPDATE, { input: { id, capacity: 500 } }))).toEqual(['VALIDATION_ERROR']);
    expect((await db.coworking.findUniqueOrThrow({ where: { id } })).name).toBe('B');
  });
});

describe('coworkings, coworking(id) and busySlots', () => {
  type Listed = {
    id: string;
    name: string;
    available: boolean;
    freeInWindow: boolean | null;
    busySlots: {
      startsAt: string;
      endsAt: string;
      status: string;
      booking: { id: string; student: { id: string } } | null;
    }[];
  };
  let free: string;
  let busy: string;
  let closed: string;
  let approvedId: string;
  const owner = student();

  beforeAll(async () => {
    free = (await create({ building: '20', name: 'B free', capacity: 4 })).id;
    busy = (await create({ building: '20', name: 'A busy', capacity: 4 })).id;
    closed = (await create({ building: '20', name: 'C closed', capacity: 4, available: false })).id;
    approvedId = (
      await seedBooking(db, {
        coworkingId: busy,
        studentId: owner.id,
        status: 'approved',
        startsAt: '2026-03-01T12:00:00Z',
        endsAt: '2026-03-01T14:00:00Z',
      })
    ).id;
    // Neither pending, rejected nor cancelled bookings hold a slot.
    for (const status of ['pending', 'rejected', 'cancelled'] as const) {
      await seedBooking(db, {
        coworkingId: free,
        status,
        startsAt: '2026-03-01T12:00:00Z',
        endsAt: '2026-03-01T13:00:00Z',
      });
    }
  });

  it('lists by building and name, freeInWindow per coworking, busy times for a student without the booking', async () => {
    const res = await h.gql<{ coworkings: Listed[] }>(someone, LIST, {
      building: '20',
      from: '2026-03-01T13:00:00Z',
      to: '2026-03-01T15:00:00Z',
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.coworkings.map((c) => [c.name, c.freeInWindow, c.busySlots])).toEqual([
      [
        'A busy',
        false,
        [
          {
            startsAt: '2026-03-01T12:00:00.000Z',
            endsAt: '2026-03-01T14:00:00.000Z',
            status: 'APPROVED',
            booking: null,
          },
        ],
      ],
      ['B free', true, []],
      ['C closed', true, []],
    ]);
  });

  it('shows staff the booking behind a busy slot; availableOnly drops unavailable ones', async () => {
    const res = await h.gql<{ coworkings: Listed[] }>(educator, LIST, {
      building: '20',
      availableOnly: true,
      from: '2026-03-01T10:00:00Z',
      to: '2026-03-01T12:00:00Z',
    });
    expect(res.data!.coworkings.map((c) => [c.name, c.freeInWindow])).toEqual([
      ['A busy', true],
      ['B free', true],
    ]);
    const all = await h.gql<{ coworkings: Listed[] }>(educator, LIST, { building: '20' });
    const busyOne = all.data!.coworkings.find((c) => c.id === busy)!;
    expect(busyOne.freeInWindow).toBeNull();
    // Without a window, busySlots looks at the next 24 hours.
    expect(busyOne.busySlots).toEqual([
      expect.objectContaining({ status: 'APPROVED', booking: { id: approvedId, student: { id: owner.id } } }),
    ]);
    expect(all.data!.coworkings.map((c) => c.id)).toContain(closed);
  });

  it('refuses a half window, a reversed one and an anonymous caller', async () => {
    expect(errorCodes(await h.gql(someone, LIST, { from: '2026-03-01T10:00:00Z' }))).toEqual(['VALIDATION_ERROR']);
    expect(
      errorCodes(await h.gql(someone, LIST, { from: '2026-03-01T10:00:00Z', to: '2026-03-01T09:00:00Z' })),
    ).toEqual(['VALIDATION_ERROR']);
    expect(errorCodes(await h.gql(null, LIST, {}))).toEqual(['UNAUTHENTICATED']);
  });

  it('answers coworking(id), null for an unknown id', async () => {
    const q = 'query($id: ID!) { coworking(id: $id) { id name available } }';
    expect((await h.gql(someone, q, { id: closed })).data).toEqual({
      coworking: { id: closed, name: 'C closed', available: false },
    });
    expect((await h.gql(someone, q, { id: randomUUID() })).data).toEqual({ coworking: null });
  });
});
