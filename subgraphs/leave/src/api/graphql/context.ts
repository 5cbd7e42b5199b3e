import type { BaseContext } from '@campus/platform';
import type { LeaveServices } from '../../services';
import type { LeaveLoaders } from './loaders';

/** What every leave resolver receives: the base context, the services and this request's loaders. */
export interface LeaveContext extends BaseContext {
  services: LeaveServices;
  loaders: LeaveLoaders;
}
