// Sanctions through the GraphQL API on real PostgreSQL: created by the sweep for an overdue duty,
// listed by staff within their scope, seen by the resident, resolved once with a note (its event in
// the outbox), and a duty's sanctions shown to staff only.
import { randomUUID } from 'node:crypto';
import { staff, testUser, type TestUser } from '@campus/testkit';
import { dutyMoments } from '../../src/domain/duty-times';
import type { RoomRef } from '../../src/domain/records';
import { toDateColumn } from '../../src/repository/schedule.mapper';
import { startDutyHarness, type DutyHarness } from '../support/harness';

jest.setTimeout(60_000);

let h: DutyHarness;
let room: RoomRef;
let alice: TestUser;
let bob: TestUser;
let scheduleId: string;
const educator = staff('educator');
const admin = staff('admin');
const head = testUser({ roles: ['educator_head'], entrances: [{ building: 'E', entrance: 1 }] });
const otherHead = testUser({ roles: ['educator_head'], entrances: [{ building: 'E', entrance: 2 }] });

beforeAll(async () => {
  h = await startDutyHarness('2026-03-06T08:00:00.000Z', { env: { DUTY_SWEEP_CRON: '0 0 1 1 *' } });
  room = h.campus.addRoom('E', 1, '305');
  [alice, bob] = [h.campus.moveIn(room), h.campus.moveIn(room)];
  const db = h.duty.internals.db;
  const roster = await db.roster.create({
    data: {
      id: randomUUID(),
      building: 'E',
      entrance: 1,
      month: '2026-03',
      generatedBy: educator.id,
      generatedAt: new Date('2026-02-25T10:00:00.000Z'),
    },
  });
  scheduleId = randomUUID();
  await db.dutySchedule.create({
    data: {
      id: scheduleId,
      rosterId: roster.id,
      roomId: room.roomId,
      building: 'E',
      entrance: 1,
      floor: room.floor,
      roomNumber: '305',
      dutyDate: toDateColumn('2026-03-05'),
      month: '2026-03',
      ...dutyMoments('2026-03-05', h.config.times, h.config.campusTimeZone),
    },
  });
  await h.duty.internals.sweep.run(new Date('2026-03-05T20:00:05.000Z'));
});
afterAll(() => h?.stop());

const LIST = `query ($filter: DutySanctionFilter, $page: Int, $size: Int) {
  dutySanctions(filter: $filter, page: $page, size: $size) {
    total page size pages
    items { id status building entrance roomNumber dutyDate invitedAt user { id } schedule { id status date } resolvedBy { id } }
  }
}`;
interface Item {
  id: string;
  status: string;
  user: { id: string };
  schedule: { id: string; status: string; date: string };
  invitedAt: string;
  roomNumber: string;
}
const list = async (user: TestUser, filter: Record<string, unknown> = {}) =>
  h.gql<{ dutySanctions: { total: number; items: Item[] } }>(user, LIST, { filter });

const RESOLVE = `mutation ($input: ResolveSanctionInput!) {
  resolveSanction(input: $input) { id status resolvedAt resolutionNote resolvedBy { id } user { id } }
}`;

describe('dutySanctions', () => {
  it('staff see the open sanctions of the overdue duty, one per resident, with their duty', async () => {
    for (const user of [educator, admin, head]) {
      const res = await list(user, { building: 'E' });
      expect(res.errors).toBeUndefined();
      expect(res.data!.dutySanctions.total).toBe(2);
      expect(new Set(res.data!.dutySanctions.items.map((s) => s.user.id))).toEqual(new Set([alice.id, bob.id]));
      expect(res.data!.dutySanctions.items[0]).toMatchObject({
        status: 'OPEN',
        roomNumber: '305',
        invitedAt: '2026-03-06T06:00:00.000Z',
        schedule: { id: scheduleId, status: 'OVERDUE', date: '2026-03-05' },
      });
    }
  });

  it('an educator_head of another entrance: nothing without a filter, FORBIDDEN naming this one; students FORBIDDEN', async () => {
    expect((await list(otherHead)).data!.dutySanctions.total).toBe(0);
    const refused = await list(otherHead, { building: 'E', entrance: 1 });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect((await list(alice)).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a bad page size', async () => {
    const res = await h.gql(educator, LIST, { size: 500 });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

describe('User.sanctions and DutySchedule.sanctions', () => {
  const USER = `query ($reps: [_Any!]!, $status: SanctionStatus) {
    _entities(representations: $reps) { ... on User { id sanctions(status: $status) { id status user { id } } } }
  }`;
  const userSanctions = (caller: TestUser, of: TestUser, status?: string) =>
    h.gql<{ _entities: { sanctions: { id: string; user: { id: string } }[] }[] }>(caller, USER, {
      reps: [{ __typename: 'User', id: of.id }],
      ...(status ? { status } : {}),
    });

  it('the user themself and staff; another student is FORBIDDEN', async () => {
    const own = await userSanctions(alice, alice);
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities[0]!.sanctions).toEqual([expect.objectContaining({ user: { id: alice.id } })]);
    expect((await userSanctions(educator, alice, 'OPEN')).data!._entities[0]!.sanctions).toHaveLength(1);
    expect((await userSanctions(otherHead, alice)).data!._entities[0]!.sanctions).toEqual([]);
    const forbidden = await userSanctions(bob, alice);
    expect(forbidden.errors?.[0]).toMatchObject({
      path: ['_entities', 0, 'sanctions'],
      extensions: { code: 'FORBIDDEN' },
    });
    expect(forbidden.data!._entities).toEqual([{ id: alice.id, sanctions: null }]); // the user survives
  });

  it("a duty's sanctions: staff see them, the room's residents get an empty list", async () => {
    const Q = `query ($id: ID!) { dutySchedule(id: $id) { id status sanctions { id user { id } } } }`;
    const asStaff = await h.gql<{ dutySchedule: { sanctions: unknown[] } }>(educator, Q, { id: scheduleId });
    expect(asStaff.errors).toBeUndefined();
    expect(asStaff.data!.dutySchedule.sanctions).toHaveLength(2);
    const asResident = await h.gql<{ dutySchedule: { sanctions: unknown[] } }>(alice, Q, { id: scheduleId });
    expect(asResident.errors).toBeUndefined();
    expect(asResident.data!.dutySchedule.sanctions).toEqual([]);
  });
});

describe('User.sanctions, a page at a time', () => {
  const PAGED = `query ($reps: [_Any!]!, $status: SanctionStatus, $page: Int, $size: Int) {
    _entities(representations: $reps) {
      ... on User { id sanctions(status: $status, page: $page, size: $size) { id dutyDate status } }
    }
  }`;
  type Paged = { _entities: { id: string; sanctions: { id: string; dutyDate: string; status: string }[] | null }[] };
  // carol (room F/1/101) missed five duties of February, dave (F/1/102) two: one sanction each, a day apart.
  let carol: TestUser;
  let dave: TestUser;
  const ofCarol: string[] = []; // oldest first
  const ofDave: string[] = [];

  beforeAll(async () => {
    const db = h.duty.internals.db;
    const rooms = [h.campus.addRoom('F', 1, '101'), h.campus.addRoom('F', 1, '102')] as const;
    [carol, dave] = [h.campus.moveIn(rooms[0]), h.campus.moveIn(rooms[1])];
    const roster = await db.roster.create({
      data: {
        id: randomUUID(),
        building: 'F',
        entrance: 1,
        month: '2026-02',
        generatedBy: educator.id,
        generatedAt: new Date('2026-01-25T10:00:00.000Z'),
      },
    });
    for (const [who, r, days, ids] of [
      [carol, rooms[0], [1, 2, 3, 4, 5], ofCarol],
      [dave, rooms[1], [6, 7], ofDave],
    ] as const) {
      for (const day of days) {
        const date = `2026-02-0${day}`;
        const schedule = await db.dutySchedule.create({
          data: {
            id: randomUUID(),
            rosterId: roster.id,
            roomId: r.roomId,
            building: 'F',
            entrance: 1,
            floor: r.floor,
            roomNumber: r.number,
            dutyDate: toDateColumn(date),
            month: '2026-02',
            status: 'overdue',
            ...dutyMoments(date, h.config.times, h.config.campusTimeZone),
          },
        });
        const sanction = await db.sanction.create({
          data: {
            id: randomUUID(),
            scheduleId: schedule.id,
            userId: who.id,
            roomId: r.roomId,
            building: 'F',
            entrance: 1,
            floor: r.floor,
            roomNumber: r.number,
            dutyDate: toDateColumn(date),
            invitedAt: new Date(`2026-02-0${day + 1}T06:00:00.000Z`),
            createdAt: new Date(`2026-02-0${day}T20:00:05.000Z`),
          },
        });
        ids.push(sanction.id);
      }
    }
  });

  const paged = (caller: TestUser, of: TestUser[], args: Record<string, unknown> = {}) =>
    h.gql<Paged>(caller, PAGED, { reps: of.map((u) => ({ __typename: 'User', id: u.id })), ...args });
  const idsOf = (res: Awaited<ReturnType<typeof paged>>, i = 0) => {
    expect(res.errors).toBeUndefined();
    return res.data!._entities[i]!.sanctions!.map((s) => s.id);
  };

  it('pages newest first: page 2 holds the next entries, past the end is empty, the default page holds all five', async () => {
    const newest = [...ofCarol].reverse();
    expect(idsOf(await paged(educator, [carol], { page: 1, size: 2 }))).toEqual(newest.slice(0, 2));
    expect(idsOf(await paged(educator, [carol], { page: 2, size: 2 }))).toEqual(newest.slice(2, 4));
    expect(idsOf(await paged(educator, [carol], { page: 3, size: 2 }))).toEqual(newest.slice(4));
    expect(idsOf(await paged(educator, [carol], { page: 4, size: 2 }))).toEqual([]);
    expect(idsOf(await paged(educator, [carol]))).toEqual(newest);
    expect(idsOf(await paged(carol, [carol], { page: 2, size: 3 }))).toEqual(newest.slice(3));
  });

  it('pages what the status filter keeps', async () => {
    const db = h.duty.internals.db;
    const second = ofCarol[3]!; // the second newest
    await db.sanction.update({ where: { id: second }, data: { status: 'resolved', resolvedBy: educator.id } });
    try {
      const open = [...ofCarol].reverse().filter((id) => id !== second);
      expect(idsOf(await paged(educator, [carol], { status: 'OPEN', page: 2, size: 2 }))).toEqual(open.slice(2, 4));
      expect(idsOf(await paged(educator, [carol], { status: 'RESOLVED', page: 1, size: 2 }))).toEqual([second]);
    } finally {
      await db.sanction.update({ where: { id: second }, data: { status: 'open', resolvedBy: null } });
    }
  });

  it("loads every user's sanctions of a request in one batch", async () => {
    const spy = jest.spyOn(h.duty.internals.services.sanctions, 'sanctionsOfUsers');
    try {
      const res = await paged(educator, [carol, dave], { page: 2, size: 1 });
      expect(idsOf(res, 0)).toEqual([ofCarol[3]]);
      expect(idsOf(res, 1)).toEqual([ofDave[0]]);
      expect(spy).toHaveBeenCalledTimes(1);
      expect([...spy.mock.calls[0]![0]].sort()).toEqual([carol.id, dave.id].sort());
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a page size over 100 or a page below 1 with VALIDATION_ERROR naming the argument', async () => {
    for (const [args, field] of [
      [{ size: 101 }, 'size'],
      [{ size: 0 }, 'size'],
      [{ page: 0 }, 'page'],
    ] as const) {
      const res = await paged(educator, [carol], args);
      expect(res.errors?.[0]).toMatchObject({
        path: ['_entities', 0, 'sanctions'],
        extensions: { code: 'VALIDATION_ERROR', details: { fields: { [field]: expect.any(String) } } },
      });
      expect(res.data!._entities).toEqual([{ id: carol.id, sanctions: null }]);
    }
    expect(idsOf(await paged(educator, [carol], { size: 100 }))).toHaveLength(5);
  });
});

describe('resolveSanction', () => {
  it('needs a note, the right entrance, and succeeds once; its event is in the outbox', async () => {
    const [target] = (await list(educator, { building: 'E' })).data!.dutySanctions.items;
    const sanctionId = target!.id;
    const blank = await h.gql(head, RESOLVE, { input: { sanctionId, note: '   ' } });
    expect(blank.errors?.[0]?.extensions).toMatchObject({ code: 'DUTY_RESOLUTION_NOTE_REQUIRED' });
    const wrong = await h.gql(otherHead, RESOLVE, { input: { sanctionId, note: 'ok' } });
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const malformed = await h.gql(head, RESOLVE, { input: { sanctionId: 'nope', note: 'ok' } });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR' });

    const done = await h.gql<{ resolveSanction: Record<string, unknown> }>(head, RESOLVE, {
      input: { sanctionId, note: ' Поговорили. ' },
    });
    expect(done.errors).toBeUndefined();
    expect(done.data!.resolveSanction).toEqual({
      id: sanctionId,
      status: 'RESOLVED',
      resolvedAt: h.clock.now().toISOString(),
      resolutionNote: 'Поговорили.',
      resolvedBy: { id: head.id },
      user: { id: target!.user.id },
    });
    const again = await h.gql(educator, RESOLVE, { input: { sanctionId, note: 'again' } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'DUTY_SANCTION_RESOLVED' });

    const events = await h.duty.internals.db.outboxEvent.findMany({
      where: { type: 'campus.duty.sanction.resolved.v1' },
    });
    expect(events.map((e) => (e.payload as { data: unknown }).data)).toEqual([
      {
        sanctionId,
        scheduleId,
        userId: target!.user.id,
        roomNumber: '305',
        dutyDate: '2026-03-05',
        resolvedBy: head.id,
        note: 'Поговорили.',
        checkoutId: null,
      },
    ]);
    // Open by default now lists only the other one; RESOLVED lists this one.
    expect((await list(educator, { building: 'E' })).data!.dutySanctions.total).toBe(1);
    const resolved = await list(educator, { building: 'E', status: 'RESOLVED' });
    expect(resolved.data!.dutySanctions.items.map((s) => s.id)).toEqual([sanctionId]);
  });
});
