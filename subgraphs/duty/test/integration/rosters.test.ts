// Rosters and schedules through GraphQL (and gRPC ListRoomDuties) on a real PostgreSQL and
// RabbitMQ: generating a month, its event, the staff calendar, moving duties, and who may read or
// change what. The campus (identity) is an in-memory fake; the clock stands still in campus time.
import { createGrpcClient, type GrpcClient } from '@campus/platform';
import { errorCodes, EventObserver, staff, testUser, type GraphQLResponse, type TestUser } from '@campus/testkit';
import { dutyService, type DutyServiceDefinition } from '@campus/contracts';
import type { RoomRef } from '../../src/domain/records';
import { startDutyHarness, type DutyHarness } from '../support/harness';

// 2026-03-10 08:00 in Moscow (UTC+3): before the morning reminder, so today may get a duty.
const NOW = '2026-03-10T05:00:00.000Z';

const GENERATE = `mutation($input: GenerateDutyRosterInput!) {
  generateDutyRoster(input: $input) {
    id building entrance month generatedAt generatedBy { id }
    schedules { id room { id } building entrance floor roomNumber date status deadlineAt version }
  }
}`;
const MOVE = `mutation($input: MoveDutyInput!) {
  moveDuty(input: $input) { id date status deadlineAt version roomNumber }
}`;
const CALENDAR = `query($b: String!, $e: Int!, $m: String!) {
  dutyCalendar(building: $b, entrance: $e, month: $m) {
    building entrance month dates rows { room { id } floor roomNumber duties { date status } }
  }
}`;
const ROOM_DUTIES = `query($r: [_Any!]!, $m: String) {
  _entities(representations: $r) { ... on Room { duties(month: $m) { id date roomNumber } } }
}`;
const USER_DUTIES = `query($r: [_Any!]!, $from: Date, $to: Date) {
  _entities(representations: $r) { ... on User { dutySchedules(from: $from, to: $to) { id date roomNumber } } }
}`;

interface Schedule {
  id: string;
  room: { id: string };
  building: string;
  entrance: number;
  floor: number;
  roomNumber: string;
  date: string;
  status: string;
  deadlineAt: string;
  version: number;
}
interface Roster {
  id: string;
  building: string;
  entrance: number;
  month: string;
  generatedAt: string;
  generatedBy: { id: string };
  schedules: Schedule[];
}

let h: DutyHarness;
let observer: EventObserver;
let grpc: GrpcClient<DutyServiceDefinition>;

let rooms: RoomRef[]; // 8/1: 301…305 occupied, 306 empty
let otherRoom: RoomRef; // 8/2: 401
const educator = staff('educator');
const admin = staff('admin');
const assignedHead = staff('educator_head', { entrances: [{ building: '8', entrance: 1 }] });
const unassignedHead = staff('educator_head', { entrances: [{ building: '8', entrance: 2 }] });
let head1: TestUser; // student_head living in 8/1, room 301
let head2: TestUser; // student_head living in 8/2, room 401
let resident302: TestUser;
let resident303: TestUser;
let homeless: TestUser; // a student identity knows no room of

let march: Roster;

const generate = (user: TestUser | null, input: Record<string, unknown>) =>
  h.gql<{ generateDutyRoster: Roster }>(user, GENERATE, { input: { building: '8', entrance: 1, ...input } });
const move = (user: TestUser | null, input: Record<string, unknown>) =>
  h.gql<{ moveDuty: Schedule }>(user, MOVE, { input });
const detailsOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.details as Record<string, unknown>;
const outboxCount = () => h.duty.internals.db.outboxEvent.count();
const scheduleRow = (id: string) => h.duty.internals.db.dutySchedule.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  h = await startDutyHarness(NOW);
  observer = await new EventObserver(h.exchange).start();
  grpc = createGrpcClient(dutyService, `127.0.0.1:${h.duty.grpcPort}`, { name: 'duty' });
  rooms = h.campus.addRooms('8', 1, 301, 6);
  otherRoom = h.campus.addRoom('8', 2, '401');
  head1 = h.campus.moveIn(rooms[0]!, testUser({ roles: ['student', 'student_head'] }));
  resident302 = h.campus.moveIn(rooms[1]!);
  h.campus.moveIn(rooms[1]!); // a second resident of 302
  resident303 = h.campus.moveIn(rooms[2]!);
  h.campus.moveIn(rooms[3]!);
  h.campus.moveIn(rooms[4]!);
  head2 = h.campus.moveIn(otherRoom, testUser({ roles: ['student', 'student_head'] }));
  homeless = testUser({ roles: ['student'] });
});

afterAll(async () => {
  grpc?.$close();
  await observer?.stop();
  await h?.stop();
});

describe('generateDutyRoster', () => {
  it.each([
    ['the student_head of another entrance', () => head2],
    ['an educator_head not assigned to the entrance', () => unassignedHead],
    ['a plain student of the entrance', () => resident302],
    ['the night administrator', () => admin],
  ])('refuses %s with FORBIDDEN and writes nothing', async (_, who) => {
    const res = await generate(who(), { month: '2026-03' });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(detailsOf(res)).toEqual({ rule: 'roster_scope', building: '8', entrance: 1 });
    expect(await outboxCount()).toBe(0);
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    expect(errorCodes(await generate(null, { month: '2026-03' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a month that is none or is past, and a third turn', async () => {
    const bad = await generate(educator, { month: '2026-13' });
    expect(errorCodes(bad)).toEqual(['DUTY_INVALID_MONTH']);
    expect(detailsOf(bad)).toEqual({ month: '2026-13' });
    expect(errorCodes(await generate(educator, { month: '2026-02' }))).toEqual(['DUTY_INVALID_MONTH']);
    expect(errorCodes(await generate(educator, { month: '2026-04', maxTurnsPerRoom: 3 }))).toEqual([
      'VALIDATION_ERROR',
    ]);
  });

  it('refuses an entrance without occupied rooms, and fails cleanly while identity is down', async () => {
    const empty = await h.gql(educator, GENERATE, { input: { building: '8', entrance: 3, month: '2026-03' } });
    expect(errorCodes(empty)).toEqual(['DUTY_NO_OCCUPIED_ROOMS']);
    h.campus.down = true;
    try {
      const down = await generate(educator, { month: '2026-03' });
      expect(errorCodes(down)).toEqual(['DUTY_DEPENDENCY_UNAVAILABLE']);
      expect(detailsOf(down)).toMatchObject({ dependency: 'identity' });
    } finally {
      h.campus.down = false;
    }
    expect(await outboxCount()).toBe(0);
  });

  it("generates the current month from today for the entrance's student_head, one turn per occupied room", async () => {
    const res = await generate(head1, { month: '2026-03' });
    expect(res.errors).toBeUndefined();
    march = res.data!.generateDutyRoster;
    expect(march).toMatchObject({
      building: '8',
      entrance: 1,
      month: '2026-03',
      generatedBy: { id: head1.id },
      generatedAt: NOW,
    });
    // 22 days from the 10th, 5 occupied rooms (306 is empty): every ~4th day, in rotation order
    expect(march.schedules.map((s) => [s.roomNumber, s.date])).toEqual([
      ['301', '2026-03-10'],
      ['302', '2026-03-14'],
      ['303', '2026-03-18'],
      ['304', '2026-03-23'],
      ['305', '2026-03-27'],
    ]);
    expect(march.schedules[1]).toEqual({
      id: expect.any(String),
      room: { id: rooms[1]!.roomId },
      building: '8',
      entrance: 1,
      floor: 3,
      roomNumber: '302',
      date: '2026-03-14',
      status: 'PENDING',
      deadlineAt: '2026-03-14T20:00:00.000Z', // 23:00 in Moscow
      version: 1,
    });
    const row = await scheduleRow(march.schedules[1]!.id);
    expect(row.eveningReminderAt.toISOString()).toBe('2026-03-13T15:00:00.000Z'); // 18:00 the day before
    expect(row.morningReminderAt.toISOString()).toBe('2026-03-14T06:00:00.000Z'); // 09:00 on the day
  });

  it('publishes campus.duty.roster.generated.v1 with every duty through the outbox', async () => {
    const event = await observer.waitForEvent((e) => e.type === 'campus.duty.roster.generated.v1');
    expect(event).toMatchObject({ source: '/campus/duty', subject: march.id });
    expect(event.data).toEqual({
      rosterId: march.id,
      building: '8',
      entrance: 1,
      month: '2026-03',
      generatedBy: head1.id,
      duties: march.schedules.map((s) => ({
        scheduleId: s.id,
        roomId: s.room.id,
        roomNumber: s.roomNumber,
        dutyDate: s.date,
      })),
    });
  });

  it('after the morning reminder starts the current month tomorrow; with no day left refuses DUTY_INVALID_MONTH', async () => {
    const room = h.campus.addRoom('9', 1, '101');
    const resident = h.campus.moveIn(room);
    const ninth = (month: string) =>
      h.gql<{ generateDutyRoster: Roster }>(educator, GENERATE, {
        input: { building: '9', entrance: 1, month },
      });
    try {
      h.clock.set('2026-03-10T09:00:00.000Z'); // 12:00 in Moscow: a duty today could hear of it no more
      const res = await ninth('2026-03');
      expect(res.errors).toBeUndefined();
      expect(res.data!.generateDutyRoster.schedules.map((s) => s.date)).toEqual(['2026-03-11']);

      h.clock.set('2026-03-31T07:00:00.000Z'); // 10:00 on the last day of March
      await h.duty.internals.db.dutySchedule.deleteMany({ where: { roomId: room.roomId } });
      await h.duty.internals.db.roster.deleteMany({ where: { building: '9' } });
      const none = await ninth('2026-03');
      expect(errorCodes(none)).toEqual(['DUTY_INVALID_MONTH']);
      expect(detailsOf(none)).toEqual({ month: '2026-03' });
      expect(none.errors![0]!.message).toContain('generate 2026-04');

      h.clock.set('2026-03-31T05:00:00.000Z'); // 08:00 the same day: today is still plannable
      const early = await ninth('2026-03');
      expect(early.data!.generateDutyRoster.schedules.map((s) => s.date)).toEqual(['2026-03-31']);
    } finally {
      h.clock.set(NOW);
      await h.duty.internals.db.dutySchedule.deleteMany({ where: { roomId: room.roomId } });
      await h.duty.internals.db.roster.deleteMany({ where: { building: '9' } });
      h.campus.moveOut(resident.id);
    }
  });

  it('refuses a month more than 12 months after the current campus month, naming the latest allowed', async () => {
    const room = h.campus.addRoom('9', 2, '201');
    const resident = h.campus.moveIn(room);
    const ninth = (month: string) =>
      h.gql<{ generateDutyRoster: Roster }>(educator, GENERATE, { input: { building: '9', entrance: 2, month } });
    const rostersOf9 = () => h.duty.internals.db.roster.findMany({ where: { building: '9', entrance: 2 } });
    const before = await outboxCount();
    try {
      // March 2026: March 2027 is the latest month; April 2027 (or a mistyped 2206-03) is refused
      for (const month of ['2027-04', '2206-03']) {
        const far = await ninth(month);
        expect(errorCodes(far)).toEqual(['DUTY_INVALID_MONTH']);
        expect(detailsOf(far)).toEqual({ month, latestMonth: '2027-03' });
        expect(far.errors![0]!.message).toContain('the latest month allowed is 2027-03');
      }
      expect(await rostersOf9()).toEqual([]);
      expect(await outboxCount()).toBe(before);
      const latest = await ninth('2027-03');
      expect(latest.errors).toBeUndefined();
      expect(latest.data!.generateDutyRoster).toMatchObject({ month: '2027-03' });

      // 2027-01-01 00:30 in Moscow (still 2026 in UTC): the campus month decides, so 2028-01 is allowed
      h.clock.set('2026-12-31T21:30:00.000Z');
      expect(detailsOf(await ninth('2028-02'))).toEqual({ month: '2028-02', latestMonth: '2028-01' });
      expect((await ninth('2028-01')).data!.generateDutyRoster).toMatchObject({ month: '2028-01' });
    } finally {
      h.clock.set(NOW);
      await h.duty.internals.db.dutySchedule.deleteMany({ where: { roomId: room.roomId } });
      await h.duty.internals.db.roster.deleteMany({ where: { building: '9', entrance: 2 } });
      h.campus.moveOut(resident.id);
    }
  });

  it('refuses a second roster of the month with DUTY_ROSTER_EXISTS naming it', async () => {
    const again = await generate(educator, { month: '2026-03' });
    expect(errorCodes(again)).toEqual(['DUTY_ROSTER_EXISTS']);
    expect(detailsOf(again)).toEqual({ month: '2026-03', rosterId: march.id });
  });

  it('lets one of two racing generations win; the other gets DUTY_ROSTER_EXISTS', async () => {
    const before = await outboxCount();
    const results = await Promise.all([0, 1].map(() => generate(educator, { month: '2026-05' })));
    expect(results.map((r) => errorCodes(r)[0] ?? 'ok').sort()).toEqual(['DUTY_ROSTER_EXISTS', 'ok']);
    expect(await outboxCount()).toBe(before + 1);
  });

  it('continues the rotation next month: a room that filled first, then whoever served longest ago', async () => {
    const newcomer = h.campus.moveIn(rooms[5]!); // 306 is occupied from April on
    const res = await generate(assignedHead, { month: '2026-04', maxTurnsPerRoom: 2 });
    expect(res.errors).toBeUndefined();
    const april = res.data!.generateDutyRoster.schedules;
    // 6 rooms × 2 turns over 30 days: every 5th day, 306 (never served) first, then March's order
    expect(april.map((s) => s.roomNumber)).toEqual([
      '306',
      '301',
      '302',
      '303',
      '304',
      '305',
      '306',
      '301',
      '302',
      '303',
      '304',
      '305',
    ]);
    expect(april.map((s) => s.date.slice(8))).toEqual([
      '01',
      '03',
      '06',
      '08',
      '11',
      '13',
      '16',
      '18',
      '21',
      '23',
      '26',
      '28',
    ]);
    h.campus.moveOut(newcomer.id);
  });
});

describe('dutyRoster and dutyCalendar', () => {
  it('answers the roster of a month, and null for a month without one', async () => {
    const res = await h.gql<{ a: { id: string; schedules: { id: string }[] } | null; b: null }>(
      admin,
      `{ a: dutyRoster(building: "8", entrance: 1, month: "2026-03") { id schedules { id } }
         b: dutyRoster(building: "8", entrance: 1, month: "2026-07") { id } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.a).toEqual({ id: march.id, schedules: march.schedules.map((s) => ({ id: s.id })) });
    expect(res.data!.b).toBeNull();
  });

  it('shows the staff the month as rooms × dates × status, rows by floor and number', async () => {
    const res = await h.gql<{
      dutyCalendar: { dates: string[]; rows: { roomNumber: string; room: { id: string }; duties: unknown[] }[] };
    }>(assignedHead, CALENDAR, { b: '8', e: 1, m: '2026-04' });
    expect(res.errors).toBeUndefined();
    const calendar = res.data!.dutyCalendar;
    expect(calendar).toMatchObject({ building: '8', entrance: 1, month: '2026-04' });
    expect(calendar.dates).toHaveLength(30);
    expect(calendar.dates[0]).toBe('2026-04-01');
    expect(calendar.rows.map((r) => r.roomNumber)).toEqual(['301', '302', '303', '304', '305', '306']);
    expect(calendar.rows[0]).toEqual({
      room: { id: rooms[0]!.roomId },
      floor: 3,
      roomNumber: '301',
      duties: [
        { date: '2026-04-03', status: 'PENDING' },
        { date: '2026-04-18', status: 'PENDING' },
      ],
    });
  });

  it.each([
    ['a plain student', () => resident302],
    ['the student_head of another entrance', () => head2],
    ['an unassigned educator_head', () => unassignedHead],
  ])('refuses the calendar to %s', async (_, who) => {
    const res = await h.gql(who(), CALENDAR, { b: '8', e: 1, m: '2026-03' });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(detailsOf(res)).toEqual({ rule: 'read_scope', building: '8', entrance: 1 });
  });

  it("lets the entrance's student_head read the calendar", async () => {
    const res = await h.gql<{ dutyCalendar: { rows: unknown[] } }>(head1, CALENDAR, { b: '8', e: 1, m: '2026-03' });
    expect(res.data?.dutyCalendar.rows).toHaveLength(5);
  });
});

describe('moveDuty', () => {
  const duty302 = () => march.schedules.find((s) => s.roomNumber === '302')!;

  it('moves a pending duty within its month, recomputing its moments, and tells the residents', async () => {
    const res = await move(head1, { scheduleId: duty302().id, date: '2026-03-20', version: 1 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.moveDuty).toEqual({
      id: duty302().id,
      date: '2026-03-20',
      status: 'PENDING',
      deadlineAt: '2026-03-20T20:00:00.000Z',
      version: 2,
      roomNumber: '302',
    });
    const row = await scheduleRow(duty302().id);
    expect(row.eveningReminderAt.toISOString()).toBe('2026-03-19T15:00:00.000Z');
    const event = await observer.waitForEvent((e) => e.type === 'campus.duty.schedule.moved.v1');
    expect(event.data).toEqual({
      scheduleId: duty302().id,
      roomId: rooms[1]!.roomId,
      building: '8',
      entrance: 1,
      roomNumber: '302',
      fromDate: '2026-03-14',
      toDate: '2026-03-20',
      movedBy: head1.id,
      residentIds: h.campus.residentIdsOf(rooms[1]!.roomId),
    });
    expect((event.data as { residentIds: string[] }).residentIds).toHaveLength(2);
  });

  it('refuses a stale version with CONFLICT', async () => {
    const res = await move(educator, { scheduleId: duty302().id, date: '2026-03-21', version: 1 });
    expect(errorCodes(res)).toEqual(['CONFLICT']);
  });

  it('refuses a date outside the month, a past date, and a date the room already has', async () => {
    const id = duty302().id;
    const outside = await move(educator, { scheduleId: id, date: '2026-04-02' });
    expect(errorCodes(outside)).toEqual(['DUTY_DATE_OUTSIDE_MONTH']);
    expect(detailsOf(outside)).toEqual({ month: '2026-03', date: '2026-04-02' });
    const past = await move(educator, { scheduleId: id, date: '2026-03-09' });
    expect(errorCodes(past)).toEqual(['DUTY_DATE_IN_PAST']);
    expect(detailsOf(past)).toEqual({ date: '2026-03-09' });

    const april = (
      await h.gql<{ dutyRoster: { schedules: Schedule[] } }>(
        educator,
        `{ dutyRoster(building: "8", entrance: 1, month: "2026-04") { schedules { id roomNumber date } } }`,
      )
    ).data!.dutyRoster.schedules.filter((s) => s.roomNumber === '303');
    const taken = await move(educator, { scheduleId: april[0]!.id, date: april[1]!.date });
    expect(errorCodes(taken)).toEqual(['DUTY_DATE_TAKEN']);
    expect(detailsOf(taken)).toEqual({ date: april[1]!.date, scheduleId: april[1]!.id });
  });

  it('refuses a duty that is no longer pending, and one whose deadline has passed', async () => {
    const duty303 = march.schedules.find((s) => s.roomNumber === '303')!;
    await h.duty.internals.db.dutySchedule.update({ where: { id: duty303.id }, data: { status: 'report_submitted' } });
    const closed = await move(educator, { scheduleId: duty303.id, date: '2026-03-25' });
    expect(errorCodes(closed)).toEqual(['DUTY_DUTY_CLOSED']);
    expect(detailsOf(closed)).toEqual({ scheduleId: duty303.id, status: 'report_submitted' });

    const today = march.schedules.find((s) => s.date === '2026-03-10')!;
    h.clock.set('2026-03-10T20:30:00.000Z'); // 23:30 in Moscow
    try {
      const late = await move(educator, { scheduleId: today.id, date: '2026-03-24' });
      expect(errorCodes(late)).toEqual(['DUTY_DEADLINE_PASSED']);
      // and nothing moves onto a day whose deadline has gone either
      const onto = await move(educator, { scheduleId: duty302().id, date: '2026-03-10' });
      expect(errorCodes(onto)).toEqual(['DUTY_DATE_IN_PAST']);
    } finally {
      h.clock.set(NOW);
    }
  });

  it('sends the reminders again for a new date still ahead, keeps them for one already behind', async () => {
    const id = duty302().id;
    await h.duty.internals.db.dutySchedule.update({
      where: { id },
      data: { eveningRemindedAt: new Date(NOW), morningRemindedAt: new Date(NOW) },
    });
    expect((await move(educator, { scheduleId: id, date: '2026-03-22' })).errors).toBeUndefined();
    let row = await scheduleRow(id);
    expect([row.eveningRemindedAt, row.morningRemindedAt]).toEqual([null, null]);

    // moved to today at 12:00: "duty tomorrow" is behind us (marked, so never sent), "duty today" is sent late
    expect((await move(educator, { scheduleId: id, date: '2026-03-10' })).errors).toBeUndefined();
    row = await scheduleRow(id);
    expect(row.eveningRemindedAt?.toISOString()).toBe(NOW);
    expect(row.morningRemindedAt).toBeNull();
  });

  it.each([
    ['a resident of the room', () => resident302],
    ['the student_head of another entrance', () => head2],
    ['an unassigned educator_head', () => unassignedHead],
  ])('refuses %s with FORBIDDEN naming only the schedule', async (_, who) => {
    const res = await move(who(), { scheduleId: duty302().id, date: '2026-03-29' });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(detailsOf(res)).toEqual({ rule: 'roster_scope', scheduleId: duty302().id });
  });

  it('answers DUTY_NOT_FOUND for an unknown schedule and BAD_USER_INPUT for a date that is none', async () => {
    const unknown = await move(educator, { scheduleId: '00000000-0000-4000-8000-000000000000', date: '2026-03-29' });
    expect(errorCodes(unknown)).toEqual(['DUTY_NOT_FOUND']);
    // the Date scalar refuses it before the service sees it (gRPC gets DUTY_INVALID_DATE, below)
    expect(errorCodes(await move(educator, { scheduleId: duty302().id, date: '2026-02-30' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});

describe('reading duties', () => {
  const roomRef = (room: RoomRef) => ({ __typename: 'Room', id: room.roomId });
  const userRef = (user: TestUser) => ({ __typename: 'User', id: user.id });

  it("shows a room's duties of a month to its residents, the staff and the entrance's student_head", async () => {
    for (const who of [resident302, educator, admin, head1, assignedHead]) {
      const res = await h.gql<{ _entities: { duties: { roomNumber: string; date: string }[] }[] }>(who, ROOM_DUTIES, {
        r: [roomRef(rooms[1]!)],
        m: '2026-04',
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities[0]!.duties.map((d) => d.date)).toEqual(['2026-04-06', '2026-04-21']);
    }
  });

  it("refuses a room's duties to other students and other entrances' heads", async () => {
    for (const who of [resident303, head2, unassignedHead]) {
      const res = await h.gql(who, ROOM_DUTIES, { r: [roomRef(rooms[1]!)], m: '2026-04' });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(detailsOf(res)).toEqual({ rule: 'room_reader', roomId: rooms[1]!.roomId });
    }
  });

  it('answers [] for a room without duties in the month, and the current month by default', async () => {
    const res = await h.gql<{ _entities: { duties: { date: string }[] }[] }>(resident303, ROOM_DUTIES, {
      r: [roomRef(otherRoom), roomRef(rooms[2]!)],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e) => e.duties.map((d) => d.date))).toEqual([[], ['2026-03-18']]);
  });

  it("shows a user their room's duties of this month and the next by default, asking identity once per request", async () => {
    const calls = h.campus.callsTo('roomsOf').length;
    const res = await h.gql<{ _entities: { dutySchedules: { roomNumber: string; date: string }[] }[] }>(
      educator,
      USER_DUTIES,
      { r: [userRef(resident303), userRef(head1), userRef(homeless)] },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e) => e.dutySchedules.map((d) => `${d.roomNumber} ${d.date}`))).toEqual([
      ['303 2026-03-18', '303 2026-04-08', '303 2026-04-23'],
      ['301 2026-03-10', '301 2026-04-03', '301 2026-04-18'],
      [],
    ]);
    expect(h.campus.callsTo('roomsOf').slice(calls)).toEqual([[resident303.id, head1.id, homeless.id]]);
  });

  it('lets the user and the head of their entrance read them, within a given range', async () => {
    for (const who of [resident303, head1]) {
      const res = await h.gql<{ _entities: { dutySchedules: { date: string }[] }[] }>(who, USER_DUTIES, {
        r: [userRef(resident303)],
        from: '2026-04-01',
        to: '2026-04-10',
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities[0]!.dutySchedules.map((d) => d.date)).toEqual(['2026-04-08']);
    }
  });

  it("refuses a user's duties to other students and other entrances' heads", async () => {
    for (const who of [resident302, head2, unassignedHead]) {
      const res = await h.gql(who, USER_DUTIES, { r: [userRef(resident303)] });
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(detailsOf(res)).toEqual({ rule: 'user_duties', userId: resident303.id });
      expect(res.data).toEqual({ _entities: [{ dutySchedules: null }] }); // the field, not the user, is null
    }
    expect(errorCodes(await h.gql(resident302, USER_DUTIES, { r: [userRef(homeless)] }))).toEqual(['FORBIDDEN']);
    const self = await h.gql<{ _entities: { dutySchedules: unknown[] }[] }>(homeless, USER_DUTIES, {
      r: [userRef(homeless)],
    });
    expect(self.data?._entities[0]!.dutySchedules).toEqual([]);
  });

  it('answers dutySchedule to whoever may read its room, FORBIDDEN to others, null for an unknown id', async () => {
    const q = `query($id: ID!) { dutySchedule(id: $id) { id roomNumber } }`;
    const id = march.schedules[0]!.id;
    expect((await h.gql<{ dutySchedule: unknown }>(head1, q, { id })).data?.dutySchedule).toEqual({
      id,
      roomNumber: '301',
    });
    const other = await h.gql(resident303, q, { id });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(detailsOf(other)).toEqual({ rule: 'room_reader', id });
    const none = await h.gql<{ dutySchedule: unknown }>(educator, q, { id: '00000000-0000-4000-8000-000000000000' });
    expect(none.errors).toBeUndefined();
    expect(none.data?.dutySchedule).toBeNull();
  });
});

describe('gRPC ListRoomDuties', () => {
  it("answers a room's duties in a range, by date, with status and deadline", async () => {
    const { duties } = await grpc.ListRoomDuties({ roomId: rooms[2]!.roomId, from: '2026-03-01', to: '2026-04-10' });
    expect(duties).toEqual([
      {
        scheduleId: march.schedules.find((s) => s.roomNumber === '303')!.id,
        roomId: rooms[2]!.roomId,
        building: '8',
        entrance: 1,
        floor: 3,
        roomNumber: '303',
        dutyDate: '2026-03-18',
        status: 'report_submitted',
        deadlineAt: { seconds: String(Date.parse('2026-03-18T20:00:00Z') / 1000), nanos: 0 },
      },
      expect.objectContaining({ dutyDate: '2026-04-08', status: 'pending' }),
    ]);
    expect(
      (await grpc.ListRoomDuties({ roomId: otherRoom.roomId, from: '2026-03-01', to: '2026-04-30' })).duties,
    ).toEqual([]);
  });

  it('refuses a date that is none with DUTY_INVALID_DATE', async () => {
    await expect(
      grpc.ListRoomDuties({ roomId: rooms[2]!.roomId, from: '2026-02-30', to: '2026-03-31' }),
    ).rejects.toMatchObject({ code: 'DUTY_INVALID_DATE' });
  });
});
