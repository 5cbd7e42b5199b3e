import type { BaseContext } from '@campus/platform';
import type { CheckoutServices } from '../../services';
import type { CheckoutLoaders } from './loaders';

/** What every checkout resolver receives: the base context, the services and this request's loaders. */
export interface CheckoutContext extends BaseContext {
  services: CheckoutServices;
  loaders: CheckoutLoaders;
}
