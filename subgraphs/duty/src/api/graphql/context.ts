import type { BaseContext } from '@campus/platform';
import type { DutyServices } from '../../services';
import type { DutyLoaders } from './loaders';

/** What every duty resolver receives: the base context, the services and this request's loaders. */
export interface DutyContext extends BaseContext {
  services: DutyServices;
  loaders: DutyLoaders;
}
