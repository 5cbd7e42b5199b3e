import type { BaseContext } from '@campus/platform';
import type { NotificationServices } from '../../services';

/**
 * Per-request DataLoaders: none. User.notifications resolves only for the caller (one user per
 * request) and every other field is a single query; a loader, when one is needed, goes here.
 */
export type NotificationLoaders = Record<string, never>;

export interface NotificationContext extends BaseContext {
  services: NotificationServices;
  loaders: NotificationLoaders;
}

export const contextFactory =
  (services: NotificationServices) =>
  (base: BaseContext): NotificationContext => ({ ...base, services, loaders: {} });
