import type { Batch, CohortFilter, RoomSnapshot, Saga, SagaPosition, StepName } from '../domain/records';
import type { Prisma } from './database';

type SagaRow = Prisma.CheckoutSagaGetPayload<object>;
type BatchRow = Prisma.CheckoutBatchGetPayload<object>;

const asObject = (value: Prisma.JsonValue | null): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

export function toSaga(row: SagaRow): Saga {
  return {
    id: row.id,
    batchId: row.batchId,
    studentId: row.studentId,
    studentName: row.studentName,
    room: row.room ? (row.room as unknown as RoomSnapshot) : null,
    requestedBy: row.requestedBy,
    reason: row.reason,
    status: row.status,
    step: row.step as SagaPosition,
    attempt: row.attempt,
    stepStartedAt: row.stepStartedAt,
    nextAttemptAt: row.nextAttemptAt,
    deadlineAt: row.deadlineAt,
    done: row.doneSteps as StepName[],
    toCompensate: row.toCompensate as StepName[],
    compensated: row.compensated as StepName[],
    failure:
      row.failureCode && row.failureStep
        ? {
            step: row.failureStep as SagaPosition,
            code: row.failureCode,
            reason: row.failureReason ?? '',
            details: asObject(row.failureDetails),
          }
        : null,
    lastError: row.lastError,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    endedAt: row.endedAt,
  };
}

/** The columns a save writes (everything that changes as a saga goes). */
export function sagaChanges(saga: Saga) {
  return {
    status: saga.status,
    step: saga.step,
    attempt: saga.attempt,
    stepStartedAt: saga.stepStartedAt,
    nextAttemptAt: saga.nextAttemptAt,
    deadlineAt: saga.deadlineAt,
    doneSteps: saga.done,
    toCompensate: saga.toCompensate,
    compensated: saga.compensated,
    failureStep: saga.failure?.step ?? null,
    failureCode: saga.failure?.code ?? null,
    failureReason: saga.failure?.reason ?? null,
    failureDetails: (saga.failure?.details ?? undefined) as Prisma.InputJsonValue | undefined,
    lastError: saga.lastError,
    updatedAt: saga.updatedAt,
    endedAt: saga.endedAt,
  };
}

export function toBatch(row: BatchRow): Batch {
  return {
    id: row.id,
    requestedBy: row.requestedBy,
    reason: row.reason,
    cohort: row.cohort ? (row.cohort as unknown as CohortFilter) : null,
    total: row.total,
    skippedRunning: row.skippedRunning,
    createdAt: row.createdAt,
    endedAt: row.endedAt,
  };
}
