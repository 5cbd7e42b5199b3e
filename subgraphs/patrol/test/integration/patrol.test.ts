// The patrol service end to end in-process: GraphQL over HTTP, real PostgreSQL (fresh database),
// real RabbitMQ (own exchange), identity and leave as real gRPC servers scripted by the test.
import { randomUUID } from 'node:crypto';
import { createGrpcClient } from '@campus/platform';
import { patrolService, validateEvent } from '@campus/contracts';
import { PrismaPatrolStore } from '../../src/repository/patrol.repository';
import { errorCodes, residence, testUser, type TestUser } from '@campus/testkit';
import { startHarness, type Harness } from '../support/harness';

const PATROL_FIELDS = `
  id date building entrance status eveningAt startedAt completedAt
  startedBy { id } completedBy { id }
  progress { total checked present absent }
  entries { id room status present reason addedManually checkedAt student { id } leave { id } checkedBy { id } }
`;
const START = `mutation Start($building: String!, $entrance: Int!, $date: Date!) {
  startPatrol(building: $building, entrance: $entrance, date: $date) { ${PATROL_FIELDS} } }`;
const MARK = `mutation Mark($entryId: ID!, $present: Boolean!, $reason: String) {
  markPatrolEntry(entryId: $entryId, present: $present, reason: $reason) { id status present reason patrol { progress { checked } } } }`;
const ADD = `mutation Add($patrolId: ID!, $studentId: ID!) {
  addPatrolEntry(patrolId: $patrolId, studentId: $studentId) { id status reason addedManually room student { id } leave { id } } }`;
const COMPLETE = `mutation Complete($id: ID!) { completePatrol(id: $id) { id status completedAt completedBy { id } } }`;
const DELETE = `mutation Delete($id: ID!) { deletePatrol(id: $id) }`;
const GET = `query Get($id: ID!) { patrol(id: $id) { ${PATROL_FIELDS} } }`;
const LIST = `query List($filter: PatrolFilter, $page: Int, $size: Int) {
  patrols(filter: $filter, page: $page, size: $size) { total page size pages items { id date building entrance status } } }`;

interface Entry {
  id: string;
  room: string | null;
  status: 'UNCHECKED' | 'PRESENT' | 'ABSENT';
  present: boolean | null;
  reason: string | null;
  addedManually: boolean;
  student: { id: string };
  leave: { id: string } | null;
  checkedBy: { id: string } | null;
}
interface Patrol {
  id: string;
  date: string;
  status: string;
  eveningAt: string;
  progress: { total: number; checked: number; present: number; absent: number };
  entries: Entry[];
}

let h: Harness;

// The project-level testTimeout in jest.config.js is not applied by Jest (it is a global option).
jest.setTimeout(60_000);
// Campus time: 2026-03-14 23:00 Moscow. "Today" is the 14th.
const NOW = new Date('2026-03-14T20:00:00Z');
const TODAY = '2026-03-14';
const YESTERDAY = '2026-03-13';

const educator = testUser({ roles: ['educator'] });
const admin = testUser({ roles: ['admin'] });
const patrolStudent = testUser({
  roles: ['student', 'student_patrol'],
  residence: residence('8', 1, '101'),
  isMinor: false,
});
const otherPatrol = testUser({
  roles: ['student', 'student_patrol'],
  residence: residence('8', 2, '201'),
  isMinor: true,
});
const minor301 = testUser({
  roles: ['student'],
  residence: residence('8', 1, '301'),
  isMinor: true,
  lastName: 'Алексеев',
});
const minorOnLeave = testUser({
  roles: ['student'],
  residence: residence('8', 1, '302'),
  isMinor: true,
  lastName: 'Борисов',
});
const adult = testUser({ roles: ['student'], residence: residence('8', 1, '301'), isMinor: false });
const minorEntrance2 = testUser({ roles: ['student'], residence: residence('8', 2, '202'), isMinor: true });
const newcomer = testUser({ roles: ['student'], residence: residence('8', 1, '303'), isMinor: true });
const leaveId = randomUUID();

beforeAll(async () => {
  h = await startHarness();
  h.clock.set(NOW);
  h.identity.users = [educator, admin, patrolStudent, otherPatrol, minor301, minorOnLeave, adult, minorEntrance2];
  h.leave.leaves = [
    {
      applicationId: leaveId,
      studentId: minorOnLeave.id,
      // left the day before yesterday, back tomorrow: covers every evening in between
      leaveAt: new Date('2026-03-12T09:00:00Z'),
      returnAt: new Date('2026-03-15T15:00:00Z'),
      reason: 'Family visit',
    },
  ];
});

afterAll(async () => {
  await h?.close();
});

async function start(as: TestUser, date: string, building = '8', entrance = 1) {
  return h.graphql<{ startPatrol: Patrol }>(START, { building, entrance, date }, as);
}

describe('a whole roll-call through GraphQL', () => {
  let patrol: Patrol;

  it('starts with the minors only, the one on leave pre-marked absent (its reason for staff only)', async () => {
    const res = await start(patrolStudent, YESTERDAY);
    expect(res.errors).toBeUndefined();
    patrol = res.data!.startPatrol;
    expect(patrol).toMatchObject({ date: YESTERDAY, status: 'IN_PROGRESS', eveningAt: '2026-03-13T19:00:00.000Z' });
    expect(patrol.entries.map((e) => e.student.id)).toEqual([minor301.id, minorOnLeave.id]);
    expect(patrol.entries[0]).toMatchObject({
      room: '301',
      status: 'UNCHECKED',
      present: null,
      reason: null,
      leave: null,
    });
    // the leave's own words may be private: leave shows them to staff only, and so does the entry
    expect(patrol.entries[1]).toMatchObject({
      room: '302',
      status: 'ABSENT',
      present: false,
      reason: 'Approved leave',
      leave: { id: leaveId },
    });
    expect(patrol.progress).toEqual({ total: 2, checked: 1, present: 0, absent: 1 });
    const asStaff = await h.graphql<{ patrol: Patrol }>(GET, { id: patrol.id }, educator);
    expect(asStaff.data!.patrol.entries[1]).toMatchObject({ reason: 'Family visit' });

    // identity was asked for the entrance's minors; leave for the evening at 22:00 Moscow time
    expect(h.identity.callsTo('GetUsers').at(-1)?.request).toMatchObject({
      building: '8',
      entrance: 1,
      minorsOnly: true,
      summaryOnly: true,
    });
    expect(h.leave.calls.at(-1)!.at.toISOString()).toBe('2026-03-13T19:00:00.000Z');
  });

  it('publishes patrol.started through the outbox', async () => {
    const event = await h.events.waitForEvent(
      (e) => e.type === 'campus.patrol.patrol.started.v1' && e.subject === patrol.id,
    );
    expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
    expect(event.data).toMatchObject({
      patrolId: patrol.id,
      date: YESTERDAY,
      entries: 2,
      preMarkedAbsent: 1,
      startedBy: patrolStudent.id,
    });
  });

  it('refuses a second patrol of the same evening and entrance', async () => {
    expect(errorCodes(await start(educator, YESTERDAY))).toEqual(['PATROL_ALREADY_EXISTS']);
  });

  it('refuses a student_patrol of another entrance', async () => {
    const res = await start(otherPatrol, YESTERDAY, '8', 1);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.graphql(GET, { id: patrol.id }, otherPatrol))).toEqual(['FORBIDDEN']);
  });

  it('needs a reason for an absence without leave', async () => {
    const res = await h.graphql(MARK, { entryId: patrol.entries[0]!.id, present: false }, patrolStudent);
    expect(errorCodes(res)).toEqual(['PATROL_REASON_REQUIRED']);
  });

  it('adds a missing minor resident and refuses others', async () => {
    h.identity.users.push(newcomer);
    const res = await h.graphql<{ addPatrolEntry: Entry }>(
      ADD,
      { patrolId: patrol.id, studentId: newcomer.id },
      patrolStudent,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.addPatrolEntry).toMatchObject({
      addedManually: true,
      status: 'UNCHECKED',
      room: '303',
      student: { id: newcomer.id },
    });
    expect(h.leave.calls.at(-1)!.userIds).toEqual([newcomer.id]);

    expect(errorCodes(await h.graphql(ADD, { patrolId: patrol.id, studentId: newcomer.id }, patrolStudent))).toEqual([
      'PATROL_ENTRY_EXISTS',
    ]);
    expect(errorCodes(await h.graphql(ADD, { patrolId: patrol.id, studentId: adult.id }, patrolStudent))).toEqual([
      'PATROL_NOT_A_RESIDENT',
    ]);
    expect(errorCodes(await h.graphql(ADD, { patrolId: patrol.id, studentId: minorEntrance2.id }, educator))).toEqual([
      'PATROL_NOT_A_RESIDENT',
    ]);
    expect(errorCodes(await h.graphql(ADD, { patrolId: patrol.id, studentId: randomUUID() }, educator))).toEqual([
      'PATROL_NOT_A_RESIDENT',
    ]);
  });

  it('refuses completion until every entry is checked', async () => {
    const res = await h.graphql(COMPLETE, { id: patrol.id }, patrolStudent);
    expect(errorCodes(res)).toEqual(['PATROL_NOT_ALL_CHECKED']);
    expect(res.errors![0]!.extensions!.details).toMatchObject({ unchecked: 2 });
  });

  it('completes once all are checked, and announces the absentees on RabbitMQ', async () => {
    const current = (await h.graphql<{ patrol: Patrol }>(GET, { id: patrol.id }, patrolStudent)).data!.patrol;
    const byStudent = new Map(current.entries.map((e) => [e.student.id, e]));
    const present = await h.graphql<{
      markPatrolEntry: { present: boolean; patrol: { progress: { checked: number } } };
    }>(MARK, { entryId: byStudent.get(minor301.id)!.id, present: true }, patrolStudent);
    expect(present.data!.markPatrolEntry).toMatchObject({ present: true, patrol: { progress: { checked: 2 } } });
    const absent = await h.graphql(
      MARK,
      { entryId: byStudent.get(newcomer.id)!.id, present: false, reason: 'At the clinic' },
      patrolStudent,
    );
    expect(absent.errors).toBeUndefined();

    const done = await h.graphql<{ completePatrol: { status: string; completedBy: { id: string } } }>(
      COMPLETE,
      { id: patrol.id },
      patrolStudent,
    );
    expect(done.errors).toBeUndefined();
    expect(done.data!.completePatrol).toMatchObject({ status: 'COMPLETED', completedBy: { id: patrolStudent.id } });

    const event = await h.events.waitForEvent(
      (e) => e.type === 'campus.patrol.patrol.completed.v1' && e.subject === patrol.id,
    );
    expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
    expect(h.events.routingKeys).toContain('campus.patrol.patrol.completed.v1');
    expect(event.data).toMatchObject({ patrolId: patrol.id, total: 3, present: 1, completedBy: patrolStudent.id });
    const absentees = (
      event.data as { absent: { studentId: string; reason: string; leaveApplicationId: string | null }[] }
    ).absent;
    expect(absentees).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ studentId: minorOnLeave.id, reason: 'Family visit', leaveApplicationId: leaveId }),
        expect.objectContaining({ studentId: newcomer.id, reason: 'At the clinic', leaveApplicationId: null }),
      ]),
    );
    expect(absentees).toHaveLength(2);
  });

  it('is final once completed', async () => {
    const entryId = patrol.entries[0]!.id;
    expect(errorCodes(await h.graphql(MARK, { entryId, present: false, reason: 'x' }, educator))).toEqual([
      'PATROL_ALREADY_COMPLETED',
    ]);
    expect(errorCodes(await h.graphql(COMPLETE, { id: patrol.id }, educator))).toEqual(['PATROL_ALREADY_COMPLETED']);
    expect(errorCodes(await h.graphql(DELETE, { id: patrol.id }, admin))).toEqual(['PATROL_ALREADY_COMPLETED']);
  });

  it('serves the patrol to other services over gRPC', async () => {
    const client = createGrpcClient(patrolService, `127.0.0.1:${h.patrol.grpcPort}`, { name: 'patrol' });
    try {
      const one = await client.GetPatrol({ id: patrol.id });
      expect(one).toMatchObject({
        id: patrol.id,
        date: YESTERDAY,
        status: 'PATROL_STATUS_COMPLETED',
        progress: { total: 3, checked: 3, present: 1, absent: 2 },
      });
      expect(one.entries.find((e) => e.studentId === minorOnLeave.id)).toMatchObject({
        status: 'ENTRY_STATUS_ABSENT',
        reason: 'Family visit',
        leaveApplicationId: leaveId,
      });
      const list = await client.ListPatrols({ building: '8', status: 'PATROL_STATUS_COMPLETED' });
      expect(list.total).toBe(1);
      await expect(client.GetPatrol({ id: randomUUID() })).rejects.toMatchObject({ code: 'PATROL_NOT_FOUND' });
      await expect(client.GetPatrol({ id: 'nope' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    } finally {
      client.$close();
    }
  });
});

describe('time window, listing, deletion', () => {
  it('refuses today before 22:00 campus time and future dates', async () => {
    h.clock.set(new Date('2026-03-14T18:30:00Z')); // 21:30 Moscow
    try {
      const early = await start(educator, TODAY, '9', 1);
      expect(errorCodes(early)).toEqual(['PATROL_TOO_EARLY']);
      expect(early.errors![0]!.extensions!.details).toMatchObject({
        earliestStart: '22:00',
        timeZone: 'Europe/Moscow',
      });
      expect(errorCodes(await start(educator, '2026-03-15', '9', 1))).toEqual(['PATROL_DATE_IN_FUTURE']);
      h.clock.set(new Date('2026-03-14T19:00:00Z')); // 22:00 Moscow
      expect((await start(educator, TODAY, '9', 1)).errors).toBeUndefined();
    } finally {
      h.clock.set(NOW);
    }
  });

  it('lets exactly one of two simultaneous starts win', async () => {
    const results = await Promise.all([start(educator, TODAY, '8', 3), start(admin, TODAY, '8', 3)]);
    expect(results.map((r) => errorCodes(r).join() || 'ok').sort()).toEqual(['PATROL_ALREADY_EXISTS', 'ok']);
  });

  it('lists with filters and pagination, scoped for patrol students', async () => {
    await start(otherPatrol, TODAY, '8', 2);
    const all = await h.graphql<{ patrols: { total: number; items: { building: string; entrance: number }[] } }>(
      LIST,
      { page: 1, size: 2 },
      educator,
    );
    expect(all.data!.patrols).toMatchObject({ total: 4, page: 1, size: 2, pages: 2 });
    const entrance2 = await h.graphql<{ patrols: { items: { entrance: number; status: string }[] } }>(
      LIST,
      { filter: { building: '8', entrance: 2, status: 'IN_PROGRESS', date: TODAY } },
      educator,
    );
    expect(entrance2.data!.patrols.items).toEqual([expect.objectContaining({ entrance: 2, status: 'IN_PROGRESS' })]);
    const own = await h.graphql<{ patrols: { items: { building: string; entrance: number }[] } }>(
      LIST,
      {},
      patrolStudent,
    );
    expect(own.data!.patrols.items.every((p) => p.building === '8' && p.entrance === 1)).toBe(true);
    expect(errorCodes(await h.graphql(LIST, { filter: { entrance: 2 } }, patrolStudent))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.graphql(LIST, {}, minor301))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await h.graphql(LIST, {}))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await h.graphql(LIST, { size: 500 }, educator))).toEqual(['VALIDATION_ERROR']);
  });

  it('loads the entries of a whole page in one query (no N+1)', async () => {
    const entriesOf = jest.spyOn(PrismaPatrolStore.prototype, 'entriesOf');
    const findPatrols = jest.spyOn(PrismaPatrolStore.prototype, 'findPatrols');
    try {
      const res = await h.graphql<{ patrols: { items: unknown[] } }>(
        `{ patrols(size: 10) { items { id progress { total } entries { id student { id } patrol { id } } } } }`,
        {},
        educator,
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.patrols.items.length).toBeGreaterThan(2);
      expect(entriesOf).toHaveBeenCalledTimes(1);
      expect(entriesOf.mock.calls[0]![0]).toHaveLength(res.data!.patrols.items.length);
      expect(findPatrols).toHaveBeenCalledTimes(1); // entry → patrol links, batched too
    } finally {
      entriesOf.mockRestore();
      findPatrols.mockRestore();
    }
  });

  it('lets only an admin delete an in-progress patrol', async () => {
    const started = await start(educator, TODAY, '9', 4);
    const id = started.data!.startPatrol.id;
    expect(errorCodes(await h.graphql(DELETE, { id }, educator))).toEqual(['FORBIDDEN']);
    const deleted = await h.graphql<{ deletePatrol: boolean }>(DELETE, { id }, admin);
    expect(deleted.data!.deletePatrol).toBe(true);
    expect((await h.graphql<{ patrol: null }>(GET, { id }, admin)).data!.patrol).toBeNull();
    expect(errorCodes(await h.graphql(DELETE, { id }, admin))).toEqual(['PATROL_NOT_FOUND']);
  });

  it('checks leaves at the moment it starts: back at 22:30 is on the list, leaving at 22:30 is away', async () => {
    const back = testUser({ roles: ['student'], residence: residence('9', 2, '201'), isMinor: true });
    const away = testUser({ roles: ['student'], residence: residence('9', 2, '202'), isMinor: true });
    h.identity.users.push(back, away);
    h.leave.leaves.push(
      {
        applicationId: randomUUID(),
        studentId: back.id,
        leaveAt: new Date('2026-03-14T15:00:00Z'), // 18:00 Moscow
        returnAt: new Date('2026-03-14T19:30:00Z'), // 22:30
        reason: 'Concert',
      },
      {
        applicationId: randomUUID(),
        studentId: away.id,
        leaveAt: new Date('2026-03-14T19:30:00Z'), // 22:30
        returnAt: new Date('2026-03-15T15:00:00Z'),
        reason: 'Night train home',
      },
    );
    const res = await start(educator, TODAY, '9', 2); // at 23:00 Moscow
    expect(res.errors).toBeUndefined();
    const patrol = res.data!.startPatrol;
    expect(patrol.eveningAt).toBe(NOW.toISOString());
    expect(h.leave.calls.at(-1)!.at.toISOString()).toBe(NOW.toISOString());
    expect(patrol.entries.map((e) => [e.student.id, e.status, e.reason])).toEqual([
      [back.id, 'UNCHECKED', null],
      [away.id, 'ABSENT', 'Night train home'],
    ]);
  });

  it('answers readiness with its database and broker', async () => {
    const res = await fetch(`http://127.0.0.1:${h.patrol.httpPort}/health/readiness`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: 'up', broker: 'up' } });
  });
});
