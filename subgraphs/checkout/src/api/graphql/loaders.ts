import DataLoader from 'dataloader';
import type { BatchCounts } from '../../domain/records';
import type { CheckoutServices } from '../../services';

/**
 * Per-request DataLoaders: a page of batches asks for its counts in one statement (not one per
 * batch), as in subgraphs/leave/src/api/graphql/loaders.ts.
 */
export interface CheckoutLoaders {
  counts: DataLoader<string, BatchCounts>;
}

export function createLoaders(services: CheckoutServices): CheckoutLoaders {
  return {
    counts: new DataLoader(async (ids) => {
      const counts = await services.queries.counts(ids);
      return ids.map((id) => counts.get(id) ?? { total: 0, succeeded: 0, failed: 0, inProgress: 0 });
    }),
  };
}
