// A worker process for scheduler-crash.test.ts: schedules one keyed CRASH_JOB and runs it, but its
// handler stops mid-job (hangs) so that the test can SIGKILL the process there. CRASH_POINT says
// where: "after-commit" (the effect committed, the job not yet marked completed) or
// "before-commit" (the effect's transaction still open). Prints "<CRASH_POINT> <job id>" there.
import pg from 'pg';
import { claimJobRun } from '../../src/scheduler/job-runs';
import { createScheduler } from '../../src/scheduler/scheduler';
import { CRASH_JOB, CRASH_JOB_OPTIONS, fastSchedulerOptions } from './scheduler-support';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? '';
  const crashPoint = process.env.CRASH_POINT ?? '';
  const scheduler = createScheduler(fastSchedulerOptions(databaseUrl));
  scheduler.define(
    CRASH_JOB,
    async (job) => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query('BEGIN');
      await claimJobRun(client, job.id);
      await client.query('INSERT INTO effects (job_id, worker) VALUES ($1, $2)', [job.id, 'killed']);
      if (crashPoint === 'after-commit') await client.query('COMMIT');
      process.stdout.write(`${crashPoint} ${job.id}\n`);
      await new Promise(() => undefined); // until SIGKILL
    },
    CRASH_JOB_OPTIONS,
  );
  await scheduler.start();
  await scheduler.runAt(CRASH_JOB, new Date(), {}, { key: crashPoint });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
