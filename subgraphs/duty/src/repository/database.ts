// The generated Prisma client of campus_duty (prisma/duty/schema.prisma) and its row types,
// re-exported so the rest of the service never reaches into generated/ directly.
export { PrismaClient, Prisma } from '../generated/prisma/client';
export type {
  PrismaClient as DutyDatabase,
  DutySchedule,
  DutyReport,
  ReportPhoto,
  Roster,
  Sanction,
  DutySwap,
  RoomCalendarFeed,
  UploadLink,
} from '../generated/prisma/client';
