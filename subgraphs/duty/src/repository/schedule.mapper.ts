import type { DutySchedule } from '../domain/records';
import type { DutySchedule as DutyScheduleRow } from './database';

/** A `@db.Date` column as YYYY-MM-DD (Prisma reads it as midnight UTC). */
export const dateOnly = (value: Date): string => value.toISOString().slice(0, 10);
/** YYYY-MM-DD for a `@db.Date` column. */
export const toDateColumn = (date: string): Date => new Date(`${date}T00:00:00.000Z`);

export function toSchedule(row: DutyScheduleRow): DutySchedule {
  return {
    id: row.id,
    rosterId: row.rosterId,
    room: {
      roomId: row.roomId,
      building: row.building,
      entrance: row.entrance,
      floor: row.floor,
      number: row.roomNumber,
    },
    dutyDate: dateOnly(row.dutyDate),
    month: row.month,
    status: row.status,
    deadlineAt: row.deadlineAt,
    eveningReminderAt: row.eveningReminderAt,
    morningReminderAt: row.morningReminderAt,
    eveningRemindedAt: row.eveningRemindedAt,
    morningRemindedAt: row.morningRemindedAt,
    overdueAt: row.overdueAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
