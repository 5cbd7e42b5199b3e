import type pg from 'pg';
import type { Logger } from 'pino';
import type { SqlExecutor } from './outbox';

/**
 * Idempotent consumption. A consumer records every event id it has processed in an `inbox` table
 * (primary key (consumer, event_id)) in the SAME transaction as the event's effect. A redelivered
 * or duplicated event finds its row and changes nothing; two copies processed at the same moment
 * serialize on the primary key (the second insert waits for the first transaction, then skips).
 */

/**
 * An INSERT claiming the event in parameters `consumerParam` and `eventParam`: it returns the
 * `event_id` when claimed and no row for a duplicate. Usable as one CTE of a bigger statement
 * (like `outboxInsert`), so a consumer writes its effect and its inbox row in one round trip: make
 * the effect's rows depend on it (`… FROM claimed …`) and a duplicate writes nothing.
 */
export function inboxClaim(consumerParam: string, eventParam: string): string {
  return `INSERT INTO inbox (consumer, event_id) VALUES (${consumerParam}, ${eventParam})
    ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id`;
}

const INBOX_HAS = 'SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2';

/** Records (consumer, eventId) inside `tx`; false when it was already recorded (a duplicate). */
export async function claimInboxEntry(tx: SqlExecutor, consumer: string, eventId: string): Promise<boolean> {
  const inserted = await tx.$executeRawUnsafe(
    'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT (consumer, event_id) DO NOTHING',
    consumer,
    eventId,
  );
  return inserted === 1;
}

/** The part of a Prisma client `withInbox` needs: interactive transactions. */
export interface TransactionRunner<Tx extends SqlExecutor> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R>;
}

export type InboxOutcome<R> = { duplicate: true } | { duplicate: false; result: R };

/**
 * Runs `effect` and records the event in one transaction, unless the event was processed before.
 * Throwing from `effect` rolls both back, so a retry starts clean.
 */
export async function withInbox<Tx extends SqlExecutor, R>(
  db: TransactionRunner<Tx>,
  consumer: string,
  eventId: string,
  effect: (tx: Tx) => Promise<R>,
): Promise<InboxOutcome<R>> {
  return db.$transaction(async (tx): Promise<InboxOutcome<R>> => {
    if (!(await claimInboxEntry(tx, consumer, eventId))) return { duplicate: true };
    return { duplicate: false, result: await effect(tx) };
  });
}

/** The part of a Prisma client a read-only inbox lookup needs. */
export interface SqlQuerier {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/**
 * Whether an event was already processed: a cheap early exit before expensive work (remote calls)
 * for a redelivery. Only `withInbox` is authoritative.
 */
export async function inboxHas(db: SqlQuerier, consumer: string, eventId: string): Promise<boolean> {
  const rows = await db.$queryRawUnsafe<unknown[]>(INBOX_HAS, consumer, eventId);
  return rows.length > 0;
}

/** `inboxHas` on a plain pool (for consumers that write with `inboxClaim`). */
export async function inboxHasOnPool(pool: pg.Pool, consumer: string, eventId: string): Promise<boolean> {
  const { rowCount } = await pool.query({ name: 'inbox.has', text: INBOX_HAS, values: [consumer, eventId] });
  return (rowCount ?? 0) > 0;
}

/** The inbox table every consuming service schema declares (kept here so the SQL above and it agree). */
export const INBOX_PRISMA_MODEL = `
model InboxEntry {
  consumer    String
  eventId     String   @map("event_id")
  processedAt DateTime @default(now()) @map("processed_at") @db.Timestamptz(3)

  @@id([consumer, eventId])
  @@index([processedAt])
  @@map("inbox")
}
`;

export interface InboxPrunerOptions {
  db: SqlExecutor;
  logger: Logger;
  /** Rows older than this are deleted. Duplicates arrive within minutes (relay retries, redelivery). */
  retentionMs?: number;
  intervalMs?: number;
  batchSize?: number;
}

/**
 * Keeps the inbox from growing forever: periodically deletes entries older than the retention, in
 * small batches (no long lock). A parked message replayed later was never processed, so it has no
 * entry to lose; only a duplicate arriving after the retention could be processed twice.
 */
export class InboxPruner {
  private timer: NodeJS.Timeout | undefined;
  private readonly retentionMs: number;
  private readonly batchSize: number;

  constructor(private readonly options: InboxPrunerOptions) {
    this.retentionMs = options.retentionMs ?? 30 * 24 * 3_600_000;
    this.batchSize = options.batchSize ?? 5_000;
  }

  start(): void {
    const run = () => {
      this.pruneOnce().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'inbox pruning failed; retrying later'),
      );
    };
    this.timer = setInterval(run, this.options.intervalMs ?? 3_600_000);
    this.timer.unref();
    setImmediate(run);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Deletes what is older than the retention; returns how many rows went. */
  async pruneOnce(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionMs);
    let total = 0;
    for (;;) {
      const deleted = await this.options.db.$executeRawUnsafe(
        'DELETE FROM inbox WHERE ctid IN (SELECT ctid FROM inbox WHERE processed_at < $1 LIMIT $2)',
        cutoff,
        this.batchSize,
      );
      total += deleted;
      if (deleted < this.batchSize) break;
    }
    if (total > 0) this.options.logger.info({ deleted: total, cutoff }, 'inbox pruned');
    return total;
  }
}
