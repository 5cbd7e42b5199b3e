import { enqueueEvents, pageOf, type Page, type PageRequest } from '@campus/platform';
import { alreadyRunning } from '../domain/errors';
import { ACTIVE_SAGA_STATUSES, type Batch, type BatchCounts, type Saga, type SagaStatus } from '../domain/records';
import type { BatchFilter, CheckoutQueriesStore, NewBatch, SagaSave, SagaStore } from '../services/ports';
import type { CheckoutDatabase, Prisma } from './database';
import { sagaChanges, toBatch, toSaga } from './saga.mapper';

type Tx = Prisma.TransactionClient;

const emptyCounts = (total: number): BatchCounts => ({ total, succeeded: 0, failed: 0, inProgress: 0 });

function addCount(counts: BatchCounts, status: SagaStatus, n: number): void {
  if (status === 'succeeded') counts.succeeded += n;
  else if (status === 'failed') counts.failed += n;
  else counts.inProgress += n;
}

async function countsOf(db: Tx | CheckoutDatabase, batches: readonly Pick<Batch, 'id' | 'total'>[]) {
  const result = new Map(batches.map((b) => [b.id, emptyCounts(b.total)]));
  if (!batches.length) return result;
  const groups = await db.checkoutSaga.groupBy({
    by: ['batchId', 'status'],
    where: { batchId: { in: batches.map((b) => b.id) } },
    _count: { _all: true },
  });
  for (const g of groups) {
    const counts = result.get(g.batchId);
    if (counts) addCount(counts, g.status, g._count._all);
  }
  return result;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The saga state in campus_checkout: batches, sagas (claimed with leases), the step log, the outbox. */
export class PrismaSagaStore implements SagaStore, CheckoutQueriesStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: CheckoutDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  /**
   * One transaction: the batch, then its sagas in one INSERT … ON CONFLICT DO NOTHING, in student id
   * order. The partial unique index `checkout_sagas_one_active_per_student` (one saga running or
   * compensating per student) is what makes it race-free: a student with a saga in progress, also
   * one another batch is inserting right now (the insert waits for that transaction), gets no row.
   * Those students refuse the request or are left out of it (`whenRunning`); the same order in
   * every batch keeps two overlapping batches from deadlocking.
   */
  async createBatch(request: NewBatch): Promise<Batch> {
    const { batch, whenRunning } = request;
    const sagas = [...request.sagas].sort((a, b) => byString(a.studentId, b.studentId));
    const stored = await this.db.$transaction(async (tx) => {
      await tx.checkoutBatch.create({
        data: {
          id: batch.id,
          requestedBy: batch.requestedBy,
          reason: batch.reason,
          cohort: (batch.cohort ?? undefined) as Prisma.InputJsonValue | undefined,
          total: sagas.length,
          createdAt: batch.createdAt,
        },
      });
      const started = await tx.checkoutSaga.createManyAndReturn({
        data: sagas.map((saga) => ({
          id: saga.id,
          batchId: saga.batchId,
          studentId: saga.studentId,
          studentName: saga.studentName,
          room: (saga.room ?? undefined) as Prisma.InputJsonValue | undefined,
          requestedBy: saga.requestedBy,
          reason: saga.reason,
          createdAt: saga.createdAt,
          ...sagaChanges(saga),
        })),
        skipDuplicates: true,
        select: { studentId: true },
      });
      const startedIds = new Set(started.map((r) => r.studentId));
      const running = sagas.map((s) => s.studentId).filter((id) => !startedIds.has(id));
      // Throwing rolls the batch back: nothing was started.
      if (running.length && (whenRunning === 'refuse' || !startedIds.size)) throw alreadyRunning(running, whenRunning);
      const result: Batch = { ...batch, total: startedIds.size, skippedRunning: running };
      if (running.length)
        await tx.checkoutBatch.update({
          where: { id: batch.id },
          data: { total: result.total, skippedRunning: running },
        });
      const events = request.events(result);
      await enqueueEvents(tx, events);
      return { batch: result, wroteEvents: events.length > 0 };
    });
    if (stored.wroteEvents) this.onEventsCommitted();
    return stored.batch;
  }

  async claimDue(now: Date, limit: number, leaseUntil: Date): Promise<Saga[]> {
    const claimed = await this.db.$queryRaw<{ id: string }[]>`
      UPDATE checkout_sagas SET lease_until = ${leaseUntil}, version = version + 1
      WHERE id IN (
        SELECT id FROM checkout_sagas
        WHERE status IN ('running', 'compensating') AND next_attempt_at <= ${now}
          AND (lease_until IS NULL OR lease_until < ${now})
        ORDER BY next_attempt_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING id`;
    if (!claimed.length) return [];
    const rows = await this.db.checkoutSaga.findMany({ where: { id: { in: claimed.map((c) => c.id) } } });
    return rows.map(toSaga);
  }

  async save(change: SagaSave): Promise<Saga | null> {
    const { saga } = change;
    let wroteEvents = change.events.length > 0;
    const saved = await this.db.$transaction(async (tx) => {
      const updated = await tx.checkoutSaga.updateMany({
        where: { id: saga.id, version: saga.version },
        data: { ...sagaChanges(saga), leaseUntil: change.leaseUntil, version: { increment: 1 } },
      });
      if (updated.count === 0) return null;
      await tx.checkoutStepRun.create({ data: { ...change.run } });
      await enqueueEvents(tx, change.events);
      if (saga.endedAt)
        wroteEvents = (await this.endBatchIfDone(tx, saga.batchId, saga.endedAt, change)) || wroteEvents;
      return { ...saga, version: saga.version + 1 };
    });
    if (saved && wroteEvents) this.onEventsCommitted();
    return saved;
  }

  /** The batch's last saga just ended: mark the batch ended and write its events, once (row lock). */
  private async endBatchIfDone(tx: Tx, batchId: string, at: Date, change: SagaSave): Promise<boolean> {
    const [locked] = await tx.$queryRaw<{ ended_at: Date | null }[]>`
      SELECT ended_at FROM checkout_batches WHERE id = ${batchId}::uuid FOR UPDATE`;
    if (!locked || locked.ended_at) return false;
    const active = await tx.checkoutSaga.count({ where: { batchId, status: { in: [...ACTIVE_SAGA_STATUSES] } } });
    if (active > 0) return false;
    const row = await tx.checkoutBatch.update({ where: { id: batchId }, data: { endedAt: at } });
    const batch = toBatch(row);
    const counts = (await countsOf(tx, [batch])).get(batchId) ?? emptyCounts(batch.total);
    await enqueueEvents(tx, change.batchEndedEvents(batch, counts, at));
    return true;
  }

  async batch(id: string): Promise<Batch | null> {
    const row = await this.db.checkoutBatch.findUnique({ where: { id } });
    return row ? toBatch(row) : null;
  }

  async batches(filter: BatchFilter, page: PageRequest): Promise<Page<Batch>> {
    const where = filter.requestedBy ? { requestedBy: filter.requestedBy } : {};
    const [total, rows] = await Promise.all([
      this.db.checkoutBatch.count({ where }),
      this.db.checkoutBatch.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        skip: page.skip,
        take: page.take,
      }),
    ]);
    return pageOf(rows.map(toBatch), total, page);
  }

  async counts(batchIds: readonly string[]): Promise<Map<string, BatchCounts>> {
    const batches = await this.db.checkoutBatch.findMany({
      where: { id: { in: [...batchIds] } },
      select: { id: true, total: true },
    });
    return countsOf(this.db, batches);
  }

  async sagas(batchId: string, status: SagaStatus | null, page: PageRequest): Promise<Page<Saga>> {
    const where = { batchId, ...(status ? { status } : {}) };
    const [total, rows] = await Promise.all([
      this.db.checkoutSaga.count({ where }),
      this.db.checkoutSaga.findMany({
        where,
        orderBy: [{ studentName: 'asc' }, { id: 'asc' }],
        skip: page.skip,
        take: page.take,
      }),
    ]);
    return pageOf(rows.map(toSaga), total, page);
  }

  /** Sagas in progress by status, with the age of the oldest (for the metrics' gauge). */
  async inProgress(): Promise<{ status: string; count: number; oldestAgeSeconds: number }[]> {
    const rows = await this.db.$queryRaw<{ status: string; count: number; oldest: number }[]>`
      SELECT status::text AS status, count(*)::int AS count,
             coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS oldest
      FROM checkout_sagas WHERE status IN ('running', 'compensating') GROUP BY status`;
    return rows.map((r) => ({ status: r.status, count: r.count, oldestAgeSeconds: r.oldest }));
  }

  async saga(id: string): Promise<Saga | null> {
    const row = await this.db.checkoutSaga.findUnique({ where: { id } });
    return row ? toSaga(row) : null;
  }
}
