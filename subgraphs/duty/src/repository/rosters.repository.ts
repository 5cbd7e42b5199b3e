// Rosters in campus_duty: a roster, its schedules and its outbox events are written in one
// transaction; a second roster for the same entrance and month is refused by the unique key.
import { enqueueEvents, type CloudEvent } from '@campus/platform';
import type { DutySchedule, LocalDate, Month, Roster } from '../domain/records';
import type { RosterStore } from '../services/ports';
import { Prisma, type DutyDatabase, type Roster as RosterRow } from './database';
import { dateOnly, toDateColumn } from './schedule.mapper';

const toRoster = (row: RosterRow): Roster => ({
  id: row.id,
  building: row.building,
  entrance: row.entrance,
  month: row.month,
  generatedBy: row.generatedBy,
  generatedAt: row.generatedAt,
});

/** A new schedule's row (its reminder marks and status as the domain record has them). */
export const scheduleData = (s: DutySchedule): Prisma.DutyScheduleCreateManyInput => ({
  id: s.id,
  rosterId: s.rosterId,
  roomId: s.room.roomId,
  building: s.room.building,
  entrance: s.room.entrance,
  floor: s.room.floor,
  roomNumber: s.room.number,
  dutyDate: toDateColumn(s.dutyDate),
  month: s.month,
  status: s.status,
  deadlineAt: s.deadlineAt,
  eveningReminderAt: s.eveningReminderAt,
  morningReminderAt: s.morningReminderAt,
  eveningRemindedAt: s.eveningRemindedAt,
  morningRemindedAt: s.morningRemindedAt,
  overdueAt: s.overdueAt,
  version: s.version,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export class PrismaRosters implements RosterStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: DutyDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async findRoster(building: string, entrance: number, month: Month): Promise<Roster | null> {
    const row = await this.db.roster.findUnique({ where: { building_entrance_month: { building, entrance, month } } });
    return row ? toRoster(row) : null;
  }

  async rostersByIds(ids: readonly string[]): Promise<Roster[]> {
    if (!ids.length) return [];
    return (await this.db.roster.findMany({ where: { id: { in: [...ids] } } })).map(toRoster);
  }

  async lastDutyDates(roomIds: readonly string[], before: LocalDate): Promise<Map<string, LocalDate>> {
    if (!roomIds.length) return new Map();
    // One index range per room on (room_id, duty_date).
    const rows = await this.db.dutySchedule.groupBy({
      by: ['roomId'],
      where: { roomId: { in: [...roomIds] }, dutyDate: { lt: toDateColumn(before) } },
      _max: { dutyDate: true },
    });
    return new Map(rows.flatMap((r) => (r._max.dutyDate ? [[r.roomId, dateOnly(r._max.dutyDate)] as const] : [])));
  }

  async createRoster(
    roster: Roster,
    schedules: readonly DutySchedule[],
    events: readonly CloudEvent[],
  ): Promise<'created' | 'duplicate'> {
    try {
      await this.db.$transaction(async (tx) => {
        await tx.roster.create({ data: roster });
        if (schedules.length) await tx.dutySchedule.createMany({ data: schedules.map(scheduleData) });
        await enqueueEvents(tx, events);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate';
      throw error;
    }
    if (events.length) this.onEventsCommitted();
    return 'created';
  }
}
