// Inputs of the notification API (GraphQL, gRPC, the stream endpoint), validated in one place: the
// transports parse with these (platform parseInput) and hand the services parsed values.
import { z } from 'zod';
import { streamTicketInvalid } from '../domain/errors';
import type { NotificationQuery } from '../domain/notification';

export const MAX_IDS_PER_CALL = 100;

export const userIdSchema = z.uuid({ message: 'must be a UUID' });

export const listArgsSchema = z.object({
  unreadOnly: z.boolean().nullish(),
  // Range checks (page ≥ 1, 1 ≤ size ≤ 100) are platform pageRequest's.
  page: z.number().int().nullish(),
  size: z.number().int().nullish(),
}) satisfies z.ZodType<NotificationQuery>;

export const markReadArgsSchema = z.object({
  ids: z
    .array(z.uuid({ message: 'must be a UUID' }))
    .min(1, 'give at least one id')
    .max(MAX_IDS_PER_CALL, `at most ${MAX_IDS_PER_CALL} ids per call`),
});

/** 32 random bytes, base64url (platform secureToken). */
export const streamTicketSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a stream ticket');

/** SSE Last-Event-ID: the id of the last notification the client received. */
export const lastEventIdSchema = z.uuid();

/**
 * A ?ticket= value that can be a stream ticket, or STREAM_TICKET_INVALID at once: a string of the
 * wrong shape was never issued, so it needs no lookup (and gets the same answer as a used one).
 */
export function parseStreamTicket(value: string): string {
  if (!streamTicketSchema.safeParse(value).success) throw streamTicketInvalid();
  return value;
}

/** Last-Event-ID if it can name a notification; anything else only means there is nothing to catch up. */
export function parseLastEventId(value: string | undefined): string | undefined {
  return value !== undefined && lastEventIdSchema.safeParse(value).success ? value : undefined;
}
