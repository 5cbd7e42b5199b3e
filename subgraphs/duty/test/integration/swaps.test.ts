// Duty swaps on a real PostgreSQL (campus_duty's migrations): the swap rows with their history,
// the schedules an approval re-dates (the room-per-date unique index, versions, deadlines), the
// outbox events of each step, and refusals that write nothing. The campus is an in-memory
// directory; the clock stands still in campus time.
import { randomUUID } from 'node:crypto';
import { createDatabasePool, createPrismaClient, type DatabasePool } from '@campus/platform';
import {
  authOf,
  createTestDatabase,
  residence,
  staff,
  student,
  TestClock,
  type TestDatabase,
  type TestUser,
} from '@campus/testkit';
import { dutyMoments } from '../../src/domain/duty-times';
import type { DutyTimes, Resident, RoomRef } from '../../src/domain/records';
import { PrismaClient, type DutyDatabase } from '../../src/repository/database';
import { toDateColumn } from '../../src/repository/schedule.mapper';
import { PrismaSwapStore } from '../../src/repository/swaps.repository';
import type { RoomDirectory } from '../../src/services/ports';
import { DutySwaps } from '../../src/services/swaps.service';

const TZ = 'Europe/Moscow';
const TIMES: DutyTimes = {
  deadline: '23:00',
  eveningReminder: '18:00',
  morningReminder: '09:00',
  sanctionInvitation: '09:00',
};
/** 2026-03-10 12:00 in Moscow. */
const NOW = '2026-03-10T09:00:00.000Z';

let database: TestDatabase;
let pool: DatabasePool;
let db: DutyDatabase;
let clock: TestClock;
let swaps: DutySwaps;
let wakeUps = 0;
const residents = new Map<string, Resident[]>();

const directory: RoomDirectory = {
  occupiedRooms: async () => [],
  residentsOf: async (rooms) => new Map(rooms.map((r) => [r.roomId, residents.get(r.roomId) ?? []])),
  roomsOf: async () => new Map(),
};

beforeAll(async () => {
  database = await createTestDatabase('duty');
  pool = createDatabasePool(database.url, 4);
  db = createPrismaClient(PrismaClient, pool);
  clock = new TestClock(NOW);
  swaps = new DutySwaps({
    store: new PrismaSwapStore(db, () => wakeUps++),
    rooms: directory,
    clock,
    times: TIMES,
    timeZone: TZ,
  });
});

afterAll(async () => {
  await db?.$disconnect();
  await pool?.end();
  await database?.drop();
});

/** An entrance's March roster with one pending duty per (room number, date). */
async function entrance(building: string, number: number, duties: [string, string][]) {
  const rosterId = randomUUID();
  await db.roster.create({
    data: {
      id: rosterId,
      building,
      entrance: number,
      month: '2026-03',
      generatedBy: randomUUID(),
      generatedAt: new Date(NOW),
    },
  });
  const rooms = new Map<string, RoomRef>();
  const users = new Map<string, TestUser>();
  const ids: string[] = [];
  for (const [roomNumber, date] of duties) {
    if (!rooms.has(roomNumber)) {
      const room = {
        roomId: randomUUID(),
        building,
        entrance: number,
        floor: Number(roomNumber[0]),
        number: roomNumber,
      };
      rooms.set(roomNumber, room);
      const user = student({ residence: residence(building, number, roomNumber) });
      users.set(roomNumber, user);
      residents.set(room.roomId, [{ userId: user.id, roomId: room.roomId, fullName: `Resident of ${roomNumber}` }]);
    }
    const room = rooms.get(roomNumber)!;
    const id = randomUUID();
    ids.push(id);
    await db.dutySchedule.create({
      data: {
        id,
        rosterId,
        roomId: room.roomId,
        building,
        entrance: number,
        floor: room.floor,
        roomNumber,
        dutyDate: toDateColumn(date),
        month: '2026-03',
        ...dutyMoments(date, TIMES, TZ),
      },
    });
  }
  return { ids, rooms, users, auth: (roomNumber: string) => authOf(users.get(roomNumber)!) };
}

const swapRows = (ids: string[]) =>
  db.dutySwap.findMany({
    where: { OR: [{ fromScheduleId: { in: ids } }, { toScheduleId: { in: ids } }] },
    orderBy: { requestedAt: 'asc' },
  });
const outboxOf = async (swapId: string) =>
  (await db.outboxEvent.findMany({ orderBy: { seq: 'asc' } }))
    .map((e) => e.payload as { type: string; subject?: string; data: Record<string, unknown> })
    .filter((e) => e.subject === swapId);
const scheduleRow = (id: string) => db.dutySchedule.findUniqueOrThrow({ where: { id } });
const dateOf = (d: Date) => d.toISOString().slice(0, 10);

describe('duty swaps on PostgreSQL', () => {
  const educator = staff('educator');

  beforeEach(() => clock.set(NOW));

  it('request → accept → approve exchanges the dates: rows, versions, deadlines, outbox events, history', async () => {
    const e = await entrance('8', 1, [
      ['301', '2026-03-12'],
      ['302', '2026-03-20'],
    ]);
    const [a, b] = e.ids as [string, string];
    const beforeWakeUps = wakeUps;

    const asked = await swaps.request(e.auth('301'), { scheduleId: a, withScheduleId: b, reason: 'exam on the 12th' });
    clock.set('2026-03-10T10:00:00.000Z');
    await swaps.accept(e.auth('302'), { swapId: asked.id, reason: null });
    clock.set('2026-03-10T11:00:00.000Z');
    const approved = await swaps.approve(authOf(educator), { swapId: asked.id, reason: 'approved' });
    expect(approved).toMatchObject({ status: 'approved', version: 3 });

    const [row] = await swapRows([a]);
    expect(row).toMatchObject({
      id: asked.id,
      building: '8',
      entrance: 1,
      fromScheduleId: a,
      toScheduleId: b,
      fromRoomId: e.rooms.get('301')!.roomId,
      toRoomId: e.rooms.get('302')!.roomId,
      fromDate: new Date('2026-03-12T00:00:00.000Z'),
      toDate: new Date('2026-03-20T00:00:00.000Z'),
      status: 'approved',
      requestedBy: e.users.get('301')!.id,
      requestedAt: new Date(NOW),
      respondedBy: e.users.get('302')!.id,
      respondedAt: new Date('2026-03-10T10:00:00.000Z'),
      decidedBy: educator.id,
      decidedAt: new Date('2026-03-10T11:00:00.000Z'),
      reason: 'approved',
      version: 3,
    });

    const [fromRow, toRow] = await Promise.all([scheduleRow(a), scheduleRow(b)]);
    expect({ date: dateOf(fromRow.dutyDate), version: fromRow.version, status: fromRow.status }).toEqual({
      date: '2026-03-20',
      version: 2,
      status: 'pending',
    });
    expect(fromRow).toMatchObject({
      deadlineAt: new Date('2026-03-20T20:00:00.000Z'),
      eveningReminderAt: new Date('2026-03-19T15:00:00.000Z'),
      morningReminderAt: new Date('2026-03-20T06:00:00.000Z'),
      eveningRemindedAt: null,
      morningRemindedAt: null,
    });
    expect({ date: dateOf(toRow.dutyDate), version: toRow.version }).toEqual({ date: '2026-03-12', version: 2 });
    expect(toRow.deadlineAt).toEqual(new Date('2026-03-12T20:00:00.000Z'));

    const events = await outboxOf(asked.id);
    expect(events.map((ev) => ev.type)).toEqual([
      'campus.duty.swap.requested.v1',
      'campus.duty.swap.accepted.v1',
      'campus.duty.swap.approved.v1',
    ]);
    expect(events.map((ev) => ev.data.status)).toEqual(['requested', 'accepted', 'approved']);
    expect(events[0]!.data).toMatchObject({
      actorId: e.users.get('301')!.id,
      reason: 'exam on the 12th',
      fromRoomNumber: '301',
      toRoomNumber: '302',
      fromDate: '2026-03-12',
      toDate: '2026-03-20',
      fromResidentIds: [e.users.get('301')!.id],
      toResidentIds: [e.users.get('302')!.id],
    });
    expect(events[2]!.data).toMatchObject({ actorId: educator.id, reason: 'approved' });
    expect(wakeUps - beforeWakeUps).toBe(3);
  });

  it('refuses a swap across entrances with the code and writes nothing', async () => {
    const one = await entrance('9', 1, [['301', '2026-03-12']]);
    const two = await entrance('9', 2, [['302', '2026-03-20']]);
    const outboxBefore = await db.outboxEvent.count();
    await expect(
      swaps.request(one.auth('301'), { scheduleId: one.ids[0]!, withScheduleId: two.ids[0]!, reason: null }),
    ).rejects.toMatchObject({
      code: 'DUTY_SWAP_ACROSS_ENTRANCES',
      details: { from: { building: '9', entrance: 1 }, to: { building: '9', entrance: 2 } },
    });
    expect(await swapRows([one.ids[0]!, two.ids[0]!])).toEqual([]);
    expect(await db.outboxEvent.count()).toBe(outboxBefore);
  });

  it('refuses a past duty, and a second request on a duty with an open swap (also when both race)', async () => {
    const e = await entrance('10', 1, [
      ['301', '2026-03-09'],
      ['301', '2026-03-12'],
      ['302', '2026-03-20'],
      ['303', '2026-03-22'],
    ]);
    const [past, a, b, c] = e.ids as [string, string, string, string];
    await expect(
      swaps.request(e.auth('301'), { scheduleId: past, withScheduleId: b, reason: null }),
    ).rejects.toMatchObject({
      code: 'DUTY_DATE_IN_PAST',
      details: { scheduleId: past, date: '2026-03-09' },
    });

    // Two requests on duty b at once: the row locks let exactly one open.
    const results = await Promise.allSettled([
      swaps.request(e.auth('301'), { scheduleId: a, withScheduleId: b, reason: null }),
      swaps.request(e.auth('303'), { scheduleId: c, withScheduleId: b, reason: null }),
    ]);
    const opened = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(opened).toHaveLength(1);
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual(['DUTY_SWAP_PENDING']);

    await expect(
      swaps.request(e.auth('301'), { scheduleId: a, withScheduleId: b, reason: null }),
    ).rejects.toMatchObject({
      code: 'DUTY_SWAP_PENDING',
    });
    expect((await swapRows([a, b, c])).map((r) => r.status)).toEqual(['requested']);
  });

  it('refuses the wrong person at each step with FORBIDDEN, and the row stays as it was', async () => {
    const e = await entrance('11', 1, [
      ['301', '2026-03-12'],
      ['302', '2026-03-20'],
      ['303', '2026-03-22'],
    ]);
    const [a, b] = e.ids as [string, string];
    const head2 = authOf(student({ roles: ['student', 'student_head'], residence: residence('11', 2, '501') }));
    await expect(
      swaps.request(e.auth('302'), { scheduleId: a, withScheduleId: b, reason: null }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const asked = await swaps.request(e.auth('301'), { scheduleId: a, withScheduleId: b, reason: null });
    const ref = { swapId: asked.id, reason: null };
    await expect(swaps.accept(e.auth('301'), ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(swaps.decline(e.auth('303'), ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(swaps.cancel(e.auth('302'), ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await swaps.accept(e.auth('302'), ref);
    await expect(swaps.approve(e.auth('301'), ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(swaps.approve(head2, ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(swaps.reject(authOf(staff('admin')), ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const [row] = await swapRows([a]);
    expect(row).toMatchObject({ status: 'accepted', version: 2, decidedBy: null });
    expect((await outboxOf(asked.id)).map((ev) => ev.type)).toEqual([
      'campus.duty.swap.requested.v1',
      'campus.duty.swap.accepted.v1',
    ]);
    expect((await scheduleRow(a)).version).toBe(1);
  });

  it('refuses an approval after a duty has passed, changing nothing; a rejection then closes it', async () => {
    const e = await entrance('12', 1, [
      ['301', '2026-03-12'],
      ['302', '2026-03-20'],
    ]);
    const [a, b] = e.ids as [string, string];
    const asked = await swaps.request(e.auth('301'), { scheduleId: a, withScheduleId: b, reason: null });
    await swaps.accept(e.auth('302'), { swapId: asked.id, reason: null });
    clock.set('2026-03-12T20:30:00.000Z'); // 23:30 Moscow on the 12th
    await expect(swaps.approve(authOf(educator), { swapId: asked.id, reason: null })).rejects.toMatchObject({
      code: 'DUTY_DATE_IN_PAST',
    });
    expect(dateOf((await scheduleRow(a)).dutyDate)).toBe('2026-03-12');
    expect((await scheduleRow(a)).version).toBe(1);
    expect((await swapRows([a]))[0]!.status).toBe('accepted');

    await swaps.reject(authOf(educator), { swapId: asked.id, reason: 'too late' });
    expect((await swapRows([a]))[0]).toMatchObject({ status: 'rejected', decidedBy: educator.id, reason: 'too late' });
  });

  it('trips the room-per-date index as DUTY_DATE_TAKEN when a room got a duty on its new date, rolling back', async () => {
    const e = await entrance('13', 1, [
      ['301', '2026-03-12'],
      ['302', '2026-03-20'],
    ]);
    const [a, b] = e.ids as [string, string];
    const asked = await swaps.request(e.auth('301'), { scheduleId: a, withScheduleId: b, reason: null });
    await swaps.accept(e.auth('302'), { swapId: asked.id, reason: null });
    // Room 301 is given the 20th as well, after the request (e.g. a roster change).
    const extra = await db.dutySchedule.findUniqueOrThrow({ where: { id: a } });
    const extraId = randomUUID();
    await db.dutySchedule.create({
      data: { ...extra, id: extraId, dutyDate: toDateColumn('2026-03-20'), ...dutyMoments('2026-03-20', TIMES, TZ) },
    });
    await expect(swaps.approve(authOf(educator), { swapId: asked.id, reason: null })).rejects.toMatchObject({
      code: 'DUTY_DATE_TAKEN',
      details: { scheduleId: extraId },
    });
    // And straight at the store, past the check: the unique index refuses and the transaction rolls back.
    const store = new PrismaSwapStore(db);
    const [from, to] = await store.schedulesByIds([a, b]);
    const swap = (await store.findSwap(asked.id))!;
    const outcome = await store.approveSwap(
      { ...swap, status: 'approved' },
      swap.version,
      [
        { schedule: { ...from!, dutyDate: '2026-03-20' }, expectedVersion: from!.version },
        { schedule: { ...to!, dutyDate: '2026-03-12' }, expectedVersion: to!.version },
      ],
      [],
    );
    expect(outcome).toBe('date_taken');
    expect((await swapRows([a]))[0]).toMatchObject({ status: 'accepted', version: 2 });
    expect(dateOf((await scheduleRow(b)).dutyDate)).toBe('2026-03-20');
  });

  it('answers CONFLICT to a stale step instead of overwriting the newer one', async () => {
    const e = await entrance('14', 1, [
      ['301', '2026-03-12'],
      ['302', '2026-03-20'],
    ]);
    const [a, b] = e.ids as [string, string];
    const asked = await swaps.request(e.auth('301'), { scheduleId: a, withScheduleId: b, reason: null });
    const store = new PrismaSwapStore(db);
    const stale = (await store.findSwap(asked.id))!;
    await swaps.cancel(e.auth('301'), { swapId: asked.id, reason: null });
    expect(await store.updateSwap({ ...stale, status: 'accepted' }, stale.version, [])).toBe('conflict');
    expect((await swapRows([a]))[0]).toMatchObject({ status: 'cancelled', version: 2 });
  });

  it('keeps the history: every swap of a duty with its actors and times, newest first, and lists by scope', async () => {
    const e = await entrance('15', 1, [
      ['301', '2026-03-12'],
      ['302', '2026-03-20'],
      ['303', '2026-03-25'],
    ]);
    const [a, b, c] = e.ids as [string, string, string];
    const first = await swaps.request(e.auth('301'), { scheduleId: a, withScheduleId: b, reason: 'first' });
    clock.advance(60_000);
    await swaps.decline(e.auth('302'), { swapId: first.id, reason: 'no' });
    clock.advance(60_000);
    const second = await swaps.request(e.auth('301'), { scheduleId: a, withScheduleId: c, reason: 'second' });
    clock.advance(60_000);
    await swaps.cancel(e.auth('301'), { swapId: second.id, reason: null });

    const history = await swaps.swapsOfSchedules([a]);
    expect(history.map((s) => [s.id, s.status, s.requestedBy, s.respondedBy, s.decidedBy])).toEqual([
      [second.id, 'cancelled', e.users.get('301')!.id, null, e.users.get('301')!.id],
      [first.id, 'declined', e.users.get('301')!.id, e.users.get('302')!.id, null],
    ]);
    expect(history[1]).toMatchObject({ requestedAt: new Date(NOW), respondedAt: new Date(Date.parse(NOW) + 60_000) });

    const page = { page: 1, size: 1, skip: 0, take: 1 };
    const staffPage = await swaps.list(authOf(educator), { building: '15', entrance: 1 }, page);
    expect({ total: staffPage.total, pages: staffPage.pages, first: staffPage.items[0]!.id }).toEqual({
      total: 2,
      pages: 2,
      first: second.id,
    });
    expect(
      (await swaps.list(e.auth('302'), {}, { page: 1, size: 20, skip: 0, take: 20 })).items.map((s) => s.id),
    ).toEqual([first.id]);
    expect(
      (await swaps.list(authOf(educator), { building: '15', status: 'declined' }, page)).items.map((s) => s.id),
    ).toEqual([first.id]);
  });
});
