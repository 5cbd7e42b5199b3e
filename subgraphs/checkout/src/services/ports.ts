/**
 * The ports the services depend on. Adapters implement them: repository/ (PostgreSQL through
 * Prisma), clients/ (the participants and identity over gRPC); tests substitute in-memory fakes.
 */
import type { CloudEvent, Page, PageRequest } from '@campus/platform';
import type {
  Batch,
  BatchCounts,
  CohortFilter,
  RunningPolicy,
  Saga,
  SagaAction,
  SagaStatus,
  Student,
} from '../domain/records';

/**
 * The saga's participants: runs one action (a forward step or a compensation) for a saga, keyed by
 * the saga id. Resolves when the participant confirmed it; throws the participant's DomainError
 * otherwise (kind UNAVAILABLE/INTERNAL/TOO_MANY_REQUESTS/BAD_GATEWAY, or UNAUTHENTICATED/FORBIDDEN
 * refusing this service = try again; anything else = refused).
 */
export interface Participants {
  run(action: SagaAction, saga: Saga): Promise<void>;
}

/** Identity, as far as check-outs need it. */
export interface StudentDirectory {
  /** The active accounts among `ids` (missing ids are unknown or already inactive). */
  activeUsers(ids: readonly string[]): Promise<Student[]>;
  /** The active students of a cohort. */
  cohort(filter: CohortFilter): Promise<Student[]>;
}

/** One participant call, as the step log keeps it. */
export interface StepRun {
  sagaId: string;
  step: string;
  action: SagaAction['kind'];
  attempt: number;
  outcome: 'done' | 'refused' | 'unavailable';
  errorCode: string | null;
  message: string | null;
  startedAt: Date;
  durationMs: number;
}

export interface SagaSave {
  /** The saga as the runner left it (its `version` is the one it claimed). */
  saga: Saga;
  /** Keep the claim until then (the runner goes on with the next step), or null (it waits or ended). */
  leaseUntil: Date | null;
  run: StepRun;
  /** Events of this change (a student's outcome), written to the outbox with it. */
  events: CloudEvent[];
  /** Events when this change ended the batch's last saga (written with it, exactly once). */
  batchEndedEvents: (batch: Batch, counts: BatchCounts, at: Date) => CloudEvent[];
}

/** A batch to store, as requested (before students with a check-out in progress are dealt with). */
export interface NewBatch {
  /** `total` counts every saga below; `skippedRunning` is empty. */
  batch: Batch;
  /** One saga per student (distinct students). */
  sagas: readonly Saga[];
  /** What a student whose check-out is still running or being compensated does to the request. */
  whenRunning: RunningPolicy;
  /** The request's events, of the batch as stored (its `total` counts the sagas started). */
  events: (batch: Batch) => CloudEvent[];
}

export interface SagaStore {
  /**
   * Stores a batch, its sagas and the request's events in one transaction, and answers the batch as
   * stored. A student with a saga in progress (running or compensating) either refuses the whole
   * batch (`refuse`: CHECKOUT_ALREADY_RUNNING naming them) or is left out of it (`skip`: named in
   * `skippedRunning`; CHECKOUT_ALREADY_RUNNING if nobody is left). Race-free: two batches naming one
   * student at once never start two sagas of theirs.
   */
  createBatch(request: NewBatch): Promise<Batch>;
  /**
   * Claims up to `limit` sagas that are running or compensating, due at `now` and not claimed by a
   * live runner (lease passed): their lease is set to `leaseUntil` and their version bumped.
   */
  claimDue(now: Date, limit: number, leaseUntil: Date): Promise<Saga[]>;
  /** Saves a step's result if the saga is still at the claimed version; the saved saga, or null if it was taken over. */
  save(change: SagaSave): Promise<Saga | null>;
}

export interface BatchFilter {
  requestedBy?: string;
}

export interface CheckoutQueriesStore {
  batch(id: string): Promise<Batch | null>;
  batches(filter: BatchFilter, page: PageRequest): Promise<Page<Batch>>;
  counts(batchIds: readonly string[]): Promise<Map<string, BatchCounts>>;
  sagas(batchId: string, status: SagaStatus | null, page: PageRequest): Promise<Page<Saga>>;
  saga(id: string): Promise<Saga | null>;
}
