// A busy leave service answers with the retryable UNAVAILABLE, never INTERNAL_ERROR, and writes
// nothing half: a tiny connection pool, a short wait for a free connection, and many concurrent
// calls (or every connection held elsewhere, which makes every wait time out).
import pg from 'pg';
import { errorCodes, inParallel, staff, student } from '@campus/testkit';
import { dataOf, decide, futurePeriod, submitApplication } from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';

let h: LeaveHarness;
let admin: pg.Client;
const educator = staff('educator');

beforeAll(async () => {
  h = await startLeaveHarness({ env: { DB_POOL_SIZE: '2', DB_POOL_TIMEOUT_MS: '1000' } });
  admin = new pg.Client({ connectionString: h.database.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await h?.stop();
});

const SUBMIT = 'mutation($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id } }';

async function stored(reasonPrefix: string) {
  const count = async (sql: string) => Number((await admin.query<{ n: string }>(sql, [`${reasonPrefix}%`])).rows[0]!.n);
  return {
    applications: await count('SELECT count(*) AS n FROM leave_applications_view WHERE reason LIKE $1'),
    events: await count("SELECT count(*) AS n FROM leave_events WHERE type = 'SUBMITTED' AND data->>'reason' LIKE $1"),
    outbox: await count("SELECT count(*) AS n FROM outbox WHERE payload->'data'->>'reason' LIKE $1"),
  };
}

/** Checks out `size` connections of the pool (waiting while the relay briefly holds one). */
async function holdEveryConnection(pool: pg.Pool, size: number): Promise<pg.PoolClient[]> {
  const held: pg.PoolClient[] = [];
  while (held.length < size) {
    const client = await pool.connect().catch(() => undefined); // timed out: try again
    if (client) held.push(client);
  }
  return held;
}

test('with every connection taken, a submission and a decision answer UNAVAILABLE (retryable) and write nothing', async () => {
  const applicant = student();
  h.identity.add(applicant);
  const pending = await submitApplication(h, applicant);

  const held = await holdEveryConnection(h.leave.internals.pool, 2); // as long reports would
  try {
    const submit = await h.gql(applicant, SUBMIT, {
      input: { ...futurePeriod(), reason: 'Held 1', contactPhone: '9123456789' },
    });
    const decision = await decide(h, educator, pending.id, 'APPROVE');
    for (const res of [submit, decision]) {
      expect(errorCodes(res)).toEqual(['UNAVAILABLE']);
      expect(res.errors![0]!.extensions).toMatchObject({ details: { retryable: true, retryAfterSeconds: 1 } });
      expect(res.errors![0]!.message).toMatch(/busy/);
    }
  } finally {
    for (const client of held) client.release();
  }
  expect(await stored('Held ')).toEqual({ applications: 0, events: 0, outbox: 0 });
  // and the service recovers as soon as a connection is free
  expect(dataOf(await decide(h, educator, pending.id, 'APPROVE')).decideLeaveApplication.status).toBe('APPROVED');
});

test('many concurrent submissions on two connections: each is accepted whole or refused as UNAVAILABLE', async () => {
  const students = Array.from({ length: 8 }, () => student());
  for (const s of students) h.identity.add(s);
  const responses = await inParallel(120, 60, (i) =>
    h.gql<{ submitLeaveApplication: { id: string } }>(students[i % students.length]!, SUBMIT, {
      input: { ...futurePeriod(), reason: `Burst ${i}`, contactPhone: '9123456789' },
    }),
  );
  const outcomes = responses.map((res) => (res.errors?.length ? errorCodes(res).join(',') : 'ok'));
  for (const outcome of outcomes) expect(['ok', 'UNAVAILABLE']).toContain(outcome);
  const accepted = outcomes.filter((o) => o === 'ok').length;
  // every accepted submission stored whole (read model, event, outbox); every refused one left nothing
  expect(await stored('Burst ')).toEqual({ applications: accepted, events: accepted, outbox: accepted });
});
