import type { BaseContext, SubgraphOptions } from '@campus/platform';
import { UNKNOWN_CLIENT } from '../../domain/throttle';
import type { IdentityServices } from '../../services';
import { createLoaders, type Loaders } from './loaders';

export interface IdentityContext extends BaseContext {
  services: IdentityServices;
  loaders: Loaders;
  /** Users who proved who they are in this very request (login, refreshSession) without a bearer token. */
  signedIn: Set<string>;
  /** Whom the request comes from, for the per-client login throttle (see clientAddressPlugin). */
  client: string;
}

export const contextFactory =
  (services: IdentityServices) =>
  (base: BaseContext): IdentityContext => ({
    ...base,
    services,
    loaders: createLoaders(services),
    signedIn: new Set(),
    client: UNKNOWN_CLIENT,
  });

/**
 * Request headers naming the client's address, first match wins: `x-campus-client` (what the router
 * is to forward) or the first hop of `x-forwarded-for`. The context factory sees no request, so a
 * plugin reads them. Identity sits behind the router; one reaching it directly could name any
 * address, which only spreads its per-client locks — the per-account delay still holds.
 */
export const CLIENT_HEADERS = ['x-campus-client', 'x-forwarded-for'] as const;

type Plugin = NonNullable<SubgraphOptions<IdentityContext>['plugins']>[number];

export const clientAddressPlugin: Plugin = {
  requestDidStart: async ({ request, contextValue }) => {
    for (const name of CLIENT_HEADERS) {
      const value = request.http?.headers.get(name)?.split(',')[0]?.trim();
      if (value) {
        contextValue.client = value.slice(0, 100);
        break;
      }
    }
  },
};
