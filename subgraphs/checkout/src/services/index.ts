import type { Clock } from '@campus/platform';
import type { CheckoutQueries } from './checkout-queries.service';
import type { CheckoutRequests } from './checkout-requests.service';

/**
 * The checkout service's use cases, built once by the composition root (app.ts) and handed to every
 * transport: GraphQL (as `ctx.services`) and gRPC. The saga runner is not here: the scheduler
 * drives it, no transport does.
 */
export interface CheckoutServices {
  requests: CheckoutRequests;
  queries: CheckoutQueries;
  /** "Now" for what transports compute. */
  clock: Clock;
}
