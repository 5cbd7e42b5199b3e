import { createLogger, runService } from '@campus/platform';
import { startRouter } from './app';
import { loadRouterConfig } from './config';

runService('router', async () => {
  const config = loadRouterConfig();
  const logger = createLogger('router', config.logLevel);
  const router = await startRouter(config, { logger });
  return { logger, close: router.close };
});
