/**
 * The durable scheduler every service uses for work due at a given time (one-off or recurring,
 * in campus-local time). It wraps pg-boss 10 in a small typed API.
 *
 * Storage. pg-boss keeps its tables in its own schema (`pgboss` unless `schema` says otherwise) of
 * the service's own database, creates them and migrates them itself at `start()` (under an
 * advisory lock, so replicas may start together). Prisma never sees that schema. The scheduler
 * adds one table there, `scheduler_runs` (the run ledger, below), also created at start. It talks
 * to the database through a small pool of its own (`poolSize`); handlers use the service's.
 *
 * In a composition root:
 *
 *   const scheduler = createScheduler({ databaseUrl, timeZone: config.campusTimeZone, logger, metrics });
 *   const reminder = scheduler.define<ReminderData>('duty-reminder', remind, { retryLimit: 3 });
 *   scheduler.define('duty-rollover', rollover).every('0 23 * * *');  // 23:00 campus time, daily
 *   await scheduler.start();
 *   closers.add(() => scheduler.stop());
 *   health.add('scheduler', scheduler.check);
 *   // later, from a use case: await reminder.runAt(at, { dutyId }, { key: dutyId });
 *
 * Guarantees. A due job is handed to exactly one replica (pg-boss fetches with FOR UPDATE SKIP
 * LOCKED). Jobs are rows, so one due while the service was down runs when a replica comes back,
 * once. A failing handler is retried with exponential backoff (`retryLimit`, `retryDelaySeconds`,
 * `retryBackoff`); a handler killed mid-job leaves its job active until `expireInSeconds` has
 * passed and pg-boss's maintenance (every `maintenanceIntervalSeconds`, on one replica) hands it
 * out again. Delivery is therefore at least once; effects are made exactly once by keying them on
 * the job id in the run ledger, in the same transaction as the effect:
 *
 *   scheduler.define<{ dutyId: string }>('duty-reminder', async (job) => {
 *     await prisma.$transaction(async (tx) => {
 *       if (!(await claimJobRun(tx, job.id))) return; // this job's effect already committed
 *       await tx.reminder.create({ data: { dutyId: job.data.dutyId, dueAt: job.dueAt } });
 *     });
 *   });
 *
 * Where pg-boss was not used as is, and why:
 * - Recurring jobs (`every`) are not pg-boss `schedule`s. pg-boss sends a cron job only if its
 *   firing time is less than 60 s old when checked, so a firing due while every replica was down
 *   is lost, and its two-step send can duplicate a firing under a new id. Instead each firing is a
 *   one-off job whose id is derived from (name, firing time); running it first inserts the next
 *   firing (idempotently: replicas insert the same id). Firings missed during downtime collapse
 *   into the one that was pending: it runs once on return, and the next is computed from then.
 *   The cron is evaluated by cron-parser (pg-boss's own) in `timeZone`, DST-correct. After a
 *   cron change, a firing of the old cron that was already pending still runs once.
 * - Jobs are worked by our loop over pg-boss `fetch`/`complete`/`fail` (see JobLoop), not by
 *   `work()`, whose completion calls are not awaited (a database blip would crash the process).
 *
 * Keys. `runAt(..., { key })` derives the job id from (name, key): scheduling a key again keeps
 * the first job (its time and data) while pg-boss remembers it (its archive is dropped after 7
 * days); to move a keyed job, `cancel` it and schedule the key anew.
 *
 * Lifecycle: `define`/`every` before `start()`; `runAt`/`cancel` after; `stop()` stops fetching,
 * waits for running handlers up to a grace period, then fails what still runs (so it is retried).
 */
import type pg from 'pg';
import PgBoss from 'pg-boss';
import type { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { createDatabasePool } from '../database';
import type { Metrics } from '../metrics';
import { assertTimeZone, nextCronTime } from './cron';
import { JobLoop, type FetchedJob, type JobEnvelope } from './job-loop';
import { DEFAULT_SCHEDULER_SCHEMA, assertSchemaName, jobRunsDdl, keyedJobId, pruneJobRunsSql } from './job-runs';

/** One delivery of a job, as its handler sees it. */
export interface SchedulerJob<TData> {
  /** The pg-boss job id (the same on every retry): the key of claimJobRun. */
  id: string;
  name: string;
  data: TData;
  /** 1 on the first delivery, 2 on the first retry… */
  attempt: number;
  /** When the job was due (for a recurring job: its firing time), even if it runs later. */
  dueAt: Date;
}

export type JobHandler<TData> = (job: SchedulerJob<TData>) => Promise<void>;

export interface JobOptions {
  /** Retries after the first attempt (default 5). */
  retryLimit?: number;
  /** Delay before a retry, whole seconds (default 10); doubled per retry with jitter if `retryBackoff`. */
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** A delivery running longer fails (and is retried); a killed worker's job is re-delivered after it (default 300). */
  expireInSeconds?: number;
}

export interface RunAtOptions {
  /** Makes scheduling idempotent: one job per (name, key). */
  key?: string;
}

export interface ScheduledJob {
  id: string;
  /** False when a job with this key already existed (it was kept as it was). */
  created: boolean;
}

/** Jobs by state: scheduled (not yet due), due (waiting for a worker), running, failed (gave up, last 3 days). */
export interface SchedulerCounts {
  scheduled: number;
  due: number;
  running: number;
  failed: number;
}

/** A defined job, with its data type bound: the typed way to schedule it. */
export interface JobDefinition<TData> {
  readonly name: string;
  runAt(at: Date, data: TData, options?: RunAtOptions): Promise<ScheduledJob>;
  every(cron: string, data?: TData): void;
  cancel(key: string): Promise<boolean>;
}

export interface SchedulerOptions {
  /** The service's own database. */
  databaseUrl: string;
  logger: Logger;
  /** Adds campus_scheduler_jobs{state} and campus_scheduler_handler_failures_total{job}; one scheduler per registry. */
  metrics?: Metrics;
  /** The zone crons are read in (CAMPUS_TIMEZONE; default Europe/Moscow). */
  timeZone?: string;
  schema?: string;
  /** Connections of the scheduler's own pool (default 3, at least 2); handlers use the service's pool. */
  poolSize?: number;
  /** How often an idle job name is polled (default 2; at least 0.5). */
  pollingIntervalSeconds?: number;
  /** How often expired (killed) jobs are re-delivered and old ones archived (default 60). */
  maintenanceIntervalSeconds?: number;
  /** How long stop() waits for running handlers (default 10 000). */
  stopGraceMs?: number;
  /** How long the run ledger remembers a job (default 30 days; longer than pg-boss remembers jobs). */
  runRetentionDays?: number;
}

const DEFAULT_JOB_OPTIONS: Required<JobOptions> = {
  retryLimit: 5,
  retryDelaySeconds: 10,
  retryBackoff: true,
  expireInSeconds: 300,
};
const FAILED_KEPT_SECONDS = 3 * 24 * 3600;
const JOB_NAME = /^[A-Za-z0-9][\w.-]{0,99}$/;

interface Definition {
  handler: JobHandler<unknown>;
  options: Required<JobOptions>;
}

type SchedulerState = 'created' | 'starting' | 'started' | 'stopping' | 'stopped';

export function createScheduler(options: SchedulerOptions): Scheduler {
  return new Scheduler(options);
}

export class Scheduler {
  readonly timeZone: string;
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly boss: PgBoss;
  private readonly logger: Logger;
  private readonly definitions = new Map<string, Definition>();
  private readonly recurring = new Map<string, { cron: string; data: unknown }>();
  private readonly failures: Counter<string> | undefined;
  private loops: JobLoop[] = [];
  private state: SchedulerState = 'created';
  private startup: Promise<void> | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.timeZone = options.timeZone ?? 'Europe/Moscow';
    this.schema = options.schema ?? DEFAULT_SCHEDULER_SCHEMA;
    this.logger = options.logger;
    assertTimeZone(this.timeZone);
    assertSchemaName(this.schema);
    if ((options.pollingIntervalSeconds ?? 2) < 0.5) throw new Error('pollingIntervalSeconds must be at least 0.5');
    if ((options.poolSize ?? 3) < 2) throw new Error('poolSize must be at least 2');
    // Our pool, not pg-boss's: its errors are absorbed like every pool's, and start() can hold a
    // connection for the install lock.
    this.pool = createDatabasePool(options.databaseUrl, options.poolSize ?? 3);
    const pool = this.pool;
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => pool.query(text, values) },
      schema: this.schema,
      schedule: false, // pg-boss crons are not used (see the module comment)
      supervise: true,
      migrate: true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
      archiveFailedAfterSeconds: FAILED_KEPT_SECONDS,
    });
    this.boss.on('error', (error) => this.logger.warn({ err: error }, 'scheduler (pg-boss) error'));
    this.boss.on('maintenance', () => void this.pruneRuns());
    if (options.metrics) {
      options.metrics.gauge('campus_scheduler_jobs', 'Scheduled jobs by state', ['state'], (gauge) =>
        this.collectCounts(gauge),
      );
      this.failures = options.metrics.counter(
        'campus_scheduler_handler_failures_total',
        'Failed job deliveries (handler threw or ran past its expiry), by job name',
        ['job'],
      );
    }
  }

  /** Registers the handler of jobs named `name` (before start). */
  define<TData>(name: string, handler: JobHandler<TData>, options: JobOptions = {}): JobDefinition<TData> {
    this.assertState('created', 'define jobs');
    if (!JOB_NAME.test(name)) throw new Error(`Invalid job name "${name}" (letters, digits, '.', '_', '-')`);
    if (this.definitions.has(name)) throw new Error(`Job "${name}" is already defined`);
    this.definitions.set(name, {
      handler: handler as JobHandler<unknown>,
      options: validJobOptions(name, { ...DEFAULT_JOB_OPTIONS, ...options }),
    });
    return {
      name,
      runAt: (at, data, runOptions) => this.runAt(name, at, data, runOptions),
      every: (cron, data) => this.every(name, cron, data),
      cancel: (key) => this.cancel(name, key),
    };
  }

  /** Runs job `name` whenever `cron` fires on the campus wall clock (before start; one cron per name). */
  every<TData>(name: string, cron: string, data?: TData): void {
    this.assertState('created', 'declare recurring jobs');
    this.assertDefined(name);
    nextCronTime(cron, this.timeZone, new Date()); // refuses an invalid cron now, not at the first firing
    this.recurring.set(name, { cron, data: data ?? {} });
  }

  /** Schedules one run of job `name` at `at` (now or in the past: as soon as possible). */
  async runAt<TData>(name: string, at: Date, data: TData, options: RunAtOptions = {}): Promise<ScheduledJob> {
    this.assertState('started', 'schedule jobs');
    this.assertDefined(name);
    if (Number.isNaN(at.getTime())) throw new Error(`runAt("${name}"): invalid date`);
    const envelope: JobEnvelope = { dueAt: at.toISOString(), data };
    if (options.key === undefined) {
      const id = await this.boss.send(name, envelope, { startAfter: at });
      if (!id) throw new Error(`runAt("${name}"): pg-boss did not create the job`);
      return { id, created: true };
    }
    const id = keyedJobId(name, `key:${options.key}`);
    const existing = await this.boss.getJobById(name, id, { includeArchive: true });
    if (existing && existing.state !== 'cancelled') return { id, created: false };
    if (existing) await this.boss.deleteJob(name, id); // a cancelled key may be scheduled anew
    const sent = await this.boss.send(name, envelope, { id, startAfter: at });
    return { id, created: sent !== null };
  }

  /** Cancels the pending job of (name, key); false if there is none (unknown, running or done). */
  async cancel(name: string, key: string): Promise<boolean> {
    this.assertState('started', 'cancel jobs');
    this.assertDefined(name);
    const id = keyedJobId(name, `key:${key}`);
    const job = await this.boss.getJobById(name, id);
    if (!job || (job.state !== 'created' && job.state !== 'retry')) return false;
    await this.boss.cancel(name, id);
    return true;
  }

  /** Installs or migrates the tables, creates the queues, schedules recurring firings, starts working. */
  async start(): Promise<void> {
    this.assertState('created', 'start');
    this.state = 'starting';
    this.startup = this.install();
    try {
      await this.startup;
    } catch (error) {
      this.state = 'stopped';
      await this.boss.stop({ graceful: false }).catch(() => undefined);
      await this.pool.end().catch(() => undefined);
      throw error;
    }
    this.loops = [...this.definitions.keys()].map(
      (name) =>
        new JobLoop({
          name,
          boss: this.boss,
          pollingMs: (this.options.pollingIntervalSeconds ?? 2) * 1000,
          logger: this.logger,
          run: (job, attempt) => this.runJob(job, attempt),
          onFailure: (job, attempt, error) => this.onFailure(job, attempt, error),
        }),
    );
    for (const loop of this.loops) loop.start();
    this.state = 'started';
    this.logger.info({ jobs: [...this.definitions.keys()], timeZone: this.timeZone }, 'scheduler started');
  }

  /** Stops fetching, waits up to `graceMs` for running handlers, fails what still runs, closes the pool. */
  async stop(graceMs = this.options.stopGraceMs ?? 10_000): Promise<void> {
    if (this.state === 'starting') await this.startup?.catch(() => undefined);
    if (this.state !== 'started') {
      if (this.state === 'created') this.state = 'stopped';
      return;
    }
    this.state = 'stopping';
    for (const loop of this.loops) loop.stop();
    let timer: NodeJS.Timeout | undefined;
    const idle = await Promise.race([
      Promise.all(this.loops.map((loop) => loop.whenIdle())).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
    ]);
    clearTimeout(timer);
    if (!idle) {
      this.logger.warn({ graceMs }, 'scheduler stopping with jobs still running; they will be retried');
      await Promise.all(this.loops.map((loop) => loop.abandon()));
    }
    await this.boss.stop({ graceful: false });
    await this.pool.end();
    this.state = 'stopped';
  }

  /** Readiness: started and its database answering; the job counts are the check's details. */
  readonly check = async (): Promise<Record<string, unknown>> => {
    if (this.state !== 'started') throw new Error(`scheduler is ${this.state}`);
    return { jobs: await this.counts() };
  };

  async counts(): Promise<SchedulerCounts> {
    this.assertState('started', 'count jobs');
    const { rows } = await this.pool.query<SchedulerCounts>(
      `SELECT
         count(*) FILTER (WHERE state < 'active' AND start_after > now())::int AS scheduled,
         count(*) FILTER (WHERE state < 'active' AND start_after <= now())::int AS due,
         count(*) FILTER (WHERE state = 'active')::int AS running,
         count(*) FILTER (WHERE state = 'failed')::int AS failed
       FROM ${this.schema}.job
       WHERE name NOT LIKE '\\_\\_pgboss\\_\\_%'`,
      [],
    );
    const [counts] = rows;
    if (!counts) throw new Error('scheduler counts: no row');
    return counts;
  }

  /**
   * pg-boss's tables (it creates or migrates them), then ours, the queues and the first firings.
   * Replicas starting together take turns (a session advisory lock): pg-boss's create_queue
   * deadlocks when two of them create the same queue at once.
   */
  private async install(): Promise<void> {
    await this.boss.start();
    const lock = await this.pool.connect();
    const lockKey = `campus.scheduler.install.${this.schema}`;
    try {
      await lock.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
      await this.pool.query(jobRunsDdl(this.schema));
      for (const [name, { options }] of this.definitions) {
        const queue = {
          name,
          policy: 'standard' as const,
          retryLimit: options.retryLimit,
          retryDelay: options.retryDelaySeconds,
          retryBackoff: options.retryBackoff,
          expireInSeconds: options.expireInSeconds,
        };
        await this.boss.createQueue(name, queue);
        await this.boss.updateQueue(name, queue); // options changed since the queue was created
      }
    } finally {
      lock.release(true); // closing the session releases the lock, whatever state it is in
    }
    for (const name of this.recurring.keys()) await this.scheduleNextFiring(name, new Date());
  }

  private async runJob(job: FetchedJob, attempt: number): Promise<void> {
    const definition = this.definitions.get(job.name);
    if (!definition) throw new Error(`No handler for job "${job.name}"`);
    const envelope = readEnvelope(job);
    const dueAt = new Date(envelope.dueAt);
    // The next firing is inserted before the handler runs, so a failing or killed handler does not
    // end the series; a late firing (after downtime) is followed by the next one after now.
    if (this.recurring.has(job.name)) await this.scheduleNextFiring(job.name, new Date(Math.max(Date.now(), +dueAt)));
    await definition.handler({ id: job.id, name: job.name, data: envelope.data, attempt, dueAt });
  }

  private async scheduleNextFiring(name: string, after: Date): Promise<void> {
    const recurring = this.recurring.get(name);
    if (!recurring) return;
    const at = nextCronTime(recurring.cron, this.timeZone, after);
    const envelope: JobEnvelope = { dueAt: at.toISOString(), data: recurring.data };
    await this.boss.send(name, envelope, { id: keyedJobId(name, `firing:${at.toISOString()}`), startAfter: at });
  }

  private onFailure(job: FetchedJob, attempt: number, error: unknown): void {
    this.failures?.inc({ job: job.name });
    const last = attempt > job.retryLimit;
    this.logger[last ? 'error' : 'warn'](
      { err: error, job: job.name, jobId: job.id, attempt },
      last ? 'scheduled job failed for the last time' : 'scheduled job failed; it will be retried',
    );
  }

  private async collectCounts(gauge: { set(labels: { state: string }, value: number): void }): Promise<void> {
    if (this.state !== 'started') return;
    try {
      const counts = await this.counts();
      for (const state of ['due', 'running', 'failed', 'scheduled'] as const) gauge.set({ state }, counts[state]);
    } catch (error) {
      this.logger.debug({ err: error }, 'scheduler counts unavailable for metrics');
    }
  }

  private async pruneRuns(): Promise<void> {
    try {
      await this.pool.query(pruneJobRunsSql(this.schema), [this.options.runRetentionDays ?? 30]);
    } catch (error) {
      this.logger.warn({ err: error }, 'scheduler could not prune its run ledger; retrying at the next maintenance');
    }
  }

  private assertState(expected: SchedulerState, what: string): void {
    if (this.state !== expected) throw new Error(`Cannot ${what}: the scheduler is ${this.state}`);
  }

  private assertDefined(name: string): void {
    if (!this.definitions.has(name)) throw new Error(`Job "${name}" is not defined`);
  }
}

function validJobOptions(name: string, options: Required<JobOptions>): Required<JobOptions> {
  const { retryLimit, retryDelaySeconds, expireInSeconds } = options;
  if (!Number.isInteger(retryLimit) || retryLimit < 0) {
    throw new Error(`Job "${name}": retryLimit must be an integer ≥ 0`);
  }
  if (!Number.isInteger(retryDelaySeconds) || retryDelaySeconds < 0) {
    throw new Error(`Job "${name}": retryDelaySeconds must be an integer ≥ 0`);
  }
  if (!Number.isInteger(expireInSeconds) || expireInSeconds < 1 || expireInSeconds >= 24 * 3600) {
    throw new Error(`Job "${name}": expireInSeconds must be an integer from 1 to 86399`);
  }
  return options;
}

/** The envelope of a job this scheduler sent; a job sent otherwise is read as due at its start time. */
function readEnvelope(job: FetchedJob): JobEnvelope {
  const data = job.data as Partial<JobEnvelope> | null;
  if (data && typeof data.dueAt === 'string') return { dueAt: data.dueAt, data: data.data };
  return { dueAt: new Date(job.startAfter).toISOString(), data: job.data };
}
