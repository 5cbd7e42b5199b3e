// Duty schedules in campus_duty: reads by id, roster, entrance month and room (each on an index of
// schema.prisma), and moving a duty: a conditional update on version and status, with its events.
import { columnsAsFields, enqueueEvents, type CloudEvent, type DatabasePool } from '@campus/platform';
import type { DutySchedule, LocalDate, Month } from '../domain/records';
import type { DutyMove, DutyMoveOutcome, ScheduleStore } from '../services/ports';
import { Prisma, type DutyDatabase, type DutySchedule as DutyScheduleRow } from './database';
import { isUniqueViolation } from './rosters.repository';
import { toDateColumn, toSchedule } from './schedule.mapper';

const BY_DATE = [{ dutyDate: 'asc' as const }, { floor: 'asc' as const }, { roomNumber: 'asc' as const }];

const { dutyDate: _dutyDate, ...OTHER_FIELDS } = Prisma.DutyScheduleScalarFieldEnum;
/**
 * A schedule row in the shape Prisma reads it: the `date` column as midnight UTC (node-postgres
 * would read it as local midnight), the others under their field names.
 */
const SCHEDULE_COLUMNS = `${columnsAsFields(OTHER_FIELDS)}, (duty_date::timestamp AT TIME ZONE 'UTC') AS "dutyDate"`;

/** An entrance's month in BY_DATE order, on the (building, entrance, month, duty_date) index. */
const ENTRANCE_MONTH_SQL = `
  SELECT ${SCHEDULE_COLUMNS} FROM duty_schedules
   WHERE building = $1::text AND entrance = $2::int AND month = $3::text
   ORDER BY duty_date, floor, room_number`;

export class PrismaSchedules implements ScheduleStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: DutyDatabase,
    /** The pool under `db`: the calendar's month is named, plain SQL on it. */
    private readonly pool: DatabasePool,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async schedulesByIds(ids: readonly string[]): Promise<DutySchedule[]> {
    if (!ids.length) return [];
    return (await this.db.dutySchedule.findMany({ where: { id: { in: [...ids] } } })).map(toSchedule);
  }

  async schedulesOfRosters(rosterIds: readonly string[]): Promise<DutySchedule[]> {
    if (!rosterIds.length) return [];
    const rows = await this.db.dutySchedule.findMany({ where: { rosterId: { in: [...rosterIds] } }, orderBy: BY_DATE });
    return rows.map(toSchedule);
  }

  /**
   * Every duty calendar asks for it: Prisma compiled it anew and built its rows (a month of every
   * room) at ~22 % of duty's CPU under the bench, so it is plain SQL, prepared once per connection.
   */
  async entranceMonth(building: string, entrance: number, month: Month): Promise<DutySchedule[]> {
    const { rows } = await this.pool.query<DutyScheduleRow>({
      name: 'duty.entrance-month',
      text: ENTRANCE_MONTH_SQL,
      values: [building, entrance, month],
    });
    return rows.map(toSchedule);
  }

  async schedulesOfRooms(roomIds: readonly string[], from: LocalDate, to: LocalDate): Promise<DutySchedule[]> {
    if (!roomIds.length) return [];
    const rows = await this.db.dutySchedule.findMany({
      where: { roomId: { in: [...roomIds] }, dutyDate: { gte: toDateColumn(from), lte: toDateColumn(to) } },
      orderBy: BY_DATE,
    });
    return rows.map(toSchedule);
  }

  async moveSchedule(move: DutyMove, events: readonly CloudEvent[]): Promise<DutyMoveOutcome> {
    let outcome: DutyMoveOutcome;
    try {
      outcome = await this.db.$transaction(async (tx) => {
        const { count } = await tx.dutySchedule.updateMany({
          where: { id: move.scheduleId, version: move.expectedVersion, status: 'pending' },
          data: {
            dutyDate: toDateColumn(move.dutyDate),
            deadlineAt: move.moments.deadlineAt,
            eveningReminderAt: move.moments.eveningReminderAt,
            morningReminderAt: move.moments.morningReminderAt,
            eveningRemindedAt: move.eveningRemindedAt,
            morningRemindedAt: move.morningRemindedAt,
            version: { increment: 1 },
            updatedAt: move.at,
          },
        });
        if (count === 0) return 'conflict' as const;
        const row = await tx.dutySchedule.findUniqueOrThrow({ where: { id: move.scheduleId } });
        await enqueueEvents(tx, events);
        return { moved: toSchedule(row) };
      });
    } catch (error) {
      // (room_id, duty_date) is unique: the room got a duty on that date meanwhile.
      if (isUniqueViolation(error)) return 'date_taken';
      throw error;
    }
    if (outcome !== 'conflict' && events.length) this.onEventsCommitted();
    return outcome;
  }
}
