import type { z } from 'zod';
import { fromZodError } from './errors';

/**
 * Parses transport input against its schema: the parsed value, or VALIDATION_ERROR with one message
 * per field in details.fields (`message` is the error's own message).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, message = 'Invalid input'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, message);
  return result.data;
}
