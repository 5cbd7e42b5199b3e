import { enqueueEvents, type CloudEvent } from '@campus/platform';
import type { CheckoutClose, CheckoutReopen, CheckoutSanctionStore } from '../services/ports';
import type { DutyDatabase, Prisma } from './database';
import { toSanction } from './sanctions.repository';

type Tx = Prisma.TransactionClient;

/** Serializes the calls of one check-out (a saga retrying while its first call still runs). */
async function lockCheckout(tx: Tx, checkoutId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`duty-checkout:${checkoutId}`}, 0))`;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The check-out saga's footprint in campus_duty: checkout_sanction_closures (one row per check-out:
 * what its close resolved, what its reopen opened again) and sanctions.resolved_by_checkout_id.
 */
export class PrismaCheckoutSanctions implements CheckoutSanctionStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: DutyDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async close(input: CheckoutClose): Promise<string[]> {
    const { userId, checkoutId, at } = input;
    const written: CloudEvent[] = [];
    const closed = await this.db.$transaction(async (tx) => {
      await lockCheckout(tx, checkoutId);
      // A repeat, or a close arriving after its reopen (a tombstone: nothing), changes nothing.
      const earlier = await tx.checkoutSanctionClosure.findUnique({ where: { checkoutId } });
      if (earlier) return earlier.sanctionIds;

      // Conditional on `open`: of this and an educator resolving one at the same moment, the first
      // to commit resolves it (the other skips it, or gets DUTY_SANCTION_RESOLVED).
      const rows = await tx.sanction.updateManyAndReturn({
        where: { userId, status: 'open' },
        data: {
          status: 'resolved',
          resolvedBy: null,
          resolvedAt: at,
          resolutionNote: input.note,
          resolvedByCheckoutId: checkoutId,
        },
      });
      const sanctions = rows.map(toSanction).sort(byId);
      const ids = sanctions.map((s) => s.id);
      await tx.checkoutSanctionClosure.create({ data: { checkoutId, userId, sanctionIds: ids, closedAt: at } });
      for (const sanction of sanctions) written.push(...input.events(sanction));
      await enqueueEvents(tx, written);
      return ids;
    });
    if (written.length) this.onEventsCommitted();
    return closed;
  }

  async reopen(input: CheckoutReopen): Promise<string[]> {
    const { checkoutId, at } = input;
    const written: CloudEvent[] = [];
    const reopened = await this.db.$transaction(async (tx) => {
      await lockCheckout(tx, checkoutId);
      const closure = await tx.checkoutSanctionClosure.findUnique({ where: { checkoutId } });
      if (!closure) {
        // The close never ran (or timed out before it did): the tombstone makes a late one a no-op.
        await tx.checkoutSanctionClosure.create({ data: { checkoutId, reopenedAt: at } });
        return [];
      }
      if (closure.reopenedAt) return closure.reopenedSanctionIds;

      // Only what this check-out closed and is still resolved by it: a sanction resolved otherwise
      // since (an educator's or operator's correction) stays as it is and is not reported.
      const rows = closure.sanctionIds.length
        ? await tx.sanction.updateManyAndReturn({
            where: { id: { in: closure.sanctionIds }, status: 'resolved', resolvedByCheckoutId: checkoutId },
            data: {
              status: 'open',
              resolvedBy: null,
              resolvedAt: null,
              resolutionNote: null,
              resolvedByCheckoutId: null,
            },
          })
        : [];
      const sanctions = rows.map(toSanction).sort(byId);
      const ids = sanctions.map((s) => s.id);
      await tx.checkoutSanctionClosure.update({
        where: { checkoutId },
        data: { reopenedAt: at, reopenedSanctionIds: ids },
      });
      for (const sanction of sanctions) written.push(...input.events(sanction));
      await enqueueEvents(tx, written);
      return ids;
    });
    if (written.length) this.onEventsCommitted();
    return reopened;
  }
}
