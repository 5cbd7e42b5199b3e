import type { BaseContext } from '@campus/platform';
import type { IdentityServices } from '../../services';
import { createLoaders, type Loaders } from './loaders';

export interface IdentityContext extends BaseContext {
  services: IdentityServices;
  loaders: Loaders;
  /** Users who proved who they are in this very request (login, refreshSession) without a bearer token. */
  signedIn: Set<string>;
}

export const contextFactory =
  (services: IdentityServices) =>
  (base: BaseContext): IdentityContext => ({
    ...base,
    services,
    loaders: createLoaders(services),
    signedIn: new Set(),
  });
