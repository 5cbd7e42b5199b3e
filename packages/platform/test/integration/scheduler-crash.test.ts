// A worker process killed mid-job (SIGKILL, no shutdown): the job is delivered again and its
// effect, keyed by job id, happens once — whether the kill came after or before the effect committed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type pg from 'pg';
import { REPO_ROOT, createTestDatabase, eventually, testDatabasePool, type TestDatabase } from '@campus/testkit';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler';
import {
  CRASH_JOB,
  CRASH_JOB_OPTIONS,
  EFFECTS_DDL,
  commitEffectOnce,
  effectsOf,
  fastSchedulerOptions,
  jobRow,
} from './scheduler-support';

const FIXTURE = path.join(__dirname, 'scheduler-worker.fixture.ts');

let db: TestDatabase;
let pool: pg.Pool;
let survivor: Scheduler | undefined;

beforeAll(async () => {
  db = await createTestDatabase(null);
  pool = testDatabasePool(db, 4);
  await pool.query(EFFECTS_DDL);
});

afterEach(async () => {
  await survivor?.stop();
  survivor = undefined;
});

afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** Runs the fixture until it reaches `crashPoint`, SIGKILLs it there, and returns the job's id. */
async function killWorkerAt(crashPoint: 'after-commit' | 'before-commit'): Promise<string> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', FIXTURE], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', DATABASE_URL: db.url, CRASH_POINT: crashPoint },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`worker never reached ${crashPoint}:\n${stderr.join('\n')}`)),
        30_000,
      );
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        const [point, jobId] = line.split(' ');
        if (point === crashPoint && jobId) {
          clearTimeout(timer);
          resolve(jobId);
        }
      });
      child.once('exit', (code) => reject(new Error(`worker exited (${code}) early:\n${stderr.join('\n')}`)));
    });
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

it.each([
  ['after-commit', 'killed'],
  ['before-commit', 'survivor'],
] as const)('a worker killed %s: the job is retried and the effect happens once', async (crashPoint, effectBy) => {
  const jobId = await killWorkerAt(crashPoint);
  expect(await jobRow(pool, jobId)).toMatchObject({ state: 'active' }); // nobody will complete it

  const deliveries: { attempt: number; committed: boolean }[] = [];
  survivor = createScheduler(fastSchedulerOptions(db.url));
  survivor.define(
    CRASH_JOB,
    async (job) => {
      deliveries.push({ attempt: job.attempt, committed: await commitEffectOnce(pool, job.id, 'survivor') });
    },
    CRASH_JOB_OPTIONS,
  );
  await survivor.start();

  // Expired after 2 s by pg-boss's maintenance, then delivered to the surviving worker.
  await eventually(
    () => jobRow(pool, jobId),
    (row) => row?.state === 'completed',
    20_000,
    'the job completed',
  );
  expect(deliveries).toEqual([{ attempt: 2, committed: effectBy === 'survivor' }]);
  expect(await effectsOf(pool, jobId)).toEqual([{ worker: effectBy }]);
});
