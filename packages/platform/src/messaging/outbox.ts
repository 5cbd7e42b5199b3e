import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';
import type { AmqpBroker } from './broker';
import type { CloudEvent } from './cloudevents';

/**
 * Transactional outbox. A service writes its events with `enqueueEvents(tx, …)` inside the same
 * database transaction as the state change; `OutboxRelay` publishes them afterwards. Every service
 * database has the same `outbox` table (see the Prisma model `OutboxEvent` in each schema).
 */

/** The part of a Prisma (transaction) client the outbox needs. */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

export async function enqueueEvents(tx: SqlExecutor, events: readonly CloudEvent[]): Promise<void> {
  if (!events.length) return;
  const values: unknown[] = [];
  const rows = events.map((event, i) => {
    values.push(event.id, event.type, JSON.stringify(event), event.traceparent ?? null);
    const p = i * 4;
    return `($${p + 1}::uuid, $${p + 2}, $${p + 3}::jsonb, $${p + 4})`;
  });
  await tx.$executeRawUnsafe(`INSERT INTO outbox (id, type, payload, traceparent) VALUES ${rows.join(', ')}`, ...values);
}

export interface OutboxRelayOptions {
  pool: pg.Pool;
  broker: AmqpBroker;
  logger: Logger;
  metrics?: Metrics;
  batchSize?: number;
  /** Poll interval while there is nothing to publish. */
  idleIntervalMs?: number;
  /** Upper bound of the back-off while the broker is unreachable. */
  maxBackoffMs?: number;
}

interface OutboxRow {
  id: string;
  type: string;
  payload: CloudEvent;
  traceparent: string | null;
}

/**
 * Publishes unsent outbox rows with publisher confirms, then marks them sent. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so any number of replicas can relay concurrently without publishing a row
 * twice; a crash between publish and commit re-publishes (at-least-once; consumers are idempotent).
 */
export class OutboxRelay {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private failures = 0;
  private readonly published;
  private readonly publishFailures;

  constructor(private readonly options: OutboxRelayOptions) {
    const { metrics, pool } = options;
    this.published = metrics?.counter('campus_outbox_published_total', 'Outbox events published');
    this.publishFailures = metrics?.counter('campus_outbox_publish_failures_total', 'Outbox publish attempts that failed');
    metrics?.gauge('campus_outbox_backlog', 'Outbox events not yet published', [], async (gauge) => {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
      gauge.set(Number(rows[0]?.n ?? 0));
    });
    metrics?.gauge('campus_outbox_oldest_unsent_age_seconds', 'Age of the oldest unpublished outbox event', [], async (gauge) => {
      const { rows } = await pool.query<{ age: string | null }>(
        'SELECT EXTRACT(EPOCH FROM now() - min(created_at)) AS age FROM outbox WHERE published_at IS NULL',
      );
      gauge.set(Number(rows[0]?.age ?? 0));
    });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks the relay to look for new rows now (called after a transaction that enqueued events). */
  notify(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const idle = this.options.idleIntervalMs ?? 250;
    const maxBackoff = this.options.maxBackoffMs ?? 5_000;
    while (this.running) {
      let delay = idle;
      try {
        const count = await this.drainOnce();
        this.failures = 0;
        if (count > 0) continue; // more may be waiting
      } catch (error) {
        this.failures++;
        delay = Math.min(maxBackoff, idle * 2 ** this.failures);
        this.options.logger.warn({ err: error, retryInMs: delay }, 'outbox relay could not publish; will retry');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  /** Publishes one batch; returns how many rows were published. Throws when the broker fails. */
  async drainOnce(): Promise<number> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, type, payload, traceparent FROM outbox
          WHERE published_at IS NULL AND next_attempt_at <= now()
          ORDER BY seq
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize ?? 100],
      );
      const sent: string[] = [];
      let failure: unknown;
      for (const row of rows) {
        try {
          // Publish inside the producing request's trace: the amqplib instrumentation replaces the
          // traceparent header with its publish span's context, which must belong to that trace.
          const producer = row.traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent: row.traceparent }) : ROOT_CONTEXT;
          await context.with(producer, () =>
            this.options.broker.publish(row.type, Buffer.from(JSON.stringify(row.payload)), {
              messageId: row.id,
              type: row.type,
              contentType: 'application/cloudevents+json',
              timestamp: Math.floor(new Date(row.payload.time).getTime() / 1000),
              headers: row.traceparent ? { traceparent: row.traceparent } : {},
            }),
          );
          sent.push(row.id);
        } catch (error) {
          failure = error;
          this.publishFailures?.inc();
          // Broker unreachable: leave the row as it is (order is kept) and back off globally.
          // Broker up but this message refused: delay only this row.
          if (!this.options.broker.connected) break;
          await client.query(
            `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
                    next_attempt_at = now() + make_interval(secs => LEAST(30, power(2, attempts)))
              WHERE id = $1`,
            [row.id, String((error as Error)?.message ?? error).slice(0, 500)],
          );
          break; // the broker is most likely down; the rest waits for the next round
        }
      }
      if (sent.length) await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [sent]);
      await client.query('COMMIT');
      this.published?.inc(sent.length);
      if (failure) throw failure;
      return sent.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** The outbox table every service schema declares (kept here so the relay's SQL and it agree). */
export const OUTBOX_PRISMA_MODEL = `
model OutboxEvent {
  id            String    @id @db.Uuid
  /// Publication order: insertion order, also within one transaction (created_at ties there).
  seq           BigInt    @unique @default(autoincrement())
  type          String
  payload       Json
  traceparent   String?
  createdAt     DateTime  @default(now()) @map("created_at") @db.Timestamptz(3)
  publishedAt   DateTime? @map("published_at") @db.Timestamptz(3)
  attempts      Int       @default(0)
  nextAttemptAt DateTime  @default(now()) @map("next_attempt_at") @db.Timestamptz(3)
  lastError     String?   @map("last_error")

  @@index([publishedAt, nextAttemptAt, seq])
  @@map("outbox")
}
`;
