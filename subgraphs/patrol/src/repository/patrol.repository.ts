// Data access for patrols through the generated Prisma client. Implements the service's
// PatrolStore port; every change to a patrol runs in one transaction with its row locked, and its
// events go into the outbox in that same transaction.
import { enqueueEvents, type CloudEvent } from '@campus/platform';
import type { EntryMark, EntryRecord, PatrolFilter, PatrolRecord } from '../domain/patrol';
import type { PatrolStore, PatrolUnitOfWork } from '../services/ports';
import { Prisma, type PatrolDatabase } from './database';

type PatrolRow = Prisma.PatrolGetPayload<object>;
type EntryRow = Prisma.PatrolEntryGetPayload<object>;
type Tx = Prisma.TransactionClient;

/** DATE columns come back as UTC midnight. */
const dateColumn = (date: string): Date => new Date(`${date}T00:00:00.000Z`);
const dateString = (value: Date): string => value.toISOString().slice(0, 10);

function toPatrol(row: PatrolRow): PatrolRecord {
  return {
    id: row.id,
    date: dateString(row.date),
    building: row.building,
    entrance: row.entrance,
    status: row.status,
    eveningAt: row.eveningAt,
    startedBy: row.startedBy,
    startedAt: row.startedAt,
    completedBy: row.completedBy,
    completedAt: row.completedAt,
  };
}

function toEntry(row: EntryRow): EntryRecord {
  return {
    id: row.id,
    patrolId: row.patrolId,
    studentId: row.studentId,
    fullName: row.fullName,
    room: row.room,
    status: row.status,
    reason: row.reason,
    leaveApplicationId: row.leaveApplicationId,
    leaveReason: row.leaveReason,
    addedManually: row.addedManually,
    checkedBy: row.checkedBy,
    checkedAt: row.checkedAt,
  };
}

const entryData = (entry: EntryRecord): Prisma.PatrolEntryCreateManyInput => ({ ...entry });

function whereOf(filter: PatrolFilter): Prisma.PatrolWhereInput {
  return {
    ...(filter.date !== undefined ? { date: dateColumn(filter.date) } : {}),
    ...(filter.building !== undefined ? { building: filter.building } : {}),
    ...(filter.entrance !== undefined ? { entrance: filter.entrance } : {}),
    ...(filter.status !== undefined ? { status: filter.status } : {}),
  };
}

const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export class PrismaPatrolStore implements PatrolStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly prisma: PatrolDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async findPatrols(ids: readonly string[]): Promise<PatrolRecord[]> {
    if (!ids.length) return [];
    const rows = await this.prisma.patrol.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toPatrol);
  }

  async findPatrolByKey(date: string, building: string, entrance: number): Promise<PatrolRecord | null> {
    const row = await this.prisma.patrol.findUnique({
      where: { date_building_entrance: { date: dateColumn(date), building, entrance } },
    });
    return row ? toPatrol(row) : null;
  }

  async listPatrols(
    filter: PatrolFilter,
    skip: number,
    take: number,
  ): Promise<{ items: PatrolRecord[]; total: number }> {
    const where = whereOf(filter);
    const [rows, total] = await Promise.all([
      this.prisma.patrol.findMany({
        where,
        orderBy: [{ date: 'desc' }, { building: 'asc' }, { entrance: 'asc' }],
        skip,
        take,
      }),
      this.prisma.patrol.count({ where }),
    ]);
    return { items: rows.map(toPatrol), total };
  }

  async entriesOf(patrolIds: readonly string[]): Promise<EntryRecord[]> {
    if (!patrolIds.length) return [];
    const rows = await this.prisma.patrolEntry.findMany({ where: { patrolId: { in: [...patrolIds] } } });
    return rows.map(toEntry);
  }

  async findEntry(id: string): Promise<EntryRecord | null> {
    const row = await this.prisma.patrolEntry.findUnique({ where: { id } });
    return row ? toEntry(row) : null;
  }

  async createPatrol(
    patrol: PatrolRecord,
    entries: readonly EntryRecord[],
    events: readonly CloudEvent[],
  ): Promise<'created' | 'duplicate'> {
    try {
      await this.prisma.$transaction(async (tx) => {
        await tx.patrol.create({ data: { ...patrol, date: dateColumn(patrol.date) } });
        if (entries.length) await tx.patrolEntry.createMany({ data: entries.map(entryData) });
        await enqueueEvents(tx, events);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate';
      throw error;
    }
    if (events.length) this.onEventsCommitted();
    return 'created';
  }

  async withLockedPatrol<T>(patrolId: string, work: (uow: PatrolUnitOfWork) => Promise<T>): Promise<T> {
    let enqueued = false;
    const result = await this.prisma.$transaction(async (tx) => {
      // Serialises every change to one patrol (marks, additions, completion, deletion).
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM patrols WHERE id = ${patrolId}::uuid FOR UPDATE`;
      const row = locked.length ? await tx.patrol.findUnique({ where: { id: patrolId } }) : null;
      const uow = new LockedPatrol(tx, row ? toPatrol(row) : null, () => {
        enqueued = true;
      });
      return work(uow);
    });
    if (enqueued) this.onEventsCommitted();
    return result;
  }
}

class LockedPatrol implements PatrolUnitOfWork {
  constructor(
    private readonly tx: Tx,
    readonly patrol: PatrolRecord | null,
    private readonly onEnqueue: () => void,
  ) {}

  private get id(): string {
    if (!this.patrol) throw new Error('no patrol is locked');
    return this.patrol.id;
  }

  async entries(): Promise<EntryRecord[]> {
    const rows = await this.tx.patrolEntry.findMany({ where: { patrolId: this.id } });
    return rows.map(toEntry);
  }

  async markEntry(entryId: string, mark: EntryMark): Promise<EntryRecord> {
    const row = await this.tx.patrolEntry.update({ where: { id: entryId, patrolId: this.id }, data: mark });
    return toEntry(row);
  }

  async addEntry(entry: EntryRecord): Promise<EntryRecord> {
    const row = await this.tx.patrolEntry.create({ data: { ...entry, patrolId: this.id } });
    return toEntry(row);
  }

  async complete(by: string, at: Date): Promise<PatrolRecord> {
    const row = await this.tx.patrol.update({
      where: { id: this.id },
      data: { status: 'completed', completedBy: by, completedAt: at },
    });
    return toPatrol(row);
  }

  async delete(): Promise<void> {
    await this.tx.patrol.delete({ where: { id: this.id } });
  }

  async enqueue(events: readonly CloudEvent[]): Promise<void> {
    await enqueueEvents(this.tx, events);
    if (events.length) this.onEnqueue();
  }
}
