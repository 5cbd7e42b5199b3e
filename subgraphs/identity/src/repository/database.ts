// The generated client of the identity database (prisma/identity/schema.prisma); the only file that
// imports generated/.
import { createHash } from 'node:crypto';
import type { DatabasePool } from '@campus/platform';
import { Prisma, PrismaClient } from '../generated/prisma/client';

export { Prisma, PrismaClient };
export type { DatabasePool };

/** The client, or the client of an interactive transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** A unique constraint was violated (Prisma P2002). */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

// Any 8-4-4-4-12 hex string, as the uuid column type accepts it; anything else cannot match a row
// and would make PostgreSQL fail the whole query ("invalid input syntax for type uuid").
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const onlyUuids = (ids: readonly string[]): string[] => [...new Set(ids.filter((id) => UUID.test(id)))];

/**
 * Runs a statement built with `Prisma.sql` on the pool itself (plain pg), past Prisma's query
 * pipeline: the hot multi-row reads (lists, residents, the campus layout) cost 3–10× less CPU this
 * way than through `$queryRaw`/`findMany` (docs/performance.md, "Identity: listing users"). pg's own
 * type parsing applies: select `date` columns as numbers or text (pg would read them in local time).
 * `name` prepares the statement once per connection: one name, one text (a fixed name for a fixed
 * text, shapeName for a text built from a filter).
 */
export async function sqlRows<T extends object>(pool: DatabasePool, query: Prisma.Sql, name?: string): Promise<T[]> {
  const result = await pool.query<T & Record<string, unknown>>({ text: query.text, values: query.values, name });
  return result.rows;
}

/**
 * A statement name for a text that varies with the shape of a request (which filter fields it
 * gives): each shape is prepared once per connection, so PostgreSQL parses and plans it once (the
 * pools run with plan_cache_mode = force_generic_plan) — 0.3–0.7 ms less per listing. The shapes
 * are few: one per combination of filter fields, whatever their values.
 */
export const shapeName = (prefix: string, query: Prisma.Sql): string =>
  `${prefix}.${createHash('sha1').update(query.text).digest('base64url').slice(0, 20)}`;
