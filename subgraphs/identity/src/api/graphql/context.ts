import type { IncomingHttpHeaders } from 'node:http';
import type { BaseContext } from '@campus/platform';
import { UNKNOWN_CLIENT } from '../../domain/throttle';
import type { IdentityServices } from '../../services';
import { createLoaders, type Loaders } from './loaders';

export interface IdentityContext extends BaseContext {
  services: IdentityServices;
  loaders: Loaders;
  /** Users who proved who they are in this very request (login, refreshSession) without a bearer token. */
  signedIn: Set<string>;
  /** Whom the request comes from, for the per-client login throttle (CLIENT_HEADERS). */
  client: string;
}

export const contextFactory =
  (services: IdentityServices) =>
  (base: BaseContext, headers: IncomingHttpHeaders): IdentityContext => ({
    ...base,
    services,
    loaders: createLoaders(services),
    signedIn: new Set(),
    client: clientAddress(headers),
  });

/**
 * Request headers naming the client's address, first match wins: `x-campus-client` (what the router
 * is to forward) or the first hop of `x-forwarded-for`. Identity sits behind the router; one
 * reaching it directly could name any address, which only spreads its per-client locks — the
 * per-account delay still holds.
 */
export const CLIENT_HEADERS = ['x-campus-client', 'x-forwarded-for'] as const;

function clientAddress(headers: IncomingHttpHeaders): string {
  for (const name of CLIENT_HEADERS) {
    const header = headers[name];
    const value = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
    if (value) return value.slice(0, 100);
  }
  return UNKNOWN_CLIENT;
}
