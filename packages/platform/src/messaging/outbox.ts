import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';
import type { AmqpBroker } from './broker';
import type { CloudEvent } from './cloudevents';
import { contextOfTraceparent, messagingTracer, traceHeaders } from './tracing';

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
  await tx.$executeRawUnsafe(outboxInsert('$1'), outboxParameter(events));
}

/** The value of the parameter `outboxInsert` reads: the events as one JSON array, in publication order. */
export function outboxParameter(events: readonly CloudEvent[]): string {
  return JSON.stringify(
    events.map((event) => ({ id: event.id, type: event.type, payload: event, traceparent: event.traceparent ?? null })),
  );
}

/**
 * An INSERT of the events in parameter `param` (built by `outboxParameter`) into the outbox, keeping
 * their order (it becomes `seq`). Usable alone or as one CTE of a bigger statement, so a service can
 * write its state change and its events in a single round trip.
 */
export function outboxInsert(param: string): string {
  return `INSERT INTO outbox (id, type, payload, traceparent)
    SELECT (o.value->>'id')::uuid, o.value->>'type', o.value->'payload', o.value->>'traceparent'
      FROM jsonb_array_elements(${param}::jsonb) WITH ORDINALITY AS o(value, n) ORDER BY o.n`;
}

export interface OutboxRelayOptions {
  pool: pg.Pool;
  broker: AmqpBroker;
  logger: Logger;
  metrics?: Metrics;
  batchSize?: number;
  /** Poll interval while there is nothing to publish. */
  idleIntervalMs?: number;
  /**
   * How long a wake-up (`notify`) or a partial batch waits before the next drain, so rows committed
   * meanwhile go in the same batch: under load one claim/mark transaction then carries many events
   * instead of one per commit. Default 10 ms (the latency it adds to publishing).
   */
  batchWindowMs?: number;
  /** Upper bound of the back-off while the broker is unreachable. */
  maxBackoffMs?: number;
}

// The relay's statements run several times a second per process: named, so each connection parses
// and plans them once (prepared statements) instead of on every call.
const DUE_SQL = 'SELECT 1 FROM outbox WHERE published_at IS NULL AND next_attempt_at <= now() LIMIT 1';
const CLAIM_SQL = `SELECT id, type, payload, traceparent, created_at FROM outbox
  WHERE published_at IS NULL AND next_attempt_at <= now()
  ORDER BY seq
  LIMIT $1
  FOR UPDATE SKIP LOCKED`;
const PUBLISHED_SQL = 'UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])';

interface OutboxRow {
  id: string;
  type: string;
  payload: CloudEvent;
  traceparent: string | null;
  created_at: Date;
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
  private wakeScheduled = false;
  private failures = 0;
  private readonly published;
  private readonly publishFailures;

  constructor(private readonly options: OutboxRelayOptions) {
    const { metrics, pool } = options;
    this.published = metrics?.counter('campus_outbox_published_total', 'Outbox events published');
    this.publishFailures = metrics?.counter(
      'campus_outbox_publish_failures_total',
      'Outbox publish attempts that failed',
    );
    metrics?.gauge('campus_outbox_backlog', 'Outbox events not yet published', [], async (gauge) => {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE published_at IS NULL');
      gauge.set(Number(rows[0]?.n ?? 0));
    });
    metrics?.gauge(
      'campus_outbox_oldest_unsent_age_seconds',
      'Age of the oldest unpublished outbox event',
      [],
      async (gauge) => {
        const { rows } = await pool.query<{ age: string | null }>(
          'SELECT EXTRACT(EPOCH FROM now() - min(created_at)) AS age FROM outbox WHERE published_at IS NULL',
        );
        gauge.set(Number(rows[0]?.age ?? 0));
      },
    );
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks the relay to look for new rows soon (called after a transaction that enqueued events). */
  notify(): void {
    if (this.wakeScheduled || !this.wakeUp) return; // a drain is coming anyway
    this.wakeScheduled = true;
    setTimeout(() => {
      this.wakeScheduled = false;
      this.wakeUp?.();
    }, this.options.batchWindowMs ?? 10).unref();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const idle = this.options.idleIntervalMs ?? 250;
    const maxBackoff = this.options.maxBackoffMs ?? 5_000;
    let idlePoll = false;
    while (this.running) {
      let delay = idle;
      try {
        // A poll on the timer after an empty drain first asks whether anything is due, in one
        // statement outside a transaction: idle, every replica of every service polls several times
        // a second, and the claim's connect/BEGIN/SELECT FOR UPDATE/COMMIT is four round trips.
        const count = idlePoll && !(await this.anythingDue()) ? 0 : await this.drainOnce();
        this.failures = 0;
        if (count >= (this.options.batchSize ?? 100)) continue; // a full batch: more is waiting
        if (count > 0) delay = this.options.batchWindowMs ?? 10; // let the next few commits join one batch
      } catch (error) {
        this.failures++;
        delay = Math.min(maxBackoff, idle * 2 ** this.failures);
        this.options.logger.warn({ err: error, retryInMs: delay }, 'outbox relay could not publish; will retry');
      }
      idlePoll = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(delay === idle && this.failures === 0), delay);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve(false);
        };
      });
      this.wakeUp = undefined;
    }
  }

  /** Whether an unpublished row is due (index on published_at, next_attempt_at, seq). */
  private async anythingDue(): Promise<boolean> {
    const { rowCount } = await this.options.pool.query({ name: 'outbox.due', text: DUE_SQL });
    return (rowCount ?? 0) > 0;
  }

  /**
   * Publishes one row in an `outbox relay` span, resolving when the broker confirmed it.
   *
   * Parent, not link: the span's parent is the context the row was written in (its stored
   * traceparent, i.e. the request or message that committed the change). Each row is published on
   * its own, so that write is its one cause, and as a child the publish — and through the message
   * headers every consumer after it — stays in the trace of the user's action: one trace id from
   * the request to the last push, which is what an operator follows. It also inherits the
   * request's sampling decision, so a sampled story is sampled to the end and an unsampled one
   * costs nothing here. The wait between commit and publish shows as the gap before this span
   * (and as `campus.outbox.waited_ms`). A link would suit a span covering many rows of different
   * requests; that is why the batch's own bookkeeping (SELECT … FOR UPDATE, UPDATE published_at)
   * belongs to no trace. A row written outside any trace starts a new one here.
   */
  private publish(row: OutboxRow): Promise<void> {
    const { broker } = this.options;
    return messagingTracer.startActiveSpan(
      'outbox relay',
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation': 'publish',
          'messaging.destination.name': broker.exchange,
          'messaging.rabbitmq.destination.routing_key': row.type,
          'messaging.message.id': row.id,
          'cloudevents.event_type': row.type,
          'campus.outbox.waited_ms': Math.max(0, Date.now() - new Date(row.created_at).getTime()),
        },
      },
      contextOfTraceparent(row.traceparent),
      async (span) => {
        try {
          await broker.publish(row.type, Buffer.from(JSON.stringify(row.payload)), {
            messageId: row.id,
            type: row.type,
            contentType: 'application/cloudevents+json',
            timestamp: Math.floor(new Date(row.payload.time).getTime() / 1000),
            // This span's context, so consumers are its children (the amqplib instrumentation, when
            // loaded, puts its own publish span, a child of this one, in its place). The stored
            // value stands in when no propagator is registered (tracing not started).
            headers: { ...(row.traceparent ? { traceparent: row.traceparent } : {}), ...traceHeaders() },
          });
        } catch (error) {
          span.recordException(error instanceof Error ? error : new Error(String(error)));
          span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error)?.message ?? error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  /** Publishes one batch; returns how many rows were published. Throws when the broker fails. */
  async drainOnce(): Promise<number> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>({
        name: 'outbox.claim',
        text: CLAIM_SQL,
        values: [this.options.batchSize ?? 100],
      });
      // The whole batch is published at once and the confirms awaited together (a channel keeps
      // the order), instead of one round trip to the broker per row while the rows stay locked.
      const outcomes = await Promise.allSettled(rows.map((row) => this.publish(row)));
      const sent = rows.filter((_, i) => outcomes[i]!.status === 'fulfilled').map((row) => row.id);
      const refused = rows.filter((_, i) => outcomes[i]!.status === 'rejected');
      const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')?.reason as unknown;
      if (refused.length) this.publishFailures?.inc(refused.length);
      // Broker unreachable: leave the rows as they are (order is kept) and back off globally.
      // Broker up but messages refused: delay only those rows.
      if (refused.length && this.options.broker.connected) {
        await client.query(
          `UPDATE outbox SET attempts = attempts + 1, last_error = $2,
                  next_attempt_at = now() + make_interval(secs => LEAST(30, power(2, attempts)))
            WHERE id = ANY($1::uuid[])`,
          [refused.map((row) => row.id), String((failure as Error)?.message ?? failure).slice(0, 500)],
        );
      }
      if (sent.length) await client.query({ name: 'outbox.published', text: PUBLISHED_SQL, values: [sent] });
      await client.query('COMMIT');
      this.published?.inc(sent.length);
      if (refused.length) throw failure;
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
