import { pageRequest, type AuthContext, type Page } from '@campus/platform';
import { CheckoutErrors } from '../domain/errors';
import { BATCH_READERS, requireAnyRole } from '../domain/policy';
import type { Batch, BatchCounts, Saga, SagaStatus } from '../domain/records';
import type { CheckoutQueriesStore } from './ports';

/**
 * Reading batches and their sagas: staff only (every field of a batch names students and what
 * happened to them). The counts of many batches are read in one statement (the loaders batch them).
 */
export class CheckoutQueries {
  constructor(private readonly store: CheckoutQueriesStore) {}

  async batch(auth: AuthContext | null, id: string): Promise<Batch | null> {
    requireAnyRole(auth, BATCH_READERS, 'checkout.batch.read');
    return this.store.batch(id);
  }

  async batches(
    auth: AuthContext | null,
    input: { mine: boolean; page: number | null | undefined; size: number | null | undefined },
  ): Promise<Page<Batch>> {
    const caller = requireAnyRole(auth, BATCH_READERS, 'checkout.batch.read');
    return this.store.batches(input.mine ? { requestedBy: caller.userId } : {}, pageRequest(input.page, input.size));
  }

  /** The sagas of a batch the caller already could read (the parent field checked the role). */
  items(
    batchId: string,
    input: { status: SagaStatus | null; page: number | null | undefined; size: number | null | undefined },
  ): Promise<Page<Saga>> {
    return this.store.sagas(batchId, input.status, pageRequest(input.page, input.size));
  }

  counts(batchIds: readonly string[]): Promise<Map<string, BatchCounts>> {
    return this.store.counts(batchIds);
  }

  /** One saga, for another service or an operator (gRPC): CHECKOUT_NOT_FOUND if there is none. */
  async checkOut(id: string): Promise<Saga> {
    const saga = await this.store.saga(id);
    if (!saga) throw CheckoutErrors.error('NOT_FOUND', 'No check-out has this id', { checkoutId: id });
    return saga;
  }
}
