// The generated Prisma client of campus_patrol (prisma/patrol/schema.prisma), re-exported so the
// rest of the service never reaches into generated/ directly.
export { PrismaClient, Prisma } from '../generated/prisma/client';
export type { PrismaClient as PatrolDatabase } from '../generated/prisma/client';
