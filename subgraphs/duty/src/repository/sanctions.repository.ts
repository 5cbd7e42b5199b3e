import { enqueueEvents, pageOf, type Page, type PageRequest } from '@campus/platform';
import type { SanctionDraft } from '../domain/deadline';
import type { Sanction, SanctionStatus } from '../domain/records';
import type { SanctionListQuery, SanctionResolution, SanctionStore } from '../services/ports';
import type { Prisma, Sanction as SanctionRow, DutyDatabase } from './database';
import { dateOnly, toDateColumn } from './schedule.mapper';

/** Newest first; the id breaks ties so that pages never overlap. */
const NEWEST_FIRST = [{ createdAt: 'desc' }, { id: 'desc' }] satisfies Prisma.SanctionOrderByWithRelationInput[];

export function toSanction(row: SanctionRow): Sanction {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    userId: row.userId,
    room: {
      roomId: row.roomId,
      building: row.building,
      entrance: row.entrance,
      floor: row.floor,
      number: row.roomNumber,
    },
    dutyDate: dateOnly(row.dutyDate),
    invitedAt: row.invitedAt,
    status: row.status,
    createdAt: row.createdAt,
    resolvedBy: row.resolvedBy,
    resolvedAt: row.resolvedAt,
    resolutionNote: row.resolutionNote,
  };
}

/** A new open sanction's row; created_at is the sweep's instant (the invitation's, not the database's). */
export function toSanctionRow(draft: SanctionDraft, createdAt: Date): Prisma.SanctionCreateManyInput {
  return {
    id: draft.id,
    scheduleId: draft.scheduleId,
    userId: draft.userId,
    roomId: draft.room.roomId,
    building: draft.room.building,
    entrance: draft.room.entrance,
    floor: draft.room.floor,
    roomNumber: draft.room.number,
    dutyDate: toDateColumn(draft.dutyDate),
    invitedAt: draft.invitedAt,
    createdAt,
  };
}

function whereOf(query: SanctionListQuery): Prisma.SanctionWhereInput {
  return {
    ...(query.status ? { status: query.status } : {}),
    ...(query.building !== undefined ? { building: query.building } : {}),
    ...(query.entrance !== undefined ? { entrance: query.entrance } : {}),
    ...(query.userId !== undefined ? { userId: query.userId } : {}),
    ...(query.entrances ? { OR: query.entrances.map((e) => ({ building: e.building, entrance: e.entrance })) } : {}),
  };
}

export class PrismaSanctionStore implements SanctionStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: DutyDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async findSanction(id: string): Promise<Sanction | null> {
    const row = await this.db.sanction.findUnique({ where: { id } });
    return row ? toSanction(row) : null;
  }

  async sanctionsByIds(ids: readonly string[]): Promise<Sanction[]> {
    if (!ids.length) return [];
    const rows = await this.db.sanction.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toSanction);
  }

  async listSanctions(query: SanctionListQuery, page: PageRequest): Promise<Page<Sanction>> {
    // An educator_head without (matching) assigned entrances sees nothing.
    if (query.entrances && !query.entrances.length) return pageOf([], 0, page);
    const where = whereOf(query);
    const [rows, total] = await this.db.$transaction([
      this.db.sanction.findMany({ where, orderBy: NEWEST_FIRST, skip: page.skip, take: page.take }),
      this.db.sanction.count({ where }),
    ]);
    return pageOf(rows.map(toSanction), total, page);
  }

  async sanctionsOfSchedules(scheduleIds: readonly string[]): Promise<Sanction[]> {
    if (!scheduleIds.length) return [];
    const rows = await this.db.sanction.findMany({
      where: { scheduleId: { in: [...scheduleIds] } },
      orderBy: NEWEST_FIRST,
    });
    return rows.map(toSanction);
  }

  async sanctionsOfUsers(userIds: readonly string[], status?: SanctionStatus): Promise<Sanction[]> {
    if (!userIds.length) return [];
    const rows = await this.db.sanction.findMany({
      where: { userId: { in: [...userIds] }, ...(status ? { status } : {}) },
      orderBy: NEWEST_FIRST,
    });
    return rows.map(toSanction);
  }

  async resolveSanction(resolution: SanctionResolution): Promise<Sanction | null> {
    const resolved = await this.db.$transaction(async (tx) => {
      // Only an open sanction is resolved: of two educators at once, the second gets null.
      const [row] = await tx.sanction.updateManyAndReturn({
        where: { id: resolution.sanctionId, status: 'open' },
        data: {
          status: 'resolved',
          resolvedBy: resolution.resolvedBy,
          resolvedAt: resolution.at,
          resolutionNote: resolution.note,
        },
      });
      if (!row) return null;
      const sanction = toSanction(row);
      await enqueueEvents(tx, resolution.events(sanction));
      return sanction;
    });
    if (resolved) this.onEventsCommitted();
    return resolved;
  }
}
