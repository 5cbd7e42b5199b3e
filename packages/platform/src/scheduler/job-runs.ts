import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../messaging/outbox';

/** pg-boss's default schema; the scheduler keeps its own tables next to pg-boss's. */
export const DEFAULT_SCHEDULER_SCHEMA = 'pgboss';

/** A pg client (or pool) as well as a Prisma transaction can record a run. */
export type JobRunExecutor =
  | SqlExecutor
  | { query(text: string, values?: unknown[]): Promise<{ rowCount: number | null }> };

/** Schema names are interpolated into SQL, so they are held to what pg-boss itself accepts. */
export function assertSchemaName(schema: string): void {
  if (!/^[A-Za-z_]\w{0,49}$/.test(schema)) throw new Error(`Invalid scheduler schema name "${schema}"`);
}

/**
 * Records that the effect of job `jobId` is being committed, inside the caller's transaction;
 * false when it was recorded before (this delivery is a repeat: skip the effect). Two deliveries
 * running at once serialize on the primary key: the second waits for the first transaction, then
 * gets false if it committed (or true if it rolled back).
 */
export async function claimJobRun(
  db: JobRunExecutor,
  jobId: string,
  schema: string = DEFAULT_SCHEDULER_SCHEMA,
): Promise<boolean> {
  assertSchemaName(schema);
  const sql = `INSERT INTO ${schema}.scheduler_runs (job_id) VALUES ($1) ON CONFLICT (job_id) DO NOTHING`;
  const inserted =
    '$executeRawUnsafe' in db ? await db.$executeRawUnsafe(sql, jobId) : (await db.query(sql, [jobId])).rowCount;
  return inserted === 1;
}

/**
 * The run ledger, created by the scheduler at start (not by a service's migrations: it lives in
 * the scheduler's schema, which Prisma does not manage). The advisory lock keeps two replicas
 * starting at once from racing on CREATE TABLE IF NOT EXISTS.
 */
export function jobRunsDdl(schema: string): string {
  assertSchemaName(schema);
  return `
    BEGIN;
    SELECT pg_advisory_xact_lock(hashtext('campus.scheduler.${schema}'));
    CREATE TABLE IF NOT EXISTS ${schema}.scheduler_runs (
      job_id text PRIMARY KEY,
      done_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS scheduler_runs_done_at ON ${schema}.scheduler_runs (done_at);
    COMMIT;
  `;
}

/** Deletes ledger rows older than the retention, in one bounded batch (no long lock). */
export function pruneJobRunsSql(schema: string): string {
  assertSchemaName(schema);
  return `DELETE FROM ${schema}.scheduler_runs WHERE ctid IN (
    SELECT ctid FROM ${schema}.scheduler_runs WHERE done_at < now() - make_interval(days => $1) LIMIT 5000)`;
}

/**
 * The id of a keyed job: a UUID derived from (name, key), so that every replica scheduling the
 * same key addresses the same pg-boss job (and the same run-ledger row). Version 8 (RFC 9562,
 * "custom") with the RFC variant bits, so it is a well-formed UUID.
 */
export function keyedJobId(name: string, key: string): string {
  const hex = createHash('sha256').update(`${name}\u0000${key}`).digest('hex').slice(0, 32);
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const uuid = `${hex.slice(0, 12)}8${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
  return `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20)}`;
}
