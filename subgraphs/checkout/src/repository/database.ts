// The generated Prisma client of campus_checkout (prisma/checkout/schema.prisma) and its row types,
// re-exported so the rest of the service never reaches into generated/ directly.
export { PrismaClient, Prisma } from '../generated/prisma/client';
export type { PrismaClient as CheckoutDatabase } from '../generated/prisma/client';
