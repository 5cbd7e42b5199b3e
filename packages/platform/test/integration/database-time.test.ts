// Each request's SQL statements and their time (database-time.ts), against real PostgreSQL: every
// way a service runs a statement counts, and only towards the request that ran it, even when the
// pool hands a connection from one request's release straight to another's waiting statement.
// (A subgraph's GraphQL operations carry theirs in their log line: e2e/identity.test.ts.)
import pg from 'pg';
import pino from 'pino';
import { identityService } from '@campus/contracts';
import { createTestDatabase, freePort, type TestDatabase } from '@campus/testkit';
import { createDatabasePool, inTransaction } from '../../src/database';
import { DatabaseTime, withDatabaseTime } from '../../src/database-time';
import { createGrpcClient, grpcService, startGrpcServer } from '../../src/grpc';
import { Metrics } from '../../src/metrics';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase(null);
  pool = createDatabasePool(db.url, 1); // one connection: every statement of a burst waits for it
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('counts pool.query (promise and callback), a transaction and a named statement, with their time', async () => {
  const tally = new DatabaseTime();
  await withDatabaseTime(tally, async () => {
    await pool.query('SELECT pg_sleep(0.05)');
    await new Promise<void>((resolve, reject) =>
      pool.query('SELECT 1', (error) => (error ? reject(error) : resolve())),
    );
    await inTransaction(pool, (client) =>
      client.query({ name: 'time.one', text: 'SELECT $1::int AS one', values: [1] }),
    );
  });
  // pg_sleep, SELECT 1, then BEGIN, the named statement, COMMIT
  expect(tally.statements).toBe(5);
  expect(tally.seconds).toBeGreaterThanOrEqual(0.05);
  expect(tally.seconds).toBeLessThan(5);
});

it('counts a failed statement too, and nothing outside a tally', async () => {
  const tally = new DatabaseTime();
  await withDatabaseTime(tally, () => expect(pool.query('SELECT * FROM no_such_table')).rejects.toThrow());
  expect(tally.statements).toBe(1);
  await expect(pool.query('SELECT 2 AS two')).resolves.toMatchObject({ rows: [{ two: 2 }] });
  expect(tally.statements).toBe(1);
});

it('counts the time of statements side by side once', async () => {
  const wide = createDatabasePool(db.url, 2);
  try {
    const tally = new DatabaseTime();
    await withDatabaseTime(tally, () =>
      Promise.all([wide.query('SELECT pg_sleep(0.1)'), wide.query('SELECT pg_sleep(0.1)')]),
    );
    expect(tally.statements).toBe(2);
    expect(tally.seconds).toBeGreaterThanOrEqual(0.1);
    expect(tally.seconds).toBeLessThan(0.19); // not 0.2: one tenth of a second of wall time
  } finally {
    await wide.end();
  }
});

it('tells the wait for a connection apart from the statements', async () => {
  // The pool's one connection is busy for 200 ms with another request's statement.
  const holder = new DatabaseTime();
  const waiter = new DatabaseTime();
  const holding = withDatabaseTime(holder, () => pool.query('SELECT pg_sleep(0.2)'));
  await new Promise((resolve) => setTimeout(resolve, 20));
  await withDatabaseTime(waiter, () => pool.query('SELECT 1'));
  await holding;
  expect(waiter).toMatchObject({ statements: 1, waitSeconds: expect.any(Number) });
  expect(waiter.waitSeconds).toBeGreaterThanOrEqual(0.1);
  expect(waiter.seconds).toBeLessThan(waiter.waitSeconds);
  expect(holder.seconds).toBeGreaterThanOrEqual(0.2);
  expect(holder.waitSeconds).toBeLessThan(0.1); // the connection was idle when it asked
});

it('charges each of many concurrent requests with exactly its own statements', async () => {
  // 20 requests of 1–3 statements over one connection: most statements are handed the connection
  // by another request's release.
  const tallies = Array.from({ length: 20 }, () => new DatabaseTime());
  await Promise.all(
    tallies.map((tally, i) =>
      withDatabaseTime(tally, async () => {
        for (let n = 0; n <= i % 3; n++) await pool.query('SELECT $1::int AS n', [n]);
      }),
    ),
  );
  expect(tallies.map((t) => t.statements)).toEqual(tallies.map((_, i) => (i % 3) + 1));
});

it("puts a gRPC method's statements on /metrics under its path", async () => {
  const metrics = new Metrics('time-test');
  const port = await freePort();
  const server = await startGrpcServer({
    host: '127.0.0.1',
    port,
    logger: pino({ level: 'silent' }),
    metrics,
    services: [
      grpcService(identityService, {
        GetUser: async (request) => {
          await pool.query('SELECT 1');
          await pool.query('SELECT 2');
          return { id: request.id, email: 'a@sirius.local', firstName: 'А', lastName: 'Б', roles: [] };
        },
        ValidateToken: async () => ({ valid: false, reason: 'invalid' }),
        GetUsers: async () => ({ users: [] }),
        CheckUserRole: async () => ({ hasRole: false, inScope: false }),
        CheckPlace: async () => ({ known: true }),
        DeactivateAndVacate: async () => ({}),
        ReactivateAndRestore: async () => ({ userId: '' }),
        FinishCheckOut: async () => ({ roomReleased: false }),
      }),
    ],
  });
  try {
    const client = createGrpcClient(identityService, `127.0.0.1:${port}`, { name: 'identity' });
    await client.GetUser({ id: 'u1' });
    await client.GetUser({ id: 'u2' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /^campus_request_database_statements_total\{transport="grpc",operation="\/[\w.]+\/GetUser",service="time-test"\} 4$/m,
    );
    expect(text).toMatch(
      /^campus_request_database_seconds_total\{transport="grpc",operation="\/[\w.]+\/GetUser"[^}]*\} 0\.\d+/m,
    );
  } finally {
    await server.close();
  }
});
