import type pg from 'pg';
import { columnsAsFields, outboxInsert, outboxParameter } from '@campus/platform';
import { concurrentModification } from '../domain/errors';
import type { RecordedEvent } from '../domain/leave-application';
import type { Commit, EventStore } from '../services/ports';
import { isUniqueViolation, Prisma } from './database';
import { toApplicationRow, toDocumentRows } from './projection.mapper';
import { toEventRow, toRecordedEvent, type StoredEventRow } from './stored-events.mapper';

/** camelCase field (the Prisma input shape, shared with the rebuild) → the table's snake_case column. */
const snakeCase = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const snakeCased = (row: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(row).map(([field, value]) => [snakeCase(field), value]));

/** The read model's columns besides `id`, refreshed when a stream's row already exists. */
const VIEW_COLUMNS = Object.values(Prisma.LeaveApplicationViewScalarFieldEnum)
  .filter((field) => field !== 'id')
  .map(snakeCase);

/** A stream's events in order, every column but the global position under its Prisma field name. */
const LOAD_STREAM_SQL = `
  SELECT ${columnsAsFields(
    Object.fromEntries(Object.entries(Prisma.LeaveEventScalarFieldEnum).filter(([field]) => field !== 'position')),
  )}
    FROM leave_events WHERE stream_id = $1 ORDER BY version`;

/**
 * A command's whole write as one statement: the new events, the read model row, the documents that
 * are attached now (others removed) and the outbox rows. One statement is one transaction, so all of
 * it lands or none; it also holds a pool connection for a single round trip instead of the six an
 * interactive transaction needs, which is what lets the write path keep up under load.
 */
const COMMIT_SQL = `
WITH appended AS (
  INSERT INTO leave_events (stream_id, version, type, data, actor_id, occurred_at, trace_id)
  SELECT (e.value->>'streamId')::uuid, (e.value->>'version')::int, e.value->>'type', e.value->'data',
         (e.value->>'actorId')::uuid, (e.value->>'occurredAt')::timestamptz, e.value->>'traceId'
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, n) ORDER BY e.n
), viewed AS (
  INSERT INTO leave_applications_view SELECT * FROM jsonb_populate_record(NULL::leave_applications_view, $2::jsonb)
  ON CONFLICT (id) DO UPDATE SET ${VIEW_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}
), detached AS (
  DELETE FROM leave_documents_view WHERE application_id = ($2::jsonb->>'id')::uuid AND id <> ALL($3::uuid[])
), attached AS (
  INSERT INTO leave_documents_view SELECT * FROM jsonb_populate_recordset(NULL::leave_documents_view, $4::jsonb)
  ON CONFLICT (id) DO NOTHING
), published AS (${outboxInsert('$5')})
SELECT 1`;

/**
 * Writes one command's outcome with COMMIT_SQL on `db`: the pool (one statement, its own
 * transaction) or a client inside a bigger transaction (a check-out's call). CONFLICT (rule
 * optimistic_concurrency) when another command appended to the stream first.
 */
export async function commitEvents(db: pg.Pool | pg.ClientBase, commit: Commit): Promise<void> {
  const documents = toDocumentRows(commit.state);
  try {
    // Named: every connection parses and plans this statement once, not on each command.
    await db.query({
      name: 'leave.commit',
      text: COMMIT_SQL,
      values: [
        JSON.stringify(commit.events.map(toEventRow)),
        JSON.stringify(snakeCased(toApplicationRow(commit.state))),
        documents.map((d) => d.id),
        JSON.stringify(documents.map(snakeCased)),
        outboxParameter(commit.integrationEvents),
      ],
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw concurrentModification(commit.streamId, commit.expectedVersion);
    throw error;
  }
}

/**
 * The append-only event store in `leave_events`. Optimistic concurrency comes from the unique
 * (stream_id, version): two commands decided on the same version both try to insert version + 1,
 * and the database lets exactly one of them commit.
 */
export class PrismaEventStore implements EventStore {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Plain SQL on the pool, prepared once per connection: Prisma's compiled findMany was ~30 % of
   * leave's CPU under decisions (every command loads its stream first).
   */
  async load(streamId: string): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<StoredEventRow>({
      name: 'leave.load-stream',
      text: LOAD_STREAM_SQL,
      values: [streamId],
    });
    return rows.map(toRecordedEvent);
  }

  /** Events, read model and outbox rows in one statement: all of them or none. */
  commit(commit: Commit): Promise<void> {
    return commitEvents(this.pool, commit);
  }
}
