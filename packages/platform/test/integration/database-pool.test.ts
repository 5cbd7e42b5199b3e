// The pool's server-side safety nets against real PostgreSQL: a connection handed back to the pool
// in the middle of a transaction (a client library's bug after a timeout) must not keep its row
// locks, and the caller that next uses it gets a retryable UNAVAILABLE, not INTERNAL_ERROR.
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@campus/testkit';
import { createDatabasePool, inTransaction, type PoolLimits } from '../../src/database';
import { toPublicError } from '../../src/errors';

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase(null);
  pool = createDatabasePool(db.url, 2, { idleInTransactionTimeoutMs: 300 });
  await pool.query('CREATE TABLE slots (id int PRIMARY KEY, holder text)');
  await pool.query("INSERT INTO slots VALUES (1, 'nobody')");
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

it('ends a session left idle in a transaction, releasing its locks; its next user is told UNAVAILABLE', async () => {
  const leaked = await pool.connect();
  await leaked.query('BEGIN');
  await leaked.query("UPDATE slots SET holder = 'leaked' WHERE id = 1");
  // Back to the pool without COMMIT or ROLLBACK, as prisma/orm#29719 did.
  leaked.release();

  const other = new pg.Client({ connectionString: db.url });
  await other.connect();
  try {
    // A writer of the same row waits only until the server ends the abandoned session (300 ms),
    // not forever; lock_timeout bounds the wait should the safety net not work.
    await other.query("SET lock_timeout = '5s'");
    const started = Date.now();
    await other.query("UPDATE slots SET holder = 'next' WHERE id = 1");
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await other.query('SELECT holder FROM slots WHERE id = 1')).rows).toEqual([{ holder: 'next' }]);
  } finally {
    await other.end();
  }

  // Whoever is handed the ended session hears a retryable code; the pool then drops it.
  const errors: unknown[] = [];
  for (let i = 0; i < 2; i++) {
    await pool.query('SELECT 1').catch((error: unknown) => errors.push(error));
  }
  for (const error of errors) expect(toPublicError(error).code).toBe('UNAVAILABLE');
  expect((await pool.query('SELECT holder FROM slots WHERE id = 1')).rows).toEqual([{ holder: 'next' }]);
});

it('keeps what inTransaction did when the work returns, and none of it when the work throws', async () => {
  const holder = async () =>
    (await pool.query<{ holder: string }>('SELECT holder FROM slots WHERE id = 1')).rows[0]!.holder;
  const kept = await inTransaction(pool, async (client) => {
    await client.query("UPDATE slots SET holder = 'kept' WHERE id = 1");
    return 'done';
  });
  expect(kept).toBe('done');
  expect(await holder()).toBe('kept');

  await expect(
    inTransaction(pool, async (client) => {
      await client.query("UPDATE slots SET holder = 'undone' WHERE id = 1");
      throw new Error('the work failed');
    }),
  ).rejects.toThrow('the work failed');
  expect(await holder()).toBe('kept');
});

it('reads timestamptz values as the instants PostgreSQL holds, whatever the session time zone writes', async () => {
  const client = await pool.connect();
  try {
    // Kathmandu: +05:45; St John's: −03:30; Moscow in 1880: local mean time, +02:30:17.
    for (const zone of ['UTC', 'Asia/Kathmandu', 'America/St_Johns', 'Europe/Moscow']) {
      await client.query(`SET TIME ZONE '${zone}'`);
      const { rows } = await client.query<{ t: Date; text: string; ms: string }>(
        `SELECT t, t::text AS text, (extract(epoch FROM t) * 1000)::text AS ms FROM (VALUES
           ('2027-01-05 19:00:00.123456+00'::timestamptz), ('1880-06-01 12:00:00+00'), ('2026-03-29 01:30:00+00')) v(t)`,
      );
      for (const row of rows)
        expect([zone, row.text, row.t.getTime()]).toEqual([zone, row.text, Math.trunc(Number(row.ms))]);
    }
  } finally {
    await client.query('RESET TIME ZONE');
    client.release();
  }
});

it('plans a named statement once per connection by default, and as told when a mode is given', async () => {
  // PostgreSQL's own count of how each execution of the prepared statement was planned.
  const plansOf = async (limits: PoolLimits) => {
    const single = createDatabasePool(db.url, 1, limits);
    try {
      for (let i = 0; i < 8; i++) {
        await single.query({
          name: 'holders',
          text: 'SELECT holder FROM slots WHERE id = ANY($1::int[])',
          values: [[1]],
        });
      }
      const { rows } = await single.query<{ generic: number; custom: number }>(
        "SELECT generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name = 'holders'",
      );
      return rows;
    } finally {
      await single.end();
    }
  };
  expect(await plansOf({})).toEqual([{ generic: 8, custom: 0 }]);
  expect(await plansOf({ planCacheMode: 'force_custom_plan' })).toEqual([{ generic: 0, custom: 8 }]);
});
