import { runService } from '@campus/platform';
import { startCheckout } from './app';
import { loadCheckoutConfig } from './config';

runService('checkout', () => startCheckout(loadCheckoutConfig()));
