import type { BaseContext } from '@campus/platform';
import type { CoworkingServices } from '../../services';
import type { CoworkingLoaders } from './loaders';

/** What every coworking resolver receives: the base context, the services and this request's loaders. */
export interface CoworkingContext extends BaseContext {
  services: CoworkingServices;
  loaders: CoworkingLoaders;
}
