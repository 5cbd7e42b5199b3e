import { createLogger, isClusterWorker, runService, startClusterPrimary } from '@campus/platform';
import { startRouter } from './app';
import { loadRouterConfig } from './config';

runService('router', async () => {
  const config = loadRouterConfig();
  const logger = createLogger('router', config.logLevel);
  if (config.workers > 1 && !isClusterWorker()) {
    // ROUTER_WORKERS: this process only forks and supervises the routers, and serves METRICS_PORT.
    const primary = await startClusterPrimary({
      name: 'router',
      workers: config.workers,
      logger,
      internal: config.metrics,
      shutdownGraceMs: config.shutdownGraceMs,
    });
    return { logger, close: primary.close };
  }
  const router = await startRouter(config, { logger, clusterWorker: isClusterWorker() });
  return { logger, close: router.close };
});
