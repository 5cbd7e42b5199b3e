// The durable scheduler: jobs in the service's own PostgreSQL (pg-boss), run once across replicas.
export {
  createScheduler,
  type JobDefinition,
  type JobHandler,
  type JobOptions,
  type RunAtOptions,
  type ScheduledJob,
  type Scheduler,
  type SchedulerCounts,
  type SchedulerJob,
  type SchedulerOptions,
} from './scheduler';
export { DEFAULT_SCHEDULER_SCHEMA, claimJobRun, type JobRunExecutor } from './job-runs';
export { nextCronTime } from './cron';
export { inOwnTrace } from './tracing';
