import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { withTimeout } from '../health';
import { inOwnTrace } from './tracing';

/** What the scheduler stores as a pg-boss job's data: the caller's data and when it was due. */
export interface JobEnvelope {
  dueAt: string;
  data: unknown;
}

export type FetchedJob = PgBoss.JobWithMetadata<JobEnvelope>;

export interface JobLoopOptions {
  name: string;
  boss: PgBoss;
  pollingMs: number;
  logger: Logger;
  /** Runs one delivery; throwing (or outliving the job's expiry) fails the attempt. */
  run(job: FetchedJob, attempt: number): Promise<void>;
  onFailure(job: FetchedJob, attempt: number, error: unknown): void;
}

/**
 * Works one job name in this process: fetch one due job (pg-boss's FOR UPDATE SKIP LOCKED, so a
 * job goes to exactly one replica), run it, then mark it completed or failed — awaited, unlike
 * pg-boss's own `work()`, whose unawaited complete/fail would be an unhandled rejection (a crashed
 * process) on a database blip. Jobs of one name run one at a time per process.
 */
export class JobLoop {
  private stopping = false;
  private wake: (() => void) | undefined;
  private current: { job: FetchedJob; abandoned: boolean } | undefined;
  private finished: Promise<void> = Promise.resolve();

  constructor(private readonly options: JobLoopOptions) {}

  start(): void {
    this.finished = this.loop();
  }

  /** Stops fetching; `whenIdle` resolves once the job under way (if any) has settled. */
  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  whenIdle(): Promise<void> {
    return this.finished;
  }

  /**
   * After the grace period of a shutdown: fails the job still running so that it is retried
   * (here or on another replica) without waiting for its expiry; its late outcome is ignored.
   */
  async abandon(): Promise<void> {
    const current = this.current;
    if (!current) return;
    current.abandoned = true;
    await this.settle('fail', current.job, { message: 'scheduler stopped while the job was running' });
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let job: FetchedJob | undefined;
      try {
        // pg-boss's fetch answers [] when the database is unreachable; the loop simply polls again.
        [job] = await this.options.boss.fetch<JobEnvelope>(this.options.name, { includeMetadata: true, batchSize: 1 });
      } catch (error) {
        this.options.logger.warn({ err: error, job: this.options.name }, 'scheduler could not fetch jobs');
      }
      if (job) await this.execute(job);
      else if (!this.stopping) await this.pause();
    }
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollingMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async execute(job: FetchedJob): Promise<void> {
    // pg-boss counts re-deliveries in retryCount; the first delivery is attempt 1.
    const attempt = job.retryCount + 1;
    const current = { job, abandoned: false };
    this.current = current;
    try {
      // Each delivery is a trace of its own, named after the job: the handler's log lines, calls
      // and events carry it, and so does the failure's log line. Marking the job is bookkeeping
      // and stays outside it (as the outbox relay's is).
      const failure = await inOwnTrace(
        job.name,
        { 'campus.job.name': job.name, 'campus.job.id': job.id, 'campus.job.attempt': attempt },
        async () => {
          try {
            // Like pg-boss, a handler outliving the job's expiry fails the attempt (it may still
            // finish in the background: claimJobRun keeps its effect single).
            await withTimeout(this.options.run(job, attempt), Number(job.expireInSeconds) * 1000, `job ${job.name}`);
          } catch (error) {
            if (!current.abandoned) this.options.onFailure(job, attempt, error);
            throw error;
          }
        },
      ).then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      if (current.abandoned) return;
      if (failure) await this.settle('fail', job, failureOutput(failure.error));
      else await this.settle('complete', job);
    } finally {
      this.current = undefined;
    }
  }

  /**
   * Marks the job; if the database refuses, the job stays active until pg-boss's maintenance
   * expires it and it is delivered again (a repeat claimJobRun turns into a no-op).
   */
  private async settle(outcome: 'complete' | 'fail', job: FetchedJob, output?: object): Promise<void> {
    try {
      if (outcome === 'complete') await this.options.boss.complete(job.name, job.id);
      else await this.options.boss.fail(job.name, job.id, output ?? {});
    } catch (error) {
      this.options.logger.warn(
        { err: error, job: job.name, jobId: job.id },
        `scheduler could not mark the job ${outcome === 'complete' ? 'completed' : 'failed'}; it will expire and be delivered again`,
      );
    }
  }
}

/** What pg-boss keeps as a failed attempt's output. */
function failureOutput(error: unknown): object {
  return error instanceof Error ? error : { message: String(error) };
}
