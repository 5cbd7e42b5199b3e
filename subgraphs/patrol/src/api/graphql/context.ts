import type { BaseContext } from '@campus/platform';
import type { PatrolServices } from '../../services';
import type { PatrolLoaders } from './loaders';

/** What every resolver gets: the caller (BaseContext), the shared services, this request's loaders. */
export interface PatrolContext extends BaseContext {
  services: PatrolServices;
  loaders: PatrolLoaders;
}
