// Shared by the scheduler's integration tests and their worker process (scheduler-worker.fixture.ts).
import pg from 'pg';
import pino from 'pino';
import { claimJobRun } from '../../src/scheduler/job-runs';
import type { JobOptions, SchedulerOptions } from '../../src/scheduler/scheduler';

/** Short polling and maintenance so that retries and re-deliveries take seconds. */
export const fastSchedulerOptions = (databaseUrl: string): SchedulerOptions => ({
  databaseUrl,
  logger: pino({ level: 'silent' }),
  pollingIntervalSeconds: 0.5,
  maintenanceIntervalSeconds: 1,
  stopGraceMs: 2_000,
});

/** A job whose worker is killed mid-run: re-delivered 2 s after it started, retried at once. */
export const CRASH_JOB = 'crash-prone';
export const CRASH_JOB_OPTIONS: JobOptions = {
  expireInSeconds: 2,
  retryDelaySeconds: 0,
  retryBackoff: false,
  retryLimit: 3,
};

/** The effect under test: one row per committed run of a job (no unique constraint, so repeats would show). */
export const EFFECTS_DDL = 'CREATE TABLE effects (seq serial PRIMARY KEY, job_id text NOT NULL, worker text NOT NULL)';

/**
 * A handler's effect made once per job id: claimJobRun and the effect row in one transaction.
 * Returns whether this delivery committed the effect (false: an earlier one did).
 */
export async function commitEffectOnce(pool: pg.Pool, jobId: string, worker: string): Promise<boolean> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const first = await claimJobRun(client, jobId);
    if (first) await client.query('INSERT INTO effects (job_id, worker) VALUES ($1, $2)', [jobId, worker]);
    await client.query('COMMIT');
    return first;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

export async function effectsOf(pool: pg.Pool, jobId: string): Promise<{ worker: string }[]> {
  const { rows } = await pool.query<{ worker: string }>('SELECT worker FROM effects WHERE job_id = $1 ORDER BY seq', [
    jobId,
  ]);
  return rows;
}

/** A job's row as pg-boss keeps it (state, retry count), or undefined. */
export async function jobRow(
  pool: pg.Pool,
  jobId: string,
): Promise<{ state: string; retry_count: number } | undefined> {
  const { rows } = await pool.query<{ state: string; retry_count: number }>(
    'SELECT state, retry_count FROM pgboss.job WHERE id = $1',
    [jobId],
  );
  return rows[0];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
