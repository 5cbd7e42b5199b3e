import { enqueueEvents, pageOf, type CloudEvent, type Page, type PageRequest } from '@campus/platform';
import { CheckoutErrors } from '../domain/errors';
import { ACTIVE_SAGA_STATUSES, type Batch, type BatchCounts, type Saga, type SagaStatus } from '../domain/records';
import type { BatchFilter, CheckoutQueriesStore, SagaSave, SagaStore } from '../services/ports';
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

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002';

/** The saga state in campus_checkout: batches, sagas (claimed with leases), the step log, the outbox. */
export class PrismaSagaStore implements SagaStore, CheckoutQueriesStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: CheckoutDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async createBatch(batch: Batch, sagas: readonly Saga[], events: readonly CloudEvent[]): Promise<void> {
    const studentIds = sagas.map((s) => s.studentId);
    const alreadyRunning = (ids: string[]) =>
      CheckoutErrors.error('ALREADY_RUNNING', 'A check-out of some of these students is still running', {
        userIds: ids,
      });
    try {
      await this.db.$transaction(async (tx) => {
        const running = await tx.checkoutSaga.findMany({
          where: { studentId: { in: studentIds }, status: { in: [...ACTIVE_SAGA_STATUSES] } },
          select: { studentId: true },
        });
        if (running.length) throw alreadyRunning(running.map((r) => r.studentId));
        await tx.checkoutBatch.create({
          data: {
            id: batch.id,
            requestedBy: batch.requestedBy,
            reason: batch.reason,
            cohort: (batch.cohort ?? undefined) as Prisma.InputJsonValue | undefined,
            total: batch.total,
            createdAt: batch.createdAt,
          },
        });
        await tx.checkoutSaga.createMany({
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
        });
        await enqueueEvents(tx, events);
      });
    } catch (error) {
      // Two batches naming one student at the same moment: the partial unique index refuses the second.
      if (isUniqueViolation(error)) throw alreadyRunning(studentIds);
      throw error;
    }
    if (events.length) this.onEventsCommitted();
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
