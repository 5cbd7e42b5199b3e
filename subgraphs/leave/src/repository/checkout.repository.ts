import type pg from 'pg';
import { inTransaction } from '@campus/platform';
import type { RecordedEvent } from '../domain/leave-application';
import type { CheckoutRecord, CheckoutStore, CheckoutTransaction, Commit } from '../services/ports';
import { commitEvents } from './event-store.repository';
import { toRecordedEvent, type StoredEventRow } from './stored-events.mapper';

/**
 * The check-out saga's footprint in campus_leave: `checkout_withdrawals`, one row per check-out,
 * written in the same transaction as the events the call appends (through the event store's own
 * statement), so that the record and the withdrawals land together or not at all. Plain pg on one
 * pooled client, like the event store: the whole call is a single transaction.
 */
export class PrismaCheckoutWithdrawals implements CheckoutStore {
  constructor(private readonly pool: pg.Pool) {}

  async transaction<T>(checkoutId: string, work: (tx: CheckoutTransaction) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      // Serializes the calls of one check-out (a saga retrying while its first call still runs).
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`leave-checkout:${checkoutId}`]);
      return work(new PgCheckoutTransaction(client, checkoutId));
    });
  }
}

interface RecordRow {
  checkout_id: string;
  student_id: string | null;
  application_ids: string[] | null;
  withdrawn_at: Date | null;
  reinstated_at: Date | null;
  reinstated_ids: string[] | null;
}

class PgCheckoutTransaction implements CheckoutTransaction {
  constructor(
    private readonly client: pg.PoolClient,
    private readonly checkoutId: string,
  ) {}

  async record(): Promise<CheckoutRecord | null> {
    const { rows } = await this.client.query<RecordRow>(
      `SELECT checkout_id, student_id, application_ids::text[], withdrawn_at, reinstated_at, reinstated_ids::text[]
         FROM checkout_withdrawals WHERE checkout_id = $1::uuid`,
      [this.checkoutId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      checkoutId: row.checkout_id,
      studentId: row.student_id,
      withdrawnIds: row.application_ids ?? [],
      withdrawnAt: row.withdrawn_at,
      reinstatedAt: row.reinstated_at,
      reinstatedIds: row.reinstated_ids ?? [],
    };
  }

  async saveRecord(record: CheckoutRecord): Promise<void> {
    await this.client.query(
      `INSERT INTO checkout_withdrawals
         (checkout_id, student_id, application_ids, withdrawn_at, reinstated_at, reinstated_ids)
       VALUES ($1::uuid, $2::uuid, $3::uuid[], $4, $5, $6::uuid[])
       ON CONFLICT (checkout_id) DO UPDATE SET
         student_id = EXCLUDED.student_id, application_ids = EXCLUDED.application_ids,
         withdrawn_at = EXCLUDED.withdrawn_at, reinstated_at = EXCLUDED.reinstated_at,
         reinstated_ids = EXCLUDED.reinstated_ids`,
      [
        record.checkoutId,
        record.studentId,
        record.withdrawnIds,
        record.withdrawnAt,
        record.reinstatedAt,
        record.reinstatedIds,
      ],
    );
  }

  async pendingOf(studentId: string): Promise<string[]> {
    const { rows } = await this.client.query<{ id: string }>(
      `SELECT id FROM leave_applications_view
        WHERE applicant_id = $1::uuid AND status = 'PENDING' ORDER BY submitted_at, id`,
      [studentId],
    );
    return rows.map((r) => r.id);
  }

  async load(streamIds: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const streams = new Map<string, RecordedEvent[]>();
    if (streamIds.length === 0) return streams;
    const { rows } = await this.client.query<StoredEventRow>(
      `SELECT stream_id AS "streamId", version, type, data, actor_id AS "actorId",
              occurred_at AS "occurredAt", trace_id AS "traceId"
         FROM leave_events WHERE stream_id = ANY($1::uuid[]) ORDER BY stream_id, version`,
      [[...streamIds]],
    );
    for (const row of rows) {
      const stream = streams.get(row.streamId) ?? [];
      stream.push(toRecordedEvent(row));
      streams.set(row.streamId, stream);
    }
    return streams;
  }

  commit(commit: Commit): Promise<void> {
    return commitEvents(this.client, commit);
  }
}
