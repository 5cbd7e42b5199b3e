// Swap requests in campus_duty (table duty_swaps) and the schedule changes an approval makes.
// Implements the SwapStore port: one transaction per step, with its outbox events; optimistic
// concurrency on the swap's and the schedules' `version`.
import { enqueueEvents, pageOf, type CloudEvent, type Page, type PageRequest } from '@campus/platform';
import type { DutySchedule, DutySwap, LocalDate, RoomRef } from '../domain/records';
import type { ScheduleRedating, StoredSwap, SwapListQuery, SwapStore, SwapWriteOutcome } from '../services/ports';
import { Prisma, type DutyDatabase, type DutySwap as DutySwapRow } from './database';
import { dateOnly, toDateColumn, toSchedule } from './schedule.mapper';

const OPEN: DutySwapRow['status'][] = ['requested', 'accepted'];

function toSwap(row: DutySwapRow): StoredSwap {
  return {
    id: row.id,
    building: row.building,
    entrance: row.entrance,
    fromScheduleId: row.fromScheduleId,
    toScheduleId: row.toScheduleId,
    fromRoomId: row.fromRoomId,
    toRoomId: row.toRoomId,
    fromDate: dateOnly(row.fromDate),
    toDate: dateOnly(row.toDate),
    status: row.status,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    respondedBy: row.respondedBy,
    respondedAt: row.respondedAt,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    reason: row.reason,
    version: row.version,
  };
}

/** The columns a step changes (everything else is fixed when the swap is asked). */
const stepData = (swap: DutySwap) => ({
  status: swap.status,
  respondedBy: swap.respondedBy,
  respondedAt: swap.respondedAt,
  decidedBy: swap.decidedBy,
  decidedAt: swap.decidedAt,
  reason: swap.reason,
  version: { increment: 1 },
});

function whereOf(query: SwapListQuery): Prisma.DutySwapWhereInput {
  const and: Prisma.DutySwapWhereInput[] = [];
  if (query.status !== undefined) and.push({ status: query.status });
  if (query.building !== undefined) and.push({ building: query.building });
  if (query.entrance !== undefined) and.push({ entrance: query.entrance });
  if (query.entrances) {
    and.push({ OR: query.entrances.map((e) => ({ building: e.building, entrance: e.entrance })) });
  }
  if (query.roomIds) {
    const roomIds = [...query.roomIds];
    and.push({ OR: [{ fromRoomId: { in: roomIds } }, { toRoomId: { in: roomIds } }] });
  }
  return { AND: and };
}

/** Newest first; the id breaks ties so pages are stable. */
const NEWEST_FIRST: Prisma.DutySwapOrderByWithRelationInput[] = [{ requestedAt: 'desc' }, { id: 'desc' }];

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

/** Thrown inside a transaction to roll it back with an outcome. */
class Abort extends Error {
  constructor(readonly outcome: 'conflict') {
    super(outcome);
  }
}

export class PrismaSwapStore implements SwapStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly prisma: DutyDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async findSwap(id: string): Promise<StoredSwap | null> {
    const row = await this.prisma.dutySwap.findUnique({ where: { id } });
    return row ? toSwap(row) : null;
  }

  async swapsOfSchedules(scheduleIds: readonly string[]): Promise<StoredSwap[]> {
    if (!scheduleIds.length) return [];
    const ids = [...scheduleIds];
    const rows = await this.prisma.dutySwap.findMany({
      where: { OR: [{ fromScheduleId: { in: ids } }, { toScheduleId: { in: ids } }] },
      orderBy: NEWEST_FIRST,
    });
    return rows.map(toSwap);
  }

  async listSwaps(query: SwapListQuery, page: PageRequest): Promise<Page<StoredSwap>> {
    const where = whereOf(query);
    const [rows, total] = await Promise.all([
      this.prisma.dutySwap.findMany({ where, orderBy: NEWEST_FIRST, skip: page.skip, take: page.take }),
      this.prisma.dutySwap.count({ where }),
    ]);
    return pageOf(rows.map(toSwap), total, page);
  }

  async schedulesByIds(ids: readonly string[]): Promise<DutySchedule[]> {
    if (!ids.length) return [];
    const rows = await this.prisma.dutySchedule.findMany({ where: { id: { in: [...new Set(ids)] } } });
    return rows.map(toSchedule);
  }

  async scheduleOfRoomOn(roomId: string, date: LocalDate): Promise<DutySchedule | null> {
    const row = await this.prisma.dutySchedule.findUnique({
      where: { roomId_dutyDate: { roomId, dutyDate: toDateColumn(date) } },
    });
    return row ? toSchedule(row) : null;
  }

  async roomIdsOf(room: Pick<RoomRef, 'building' | 'entrance' | 'number'>): Promise<string[]> {
    const rows = await this.prisma.dutySchedule.findMany({
      where: { building: room.building, entrance: room.entrance, roomNumber: room.number },
      distinct: ['roomId'],
      select: { roomId: true },
    });
    return rows.map((r) => r.roomId);
  }

  async insertSwap(swap: DutySwap, events: readonly CloudEvent[]): Promise<{ openSwapId: string } | null> {
    const scheduleIds = [swap.fromScheduleId, swap.toScheduleId].sort();
    const open = await this.prisma.$transaction(async (tx) => {
      // Locks both duties (in id order, so two requests never wait on each other crosswise):
      // requests touching one duty run one after another, and the check below sees the earlier one.
      await tx.$queryRaw`SELECT id FROM duty_schedules WHERE id IN (${Prisma.join(scheduleIds)}) ORDER BY id FOR UPDATE`;
      const existing = await tx.dutySwap.findFirst({
        where: {
          status: { in: OPEN },
          OR: [{ fromScheduleId: { in: scheduleIds } }, { toScheduleId: { in: scheduleIds } }],
        },
        select: { id: true },
      });
      if (existing) return { openSwapId: existing.id };
      await tx.dutySwap.create({
        data: {
          ...swap,
          fromDate: toDateColumn(swap.fromDate),
          toDate: toDateColumn(swap.toDate),
          version: 1,
        },
      });
      await enqueueEvents(tx, events);
      return null;
    });
    if (!open && events.length) this.onEventsCommitted();
    return open;
  }

  async updateSwap(swap: DutySwap, expectedVersion: number, events: readonly CloudEvent[]): Promise<SwapWriteOutcome> {
    try {
      await this.prisma.$transaction(async (tx) => {
        await this.writeStep(tx, swap, expectedVersion);
        await enqueueEvents(tx, events);
      });
    } catch (error) {
      if (error instanceof Abort) return error.outcome;
      throw error;
    }
    if (events.length) this.onEventsCommitted();
    return 'ok';
  }

  async approveSwap(
    swap: DutySwap,
    expectedVersion: number,
    schedules: readonly ScheduleRedating[],
    events: readonly CloudEvent[],
  ): Promise<SwapWriteOutcome | 'date_taken'> {
    try {
      await this.prisma.$transaction(async (tx) => {
        await this.writeStep(tx, swap, expectedVersion);
        for (const { schedule, expectedVersion: version } of schedules) {
          // The two rooms differ, so exchanging their dates never trips (room_id, duty_date) by
          // itself; a third duty of one room on its new date does (→ date_taken).
          const written = await tx.dutySchedule.updateMany({
            where: { id: schedule.id, version, status: 'pending' },
            data: {
              dutyDate: toDateColumn(schedule.dutyDate),
              deadlineAt: schedule.deadlineAt,
              eveningReminderAt: schedule.eveningReminderAt,
              morningReminderAt: schedule.morningReminderAt,
              eveningRemindedAt: schedule.eveningRemindedAt,
              morningRemindedAt: schedule.morningRemindedAt,
              version: { increment: 1 },
            },
          });
          if (written.count !== 1) throw new Abort('conflict');
        }
        await enqueueEvents(tx, events);
      });
    } catch (error) {
      if (error instanceof Abort) return error.outcome;
      if (isUniqueViolation(error)) return 'date_taken';
      throw error;
    }
    if (events.length) this.onEventsCommitted();
    return 'ok';
  }

  private async writeStep(tx: Prisma.TransactionClient, swap: DutySwap, expectedVersion: number): Promise<void> {
    const written = await tx.dutySwap.updateMany({
      where: { id: swap.id, version: expectedVersion },
      data: stepData(swap),
    });
    if (written.count !== 1) throw new Abort('conflict');
  }
}
