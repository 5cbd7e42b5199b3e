import { z } from 'zod';
import { DOCUMENT_KINDS } from '../domain/documents';
import type { RecordedEvent } from '../domain/leave-application';
import type { EventRow, Prisma } from './database';

/**
 * Event rows ↔ domain events. Stored data is parsed, not trusted: a row that does not match its
 * type's shape is a bug (or a missing upcaster) and must fail loudly rather than fold silently.
 */
const residence = z
  .object({ building: z.string(), entrance: z.number().int(), floor: z.number().int(), room: z.string() })
  .nullable();

/** A user's event names its actor; only the system's check-out events may not. */
const userActor = z.string();
const systemActor = z.string().nullable();

const storedEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('SUBMITTED'),
    actorId: userActor,
    data: z.object({
      applicantId: z.string(),
      leaveAt: z.string(),
      returnAt: z.string(),
      reason: z.string(),
      contactPhone: z.string(),
      isMinor: z.boolean(),
      residence,
    }),
  }),
  z.object({
    type: z.literal('DOCUMENT_ATTACHED'),
    actorId: userActor,
    data: z.object({
      documentId: z.string(),
      kind: z.enum(DOCUMENT_KINDS),
      contentType: z.string(),
      sizeBytes: z.number().int(),
      durationSeconds: z.number().nullable(),
      storageKey: z.string(),
    }),
  }),
  z.object({ type: z.literal('DOCUMENT_REMOVED'), actorId: userActor, data: z.object({ documentId: z.string() }) }),
  z.object({ type: z.literal('APPROVED'), actorId: userActor, data: z.object({ comment: z.string().nullable() }) }),
  z.object({ type: z.literal('REJECTED'), actorId: userActor, data: z.object({ reason: z.string() }) }),
  // An applicant's withdrawal stores {}; a check-out's names the check-out (and has no actor).
  z.object({
    type: z.literal('WITHDRAWN'),
    actorId: systemActor,
    data: z.object({ checkoutId: z.string().optional() }),
  }),
  z.object({ type: z.literal('REINSTATED'), actorId: systemActor, data: z.object({ checkoutId: z.string() }) }),
]);

/** An event row as read (the global position is not part of the domain event). */
export type StoredEventRow = Omit<EventRow, 'position'>;

export function toRecordedEvent(row: StoredEventRow): RecordedEvent {
  const event = storedEvent.parse({ type: row.type, actorId: row.actorId, data: row.data });
  return {
    ...event,
    streamId: row.streamId,
    version: row.version,
    occurredAt: row.occurredAt,
    traceId: row.traceId,
  };
}

export function toEventRow(event: RecordedEvent): Prisma.LeaveEventCreateManyInput {
  return {
    streamId: event.streamId,
    version: event.version,
    type: event.type,
    data: event.data as Prisma.InputJsonObject,
    actorId: event.actorId,
    occurredAt: event.occurredAt,
    traceId: event.traceId,
  };
}
