// Identity and leave misbehaving at the network boundary: real gRPC servers that are slow or
// answer UNAVAILABLE, reached through the platform client (deadline, retries on UNAVAILABLE).
import pg from 'pg';
import { unavailable } from '@campus/platform';
import { errorCodes, residence, slowBy, testUser } from '@campus/testkit';
import { startHarness, type Harness } from '../support/harness';

const START = `mutation Start($date: Date!) { startPatrol(building: "8", entrance: 1, date: $date) { id entries { id } } }`;
const LIST = `{ patrols { total } }`;
// Wide enough that a fast dependency answers in time on a loaded machine; the slow one is far slower.
const DEADLINE_MS = 2_000;
const SLOW_LEAVE_MS = 20_000;

const educator = testUser({ roles: ['educator'] });
const minor = testUser({ roles: ['student'], residence: residence('8', 1, '301'), isMinor: true });

let h: Harness;

// The project-level testTimeout in jest.config.js is not applied by Jest (it is a global option).
jest.setTimeout(60_000);

beforeAll(async () => {
  h = await startHarness({ GRPC_DEADLINE_MS: String(DEADLINE_MS) });
  h.clock.set(new Date('2026-03-14T20:00:00Z'));
  h.identity.users = [educator, minor];
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  h.identity.behaviour = {};
  h.leave.behaviour = {};
});

async function outbox(): Promise<number> {
  const client = new pg.Client({ connectionString: h.db.url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM outbox')).rows[0]!.n);
  } finally {
    await client.end();
  }
}

it('creates nothing when leave is slower than the deadline, and says leave is the cause', async () => {
  // Far slower than the deadline, so the bound below has a wide margin on a busy machine.
  h.leave.behaviour = slowBy(SLOW_LEAVE_MS);
  const started = Date.now();
  const res = await h.graphql(START, { date: '2026-03-10' }, educator);
  const elapsed = Date.now() - started;

  expect(errorCodes(res)).toEqual(['PATROL_DEPENDENCY_UNAVAILABLE']);
  expect(res.errors![0]!.extensions!.details).toMatchObject({ dependency: 'leave' });
  expect(res.errors![0]!.message).toContain('leave');
  expect(elapsed).toBeLessThan(SLOW_LEAVE_MS / 2); // the deadline cut the call; the slow server never answered
  expect((await h.graphql<{ patrols: { total: number } }>(LIST, {}, educator)).data!.patrols.total).toBe(0);
  expect(await outbox()).toBe(0);

  // once leave answers in time again, the same evening can be started
  h.leave.behaviour = {};
  expect((await h.graphql(START, { date: '2026-03-10' }, educator)).errors).toBeUndefined();
});

it('retries an identity that answers UNAVAILABLE once, and creates the patrol', async () => {
  const before = h.identity.callsTo('GetUsers').length;
  h.identity.behaviour = {
    before: (call) => {
      if (call === before + 1) throw unavailable('identity is restarting');
    },
  };
  const res = await h.graphql<{ startPatrol: { entries: unknown[] } }>(START, { date: '2026-03-11' }, educator);
  expect(res.errors).toBeUndefined();
  expect(res.data!.startPatrol.entries).toHaveLength(1);
  expect(h.identity.callsTo('GetUsers').length - before).toBe(2); // the server saw the failed call and the retry
});

it('gives up on an identity that stays UNAVAILABLE, naming identity', async () => {
  const before = h.identity.callsTo('GetUsers').length;
  h.identity.behaviour = {
    before: () => {
      throw unavailable('identity is down');
    },
  };
  const res = await h.graphql(START, { date: '2026-03-12' }, educator);
  expect(errorCodes(res)).toEqual(['PATROL_DEPENDENCY_UNAVAILABLE']);
  expect(res.errors![0]!.extensions!.details).toMatchObject({ dependency: 'identity' });
  // retried, and never more than three attempts in all (how many fit in the deadline depends on load)
  const attempts = h.identity.callsTo('GetUsers').length - before;
  expect(attempts).toBeGreaterThanOrEqual(2);
  expect(attempts).toBeLessThanOrEqual(3);
});

it('asks identity and leave at the same time when starting, and joins their answers by student', async () => {
  h.identity.behaviour = slowBy(1_200); // long enough that leave is surely asked meanwhile, short of the deadline
  const res = await h.graphql<{ startPatrol: { entries: { id: string }[] } }>(START, { date: '2026-03-09' }, educator);
  expect(res.errors).toBeUndefined();
  expect(res.data!.startPatrol.entries).toHaveLength(1); // the one minor identity named
  const identityCall = h.identity.callsTo('GetUsers').at(-1)!;
  const leaveCall = h.leave.calls.at(-1)!;
  expect(leaveCall).toMatchObject({ allStudents: true, userIds: [] });
  expect(leaveCall.at.toISOString()).toBe('2026-03-09T19:00:00.000Z');
  expect(leaveCall.arrived).toBeLessThan(identityCall.answered!); // leave asked while identity was still busy
});

it('asks identity and leave about an added student at the same time', async () => {
  const [patrol] = (
    await h.graphql<{ patrols: { items: { id: string }[] } }>('{ patrols(size: 1) { items { id } } }', {}, educator)
  ).data!.patrols.items;
  const newcomer = testUser({ roles: ['student'], residence: residence('8', 1, '305'), isMinor: true });
  h.identity.users.push(newcomer);
  h.identity.behaviour = slowBy(1_200);
  const res = await h.graphql(
    'mutation Add($p: ID!, $s: ID!) { addPatrolEntry(patrolId: $p, studentId: $s) { id } }',
    { p: patrol!.id, s: newcomer.id },
    educator,
  );
  expect(res.errors).toBeUndefined();
  const identityCall = h.identity.callsTo('GetUser').at(-1)!;
  expect(h.leave.calls.at(-1)!.arrived).toBeLessThan(identityCall.answered!); // leave asked while identity was busy
});

it('reports identity when nothing listens at its address', async () => {
  await h.identity.stop();
  const res = await h.graphql(START, { date: '2026-03-08' }, educator);
  expect(errorCodes(res)).toEqual(['PATROL_DEPENDENCY_UNAVAILABLE']);
  expect(res.errors![0]!.extensions!.details).toMatchObject({ dependency: 'identity' });
});
