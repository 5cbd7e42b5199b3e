import type { EventDataByType } from '@campus/contracts';
import { cloudEvent, type CloudEvent } from '@campus/platform';
import type { Batch, BatchCounts, Saga } from '../domain/records';

/**
 * The checkout service's published events (CloudEvents on the campus exchange, written to the
 * outbox with the change). Their `data` is documented by
 * packages/contracts/events/campus.checkout.*.json (→ docs/events.md). Pure.
 */
export const CHECKOUT_EVENT_SOURCE = '/campus/checkout';

type Data<T extends keyof EventDataByType> = EventDataByType[T];

const studentPart = (saga: Saga) => ({
  checkoutId: saga.id,
  batchId: saga.batchId,
  studentId: saga.studentId,
  studentName: saga.studentName,
  requestedBy: saga.requestedBy,
  reason: saga.reason,
});

export function batchRequested(batch: Batch): CloudEvent<Data<'campus.checkout.batch.requested.v1'>> {
  return cloudEvent({
    source: CHECKOUT_EVENT_SOURCE,
    type: 'campus.checkout.batch.requested.v1',
    subject: batch.id,
    time: batch.createdAt,
    data: {
      batchId: batch.id,
      requestedBy: batch.requestedBy,
      reason: batch.reason,
      total: batch.total,
      at: batch.createdAt.toISOString(),
    },
  });
}

/** A student's outcome: checked out, or failed with every done step undone. Null while the saga runs. */
export function sagaOutcome(saga: Saga, at: Date): CloudEvent | null {
  if (saga.status === 'succeeded') {
    const data: Data<'campus.checkout.student.checked_out.v1'> = {
      ...studentPart(saga),
      room: saga.room,
      at: at.toISOString(),
    };
    return cloudEvent({
      source: CHECKOUT_EVENT_SOURCE,
      type: 'campus.checkout.student.checked_out.v1',
      subject: saga.id,
      time: at,
      data,
    });
  }
  if (saga.status === 'failed' && saga.failure) {
    const data: Data<'campus.checkout.student.check_out_failed.v1'> = {
      ...studentPart(saga),
      step: saga.failure.step,
      failureCode: saga.failure.code,
      failureReason: saga.failure.reason,
      coworkingName:
        saga.failure.code === 'CHECKOUT_KEY_HELD' && typeof saga.failure.details.coworkingName === 'string'
          ? saga.failure.details.coworkingName
          : null,
      // said back, not yet confirmed: the student is asked for something else than the key
      ...(saga.failure.code === 'CHECKOUT_KEY_HELD' && saga.failure.details.status === 'key_returned'
        ? { keyReturnUnconfirmed: true }
        : {}),
      participantCode:
        typeof saga.failure.details.participantCode === 'string' && saga.failure.code !== 'CHECKOUT_KEY_HELD'
          ? saga.failure.details.participantCode
          : null,
      compensated: [...saga.compensated],
      at: at.toISOString(),
    };
    return cloudEvent({
      source: CHECKOUT_EVENT_SOURCE,
      type: 'campus.checkout.student.check_out_failed.v1',
      subject: saga.id,
      time: at,
      data,
    });
  }
  return null;
}

export function batchCompleted(
  batch: Batch,
  counts: BatchCounts,
  at: Date,
): CloudEvent<Data<'campus.checkout.batch.completed.v1'>> {
  return cloudEvent({
    source: CHECKOUT_EVENT_SOURCE,
    type: 'campus.checkout.batch.completed.v1',
    subject: batch.id,
    time: at,
    data: {
      batchId: batch.id,
      requestedBy: batch.requestedBy,
      reason: batch.reason,
      total: counts.total,
      succeeded: counts.succeeded,
      failed: counts.failed,
      at: at.toISOString(),
    },
  });
}
