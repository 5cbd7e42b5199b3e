// The scheduler against real PostgreSQL: replicas, downtime, retries with backoff, keys, recurring
// jobs, counts. (A worker killed mid-job: scheduler-crash.test.ts.)
import type pg from 'pg';
import { createTestDatabase, eventually, testDatabasePool, type TestDatabase } from '@campus/testkit';
import { HealthRegistry } from '../../src/health';
import { Metrics } from '../../src/metrics';
import { createScheduler, type Scheduler, type SchedulerOptions } from '../../src/scheduler/scheduler';
import { EFFECTS_DDL, commitEffectOnce, effectsOf, fastSchedulerOptions, jobRow, sleep } from './scheduler-support';

let db: TestDatabase;
let pool: pg.Pool;
const running: Scheduler[] = [];

/** A scheduler on the test database with fast polling; stopped after each test. */
function replica(extra: Partial<SchedulerOptions> = {}): Scheduler {
  const scheduler = createScheduler({ ...fastSchedulerOptions(db.url), ...extra });
  running.push(scheduler);
  return scheduler;
}

beforeAll(async () => {
  db = await createTestDatabase(null);
  pool = testDatabasePool(db, 6);
  await pool.query(EFFECTS_DDL);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

it('two replicas: every due job runs once, on one of them, and its effect exists once', async () => {
  const runs: { jobId: string; worker: string }[] = [];
  const start = (worker: string) => {
    const scheduler = replica();
    scheduler.define('replicated', async (job) => {
      runs.push({ jobId: job.id, worker });
      await commitEffectOnce(pool, job.id, worker);
    });
    return scheduler;
  };
  const [a, b] = [start('a'), start('b')];
  await Promise.all([a.start(), b.start()]); // two replicas installing pg-boss at once
  const jobs = await Promise.all(Array.from({ length: 10 }, (_, n) => a.runAt('replicated', new Date(), { n })));

  await eventually(
    () => runs.length,
    (n) => n >= 10,
    15_000,
    'ten runs',
  );
  await sleep(1_500); // a repeat delivery would have happened by now
  expect(runs.map((r) => r.jobId).sort()).toEqual(jobs.map((j) => j.id).sort());
  for (const { id } of jobs) expect(await effectsOf(pool, id)).toHaveLength(1);
});

it('a job due while no worker ran runs once after start, with its due time', async () => {
  const runs: { jobId: string; worker: string; attempt: number; dueAt: Date }[] = [];
  const define = (scheduler: Scheduler, worker: string) =>
    scheduler.define('after-downtime', async (job) => {
      runs.push({ jobId: job.id, worker, attempt: job.attempt, dueAt: job.dueAt });
    });
  const before = replica();
  define(before, 'before');
  await before.start();
  const dueAt = new Date(Date.now() + 1_000);
  const { id } = await before.runAt('after-downtime', dueAt, {});
  await before.stop();

  await sleep(1_500);
  expect(await jobRow(pool, id)).toMatchObject({ state: 'created' }); // past due, nobody to run it
  const after = replica();
  define(after, 'after');
  await after.start();
  await eventually(
    () => runs.length,
    (n) => n >= 1,
    10_000,
    'the overdue job',
  );
  await sleep(1_200);
  expect(runs).toEqual([{ jobId: id, worker: 'after', attempt: 1, dueAt }]);
});

it('retries a failing handler with backoff: three attempts, one effect, two failures counted', async () => {
  const metrics = new Metrics('scheduler-test');
  const scheduler = replica({ metrics });
  const attempts: { attempt: number; at: number }[] = [];
  scheduler.define(
    'flaky',
    async (job) => {
      attempts.push({ attempt: job.attempt, at: Date.now() });
      if (job.attempt < 3) throw new Error(`attempt ${job.attempt} fails`);
      await commitEffectOnce(pool, job.id, 'flaky');
    },
    { retryLimit: 3, retryDelaySeconds: 1, retryBackoff: true },
  );
  await scheduler.start();
  const { id } = await scheduler.runAt('flaky', new Date(), {});

  await eventually(
    () => jobRow(pool, id),
    (row) => row?.state === 'completed',
    20_000,
    'the job completed',
  );
  expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
  const [first, second, third] = attempts.map((a) => a.at) as [number, number, number];
  // pg-boss backoff: delay × 2^retry / 2, plus up to as much jitter: 1–2 s, then 2–4 s.
  expect(second - first).toBeGreaterThanOrEqual(900);
  expect(third - second).toBeGreaterThanOrEqual(1_900);
  expect(await effectsOf(pool, id)).toEqual([{ worker: 'flaky' }]);
  const failures = await metrics.registry.getSingleMetric('campus_scheduler_handler_failures_total')?.get();
  expect(failures?.values).toEqual([expect.objectContaining({ labels: { job: 'flaky' }, value: 2 })]);
});

it('keys: one job per key across replicas, a repeat keeps the first, a cancelled key can be scheduled anew', async () => {
  const seen: unknown[] = [];
  const start = () => {
    const scheduler = replica();
    scheduler.define<{ v: number }>('keyed', async (job) => {
      seen.push(job.data);
    });
    return scheduler;
  };
  const [a, b] = [start(), start()];
  await Promise.all([a.start(), b.start()]);
  const later = new Date(Date.now() + 3_600_000);

  const both = await Promise.all([
    a.runAt('keyed', later, { v: 1 }, { key: 'k' }),
    b.runAt('keyed', later, { v: 1 }, { key: 'k' }),
  ]);
  expect(both[0].id).toBe(both[1].id);
  expect(both.filter((s) => s.created)).toHaveLength(1);
  expect(await a.runAt('keyed', new Date(), { v: 2 }, { key: 'k' })).toEqual({ id: both[0].id, created: false });

  expect(await b.cancel('keyed', 'k')).toBe(true);
  expect(await b.cancel('keyed', 'k')).toBe(false);
  expect(await a.runAt('keyed', new Date(), { v: 3 }, { key: 'k' })).toEqual({ id: both[0].id, created: true });
  await eventually(
    () => seen.length,
    (n) => n >= 1,
    10_000,
    'the rescheduled job',
  );
  await sleep(1_200);
  expect(seen).toEqual([{ v: 3 }]);
  expect(await a.runAt('keyed', new Date(), { v: 4 }, { key: 'k' })).toMatchObject({ created: false }); // done: kept
});

it('recurring: each firing runs once across replicas; firings missed while down run once on return', async () => {
  const firings: { dueAt: number; worker: string }[] = [];
  const start = async (worker: string) => {
    const scheduler = replica();
    scheduler.define('heartbeat', async (job) => {
      firings.push({ dueAt: job.dueAt.getTime(), worker });
    });
    scheduler.every('heartbeat', '* * * * * *'); // every second
    await scheduler.start();
    return scheduler;
  };
  const [a, b] = await Promise.all([start('a'), start('b')]);
  await eventually(
    () => firings.length,
    (n) => n >= 3,
    15_000,
    'three firings',
  );
  await Promise.all([a.stop(), b.stop()]);
  const dueTimes = firings.map((f) => f.dueAt);
  expect(new Set(dueTimes).size).toBe(dueTimes.length);
  expect(dueTimes.every((t) => t % 1_000 === 0)).toBe(true);

  await sleep(2_500); // two or three firings fall due with nobody up
  const before = firings.length;
  const restartedAt = Date.now();
  await start('c');
  await eventually(
    () => firings.length - before,
    (n) => n >= 2,
    15_000,
    'firings after the restart',
  );
  const afterRestart = firings.slice(before);
  expect(afterRestart.filter((f) => f.dueAt < restartedAt)).toHaveLength(1); // the missed ones, once
  expect(new Set(firings.map((f) => f.dueAt)).size).toBe(firings.length);
});

it('counts due, running and failed jobs for /metrics, and answers readiness', async () => {
  const metrics = new Metrics('scheduler-test');
  const scheduler = replica({ metrics, schema: 'counted' }); // its own schema: other tests' jobs are not counted
  let release = () => undefined as void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  scheduler.define('gated', () => gate, { expireInSeconds: 60 });
  scheduler.define(
    'doomed',
    async () => {
      throw new Error('always fails');
    },
    { retryLimit: 0 },
  );
  await expect(scheduler.check()).rejects.toThrow(/created/);
  await scheduler.start();
  // readiness details: the job counts (nothing scheduled yet)
  await expect(scheduler.check()).resolves.toEqual({ jobs: { scheduled: 0, due: 0, running: 0, failed: 0 } });
  const health = new HealthRegistry().add('scheduler', scheduler.check);
  expect(await health.readiness()).toMatchObject({ status: 'ok', details: { scheduler: { jobs: { failed: 0 } } } });

  await scheduler.runAt('gated', new Date(), { n: 1 });
  await scheduler.runAt('gated', new Date(), { n: 2 }); // waits: one job of a name at a time per process
  await scheduler.runAt('doomed', new Date(), {});
  await scheduler.runAt('gated', new Date(Date.now() + 3_600_000), { n: 3 });
  await eventually(
    () => scheduler.counts(),
    (c) => c.running === 1 && c.due === 1 && c.failed === 1 && c.scheduled === 1,
    15_000,
    'one running, one due, one failed, one scheduled',
  );
  const gauge = await metrics.registry.getSingleMetric('campus_scheduler_jobs')?.get();
  const byState = Object.fromEntries((gauge?.values ?? []).map((v) => [v.labels.state, v.value]));
  expect(byState).toEqual({ due: 1, running: 1, failed: 1, scheduled: 1 });

  release();
  await eventually(
    () => scheduler.counts(),
    (c) => c.running === 0 && c.due === 0,
    10_000,
    'the gated jobs done',
  );
  await scheduler.stop();
  await expect(scheduler.check()).rejects.toThrow(/stopped/);
});
