// The generated Prisma client of campus_leave (prisma/leave/schema.prisma), re-exported so the
// rest of the service never reaches into generated/ directly.
export { PrismaClient, Prisma } from '../generated/prisma/client';
export type { PrismaClient as LeaveDatabase } from '../generated/prisma/client';
import type { Prisma } from '../generated/prisma/client';

export type LeaveTransaction = Prisma.TransactionClient;

/** A unique-constraint violation (P2002), as Prisma reports it through the pg driver adapter. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}
