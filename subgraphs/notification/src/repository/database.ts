// The generated Prisma client of campus_notification (prisma/notification/schema.prisma),
// re-exported so the rest of the service never reaches into generated/ directly.
export { PrismaClient } from '../generated/prisma/client';
export type { Notification, Prisma } from '../generated/prisma/client';
