// What the check-out orchestrator keeps (domain spec §9): a batch per request, one saga per student.

/**
 * The forward steps of a student's check-out, in order; compensations run in reverse. Each is one
 * participant's idempotent command (keyed by the saga id, the `checkout_id` the participants see).
 */
export const STEPS = ['release_bookings', 'withdraw_leave', 'close_sanctions', 'deactivate_account'] as const;
export type StepName = (typeof STEPS)[number];

/**
 * Where a running saga is: a forward step, or `finish` (identity releases the held room place;
 * once it answers, the check-out has succeeded).
 */
export type SagaPosition = StepName | 'finish';
export const POSITIONS: readonly SagaPosition[] = [...STEPS, 'finish'];

/**
 * running → succeeded; running → compensating → failed (every done step undone, or — failure code
 * CHECKOUT_COMPENSATION_INCOMPLETE — an undo refused or timed out: the rest left to an operator);
 * compensating → succeeded when identity shows the check-out had finished after all.
 */
export const SAGA_STATUSES = ['running', 'compensating', 'succeeded', 'failed'] as const;
export type SagaStatus = (typeof SAGA_STATUSES)[number];
export const ACTIVE_SAGA_STATUSES: readonly SagaStatus[] = ['running', 'compensating'];

/** The room a student lived in when the check-out was requested (identity's residence). */
export interface RoomSnapshot {
  building: string;
  entrance: number;
  room: string;
}

/** Why a check-out failed: the step and a stable code, in words for people, and the participant's details. */
export interface SagaFailure {
  step: SagaPosition;
  code: string;
  reason: string;
  details: Record<string, unknown>;
}

/** One student's check-out. */
export interface Saga {
  /** The check-out id: what every participant command is idempotent by. */
  id: string;
  batchId: string;
  studentId: string;
  /** Full name and room when requested (the batch still reads after the account is deactivated). */
  studentName: string;
  room: RoomSnapshot | null;
  /** The staff member who requested the batch, and why (carried into the events). */
  requestedBy: string;
  reason: string;
  status: SagaStatus;
  /** The forward position: the step running now, or where the saga stopped. */
  step: SagaPosition;
  /** Attempts of the current action (forward step or compensation) that have failed. */
  attempt: number;
  /**
   * When the current forward step started, or when the current action (step or compensation)
   * first failed: its deadline counts from here.
   */
  stepStartedAt: Date;
  /** When the runner may act on it next (a retry waits here). */
  nextAttemptAt: Date;
  /** The whole forward part must end by then, or the saga compensates. */
  deadlineAt: Date;
  /** Forward steps that succeeded, in order. */
  done: StepName[];
  /**
   * Compensations still to run, next first (reverse order of the steps); once failed with
   * CHECKOUT_COMPENSATION_INCOMPLETE, the steps never undone.
   */
  toCompensate: StepName[];
  /** Compensations that succeeded, in the order they ran. */
  compensated: StepName[];
  failure: SagaFailure | null;
  /** The last transient error (retrying), for operators. */
  lastError: string | null;
  /** Optimistic concurrency: every claim and save bumps it. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
}

/** What one participant call came to. */
export type StepOutcome =
  | { kind: 'done' }
  /** The participant refused for a business reason: retrying cannot help. */
  | { kind: 'refused'; error: ParticipantError }
  /** The participant was down, slow or broke: retry until the step's deadline. */
  | { kind: 'unavailable'; error: ParticipantError };

export interface ParticipantError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** The action a saga needs next: a forward step, or the compensation of a done step. */
export type SagaAction = { kind: 'do'; step: SagaPosition } | { kind: 'undo'; step: StepName };

/** One batch: a checkOut or checkOutCohort request. */
export interface Batch {
  id: string;
  requestedBy: string;
  reason: string;
  /** The cohort filter it was made from (null for a list of students). */
  cohort: CohortFilter | null;
  /** The sagas it started (one per student it checks out). */
  total: number;
  /**
   * Students the cohort selected but the batch left out, because a check-out of theirs was already
   * in progress (running or being compensated): that saga settles them. Always empty for a list of
   * students, which is refused instead (see `RunningPolicy`).
   */
  skippedRunning: string[];
  createdAt: Date;
  /** When its last saga ended. */
  endedAt: Date | null;
}

/**
 * What a student whose check-out is still in progress does to a new batch: `refuse` the whole
 * request (checkOut names students explicitly: the caller is told which ones), or `skip` them
 * (checkOutCohort: a filter cannot leave them out, and their running saga will settle them; only
 * a cohort with nobody left is refused).
 */
export type RunningPolicy = 'refuse' | 'skip';

export interface BatchCounts {
  total: number;
  succeeded: number;
  failed: number;
  inProgress: number;
}

/** A cohort of students to check out: those matching every field given (e.g. whose stay ends by a date). */
export interface CohortFilter {
  building?: string | null;
  entrance?: number | null;
  floor?: number | null;
  room?: string | null;
  /** YYYY-MM-DD: students whose planned check-out date is on or before it. */
  checkOutDateTo?: string | null;
}

/** A student as the orchestrator needs one: id, name, room and whether the account is still active. */
export interface Student {
  id: string;
  fullName: string;
  room: RoomSnapshot | null;
  isStudent: boolean;
  /** The entrance of their residence, for an educator_head's scope. */
  entrance: { building: string; entrance: number } | null;
}
