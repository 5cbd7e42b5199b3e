import type { z } from 'zod';
import { fromZodError, validationError } from './errors';

/**
 * Text no service stores: NUL (PostgreSQL refuses it in text columns) and a lone UTF-16 surrogate
 * (not encodable as UTF-8). Refused at the edge of every service, so it never reaches a query.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const UNSAFE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired UTF-16 surrogates';

export const isUnsafeText = (text: string): boolean => text.includes('\u0000') || LONE_SURROGATE.test(text);

/** The dotted paths of every string (or object key) in `value` that contains unsafe text. */
export function unsafeTextPaths(value: unknown, path: readonly (string | number)[] = []): string[] {
  const here = () => path.join('.') || '_';
  if (typeof value === 'string') return isUnsafeText(value) ? [here()] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unsafeTextPaths(item, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      isUnsafeText(key) ? [here()] : unsafeTextPaths(item, [...path, key]),
    );
  }
  return [];
}

/** VALIDATION_ERROR naming each path with unsafe text in details.fields, or nothing when all is clean. */
export function unsafeTextError(value: unknown, message = 'Invalid input') {
  const paths = unsafeTextPaths(value);
  if (!paths.length) return undefined;
  return validationError(message, { fields: Object.fromEntries(paths.map((p) => [p, UNSAFE_TEXT_MESSAGE])) });
}

/**
 * Parses transport input against its schema: the parsed value, or VALIDATION_ERROR with one message
 * per field in details.fields (`message` is the error's own message). Unsafe text (see above) is
 * refused before the schema runs, whatever the schema says.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, message = 'Invalid input'): z.output<S> {
  const unsafe = unsafeTextError(value, message);
  if (unsafe) throw unsafe;
  const result = schema.safeParse(value);
  if (!result.success) throw fromZodError(result.error, message);
  return result.data;
}
