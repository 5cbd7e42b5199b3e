import { z } from 'zod';
import { DOCUMENT_KINDS } from '../domain/documents';
import type { LeaveEvent, RecordedEvent } from '../domain/leave-application';
import type { EventRow, Prisma } from './database';

/**
 * Event rows ↔ domain events. Stored data is parsed, not trusted: a row that does not match its
 * type's shape is a bug (or a missing upcaster) and must fail loudly rather than fold silently.
 */
const residence = z
  .object({ building: z.string(), entrance: z.number().int(), floor: z.number().int(), room: z.string() })
  .nullable();

const storedEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('SUBMITTED'),
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
    data: z.object({
      documentId: z.string(),
      kind: z.enum(DOCUMENT_KINDS),
      contentType: z.string(),
      sizeBytes: z.number().int(),
      durationSeconds: z.number().nullable(),
      storageKey: z.string(),
    }),
  }),
  z.object({ type: z.literal('DOCUMENT_REMOVED'), data: z.object({ documentId: z.string() }) }),
  z.object({ type: z.literal('APPROVED'), data: z.object({ comment: z.string().nullable() }) }),
  z.object({ type: z.literal('REJECTED'), data: z.object({ reason: z.string() }) }),
  z.object({ type: z.literal('WITHDRAWN'), data: z.object({}).transform((): Record<string, never> => ({})) }),
]);

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const event: LeaveEvent = storedEvent.parse({ type: row.type, data: row.data });
  return {
    ...event,
    streamId: row.streamId,
    version: row.version,
    actorId: row.actorId,
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
