// The generated Prisma client of campus_leave (prisma/leave/schema.prisma) and its row types,
// re-exported so the rest of the service never reaches into generated/ directly.
export { PrismaClient, Prisma } from '../generated/prisma/client';
export type {
  PrismaClient as LeaveDatabase,
  LeaveApplicationView as ApplicationRow,
  LeaveDocumentView as DocumentRow,
  LeaveEvent as EventRow,
} from '../generated/prisma/client';

/** A unique-constraint violation: P2002 from Prisma, SQLSTATE 23505 from plain pg. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'P2002' || code === '23505';
}
