// Inputs of the notification API (GraphQL, gRPC, the stream endpoint), validated in one place.
import { fromZodError } from '@campus/platform';
import { z } from 'zod';

export const MAX_IDS_PER_CALL = 100;

export const userIdSchema = z.uuid({ message: 'must be a UUID' });

export const listArgsSchema = z.object({
  unreadOnly: z.boolean().nullish(),
  // Range checks (page ≥ 1, 1 ≤ size ≤ 100) are platform pageRequest's.
  page: z.number().int().nullish(),
  size: z.number().int().nullish(),
});
export type ListArgs = z.infer<typeof listArgsSchema>;

export const markReadArgsSchema = z.object({
  ids: z.array(z.uuid({ message: 'must be a UUID' })).min(1, 'give at least one id').max(MAX_IDS_PER_CALL, `at most ${MAX_IDS_PER_CALL} ids per call`),
});
export type MarkReadArgs = z.infer<typeof markReadArgsSchema>;

/** 32 random bytes, base64url. */
export const streamTicketSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a stream ticket');

/** SSE Last-Event-ID: the id of the last notification the client received. */
export const lastEventIdSchema = z.uuid();

/** Parses `value` or throws VALIDATION_ERROR naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, message = 'Invalid input'): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, message);
  return result.data;
}
