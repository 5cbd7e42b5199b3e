// The generated client of the identity database (prisma/identity/schema.prisma); the only file that
// imports generated/.
import { Prisma, PrismaClient } from '../generated/prisma/client';

export { Prisma, PrismaClient };

/** The client, or the client of an interactive transaction. */
export type Db = PrismaClient | Prisma.TransactionClient;

/** A unique constraint was violated (Prisma P2002). */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

// Any 8-4-4-4-12 hex string, as the uuid column type accepts it; anything else cannot match a row
// and would make PostgreSQL fail the whole query ("invalid input syntax for type uuid").
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const onlyUuids = (ids: readonly string[]): string[] => [...new Set(ids.filter((id) => UUID.test(id)))];
