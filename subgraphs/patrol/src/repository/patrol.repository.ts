// Data access for patrols. Implements the service's PatrolStore port; every change to a patrol
// runs in one transaction with its row locked, and its events go into the outbox in that same
// transaction. The paths the evening roll-call repeats (the start, the lookup by evening, and every
// change under the patrol's lock: marks above all) are plain, named SQL on the pool; the staff's
// lists read through the generated Prisma client.
import {
  columnsAsFields,
  inTransaction,
  outboxInsert,
  outboxParameter,
  type CloudEvent,
  type DatabaseClient,
  type DatabasePool,
} from '@campus/platform';
import type { EntryMark, EntryRecord, PatrolFilter, PatrolRecord } from '../domain/patrol';
import type { PatrolStore, PatrolUnitOfWork } from '../services/ports';
import { Prisma, type PatrolDatabase } from './database';

type PatrolRow = Prisma.PatrolGetPayload<object>;
type EntryRow = Prisma.PatrolEntryGetPayload<object>;

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

function whereOf(filter: PatrolFilter): Prisma.PatrolWhereInput {
  return {
    ...(filter.date !== undefined ? { date: dateColumn(filter.date) } : {}),
    ...(filter.building !== undefined ? { building: filter.building } : {}),
    ...(filter.entrance !== undefined ? { entrance: filter.entrance } : {}),
    ...(filter.status !== undefined ? { status: filter.status } : {}),
  };
}

/** Prisma's P2002, or PostgreSQL's 23505 from a statement sent on the pool. */
const isUniqueViolation = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'P2002' || code === '23505';
};

/** A patrols row in PatrolRecord's shape (the date as YYYY-MM-DD). */
const PATROL_COLUMNS = `id, date::text AS date, building, entrance, status::text AS status, evening_at AS "eveningAt",
  started_by AS "startedBy", started_at AS "startedAt", completed_by AS "completedBy", completed_at AS "completedAt"`;

/** The patrol of one evening and entrance (the unique key). */
const BY_KEY_SQL = `SELECT ${PATROL_COLUMNS} FROM patrols WHERE date = $1::date AND building = $2 AND entrance = $3::int`;

/** A patrol_entries row in the Prisma model's shape (toEntry reads it). */
const ENTRY_COLUMNS = columnsAsFields(Prisma.PatrolEntryScalarFieldEnum);

/** The statements of the changes made under a patrol's lock (LockedPatrol), named: prepared once per connection. */
const LOCKED = {
  lock: { name: 'patrol.lock', text: `SELECT ${PATROL_COLUMNS} FROM patrols WHERE id = $1::uuid FOR UPDATE` },
  entries: { name: 'patrol.entries', text: `SELECT ${ENTRY_COLUMNS} FROM patrol_entries WHERE patrol_id = $1::uuid` },
  mark: {
    name: 'patrol.mark',
    text: `UPDATE patrol_entries
              SET status = $3::"PatrolEntryStatus", reason = $4, checked_by = $5::uuid, checked_at = $6::timestamptz
            WHERE id = $1::uuid AND patrol_id = $2::uuid
        RETURNING ${ENTRY_COLUMNS}`,
  },
  add: {
    name: 'patrol.add-entry',
    text: `INSERT INTO patrol_entries (id, patrol_id, student_id, full_name, room, status, reason, leave_application_id,
                                      leave_reason, added_manually, checked_by, checked_at)
           VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5, $6::"PatrolEntryStatus", $7, $8::uuid, $9, $10::boolean,
                   $11::uuid, $12::timestamptz)
        RETURNING ${ENTRY_COLUMNS}`,
  },
  complete: {
    name: 'patrol.complete',
    text: `UPDATE patrols SET status = 'completed', completed_by = $2::uuid, completed_at = $3::timestamptz
            WHERE id = $1::uuid RETURNING ${PATROL_COLUMNS}`,
  },
  delete: { name: 'patrol.delete', text: `DELETE FROM patrols WHERE id = $1::uuid` },
  enqueue: { name: 'patrol.enqueue', text: outboxInsert('$1') },
};

/** One entry by id (read before its patrol is locked). */
const ENTRY_BY_ID = { name: 'patrol.entry', text: `SELECT ${ENTRY_COLUMNS} FROM patrol_entries WHERE id = $1::uuid` };

/**
 * A start's whole write as one statement, hence one transaction: the patrol, its entries (a JSON
 * array of snake_case rows) and its outbox rows. Through Prisma this was an interactive
 * transaction of five round trips plus a createMany whose cost grows with every entry; here it is
 * one round trip. A concurrent start of the same evening waits on the unique (date, building,
 * entrance) and fails with 23505 once the first commits; nothing of it is written.
 */
const START_SQL = `
WITH patrol AS (
  INSERT INTO patrols (id, date, building, entrance, status, evening_at, started_by, started_at, completed_by, completed_at)
  VALUES ($1::uuid, $2::date, $3, $4::int, $5::"PatrolStatus", $6::timestamptz, $7::uuid, $8::timestamptz,
          $9::uuid, $10::timestamptz)
), entries AS (
  INSERT INTO patrol_entries (id, patrol_id, student_id, full_name, room, status, reason, leave_application_id,
                              leave_reason, added_manually, checked_by, checked_at)
  SELECT e.id, $1::uuid, e.student_id, e.full_name, e.room, e.status, e.reason, e.leave_application_id,
         e.leave_reason, e.added_manually, e.checked_by, e.checked_at
    FROM jsonb_populate_recordset(NULL::patrol_entries, $11::jsonb) AS e
), published AS (${outboxInsert('$12')})
SELECT 1`;

type PatrolSqlRow = Omit<PatrolRecord, 'status'> & { status: string };

const fromPatrolSql = (row: PatrolSqlRow): PatrolRecord => ({ ...row, status: row.status as PatrolRecord['status'] });

const entryColumns = (entry: EntryRecord) => ({
  id: entry.id,
  student_id: entry.studentId,
  full_name: entry.fullName,
  room: entry.room,
  status: entry.status,
  reason: entry.reason,
  leave_application_id: entry.leaveApplicationId,
  leave_reason: entry.leaveReason,
  added_manually: entry.addedManually,
  checked_by: entry.checkedBy,
  checked_at: entry.checkedAt,
});

export class PrismaPatrolStore implements PatrolStore {
  /**
   * @param pool the pool under `prisma`, for the start's plain SQL.
   * @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay).
   */
  constructor(
    private readonly prisma: PatrolDatabase,
    private readonly pool: DatabasePool,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async findPatrols(ids: readonly string[]): Promise<PatrolRecord[]> {
    if (!ids.length) return [];
    const rows = await this.prisma.patrol.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toPatrol);
  }

  async findPatrolByKey(date: string, building: string, entrance: number): Promise<PatrolRecord | null> {
    // Named: each connection prepares it once. Runs before every start, so not through Prisma.
    const { rows } = await this.pool.query<PatrolSqlRow>({
      name: 'patrol.by_key',
      text: BY_KEY_SQL,
      values: [date, building, entrance],
    });
    const row = rows[0];
    return row ? fromPatrolSql(row) : null;
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
    const { rows } = await this.pool.query<EntryRow>({ ...ENTRY_BY_ID, values: [id] });
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async createPatrol(
    patrol: PatrolRecord,
    entries: readonly EntryRecord[],
    events: readonly CloudEvent[],
  ): Promise<'created' | 'duplicate'> {
    try {
      await this.pool.query({
        name: 'patrol.start',
        text: START_SQL,
        values: [
          patrol.id,
          patrol.date,
          patrol.building,
          patrol.entrance,
          patrol.status,
          patrol.eveningAt,
          patrol.startedBy,
          patrol.startedAt,
          patrol.completedBy,
          patrol.completedAt,
          JSON.stringify(entries.map(entryColumns)),
          outboxParameter(events),
        ],
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'duplicate';
      throw error;
    }
    if (events.length) this.onEventsCommitted();
    return 'created';
  }

  /**
   * One transaction on a connection of the pool: the patrol's row locked (serialising every change
   * to one patrol: marks, additions, completion, deletion), the work and its events. Through
   * Prisma's interactive transactions each mark cost ~40 % of patrol's CPU.
   */
  async withLockedPatrol<T>(patrolId: string, work: (uow: PatrolUnitOfWork) => Promise<T>): Promise<T> {
    let enqueued = false;
    const result = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<PatrolSqlRow>({ ...LOCKED.lock, values: [patrolId] });
      const uow = new LockedPatrol(client, rows[0] ? fromPatrolSql(rows[0]) : null, () => {
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
    private readonly client: DatabaseClient,
    readonly patrol: PatrolRecord | null,
    private readonly onEnqueue: () => void,
  ) {}

  private get id(): string {
    if (!this.patrol) throw new Error('no patrol is locked');
    return this.patrol.id;
  }

  async entries(): Promise<EntryRecord[]> {
    const { rows } = await this.client.query<EntryRow>({ ...LOCKED.entries, values: [this.id] });
    return rows.map(toEntry);
  }

  async markEntry(entryId: string, mark: EntryMark): Promise<EntryRecord> {
    const { rows } = await this.client.query<EntryRow>({
      ...LOCKED.mark,
      values: [entryId, this.id, mark.status, mark.reason, mark.checkedBy, mark.checkedAt],
    });
    if (!rows[0]) throw new Error(`entry ${entryId} is not in patrol ${this.id}`);
    return toEntry(rows[0]);
  }

  async addEntry(entry: EntryRecord): Promise<EntryRecord> {
    const { rows } = await this.client.query<EntryRow>({
      ...LOCKED.add,
      values: [
        entry.id,
        this.id,
        entry.studentId,
        entry.fullName,
        entry.room,
        entry.status,
        entry.reason,
        entry.leaveApplicationId,
        entry.leaveReason,
        entry.addedManually,
        entry.checkedBy,
        entry.checkedAt,
      ],
    });
    return toEntry(rows[0]!);
  }

  async complete(by: string, at: Date): Promise<PatrolRecord> {
    const { rows } = await this.client.query<PatrolSqlRow>({ ...LOCKED.complete, values: [this.id, by, at] });
    return fromPatrolSql(rows[0]!);
  }

  async delete(): Promise<void> {
    await this.client.query({ ...LOCKED.delete, values: [this.id] });
  }

  async enqueue(events: readonly CloudEvent[]): Promise<void> {
    if (!events.length) return;
    await this.client.query({ ...LOCKED.enqueue, values: [outboxParameter(events)] });
    this.onEnqueue();
  }
}
