import {
  HealthRegistry,
  httpErrorHandler,
  listen,
  mountOperationalRoutes,
  sendError,
  type Logger,
  type Metrics,
  type RunningHttpServer,
} from '@campus/platform';
import express, { type Express } from 'express';
import { routerErrors } from './errors';
import type { SubgraphEndpoint } from './supergraph';

/** A subgraph is up when its own liveness endpoint (next to its GraphQL endpoint) answers 2xx. */
async function probeLiveness(graphqlUrl: string, timeoutMs: number): Promise<void> {
  const response = await fetch(new URL('/health/liveness', graphqlUrl), { signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`liveness answered HTTP ${response.status}`);
}

/**
 * The router is ready when its composed schema is loaded and every subgraph is alive; the report
 * names each failing check ("subgraph:<name>"), reasons go to the log only.
 */
export function routerReadiness(
  subgraphs: readonly SubgraphEndpoint[],
  schemaLoaded: () => boolean,
  timeoutMs: number,
  logger: Logger,
): HealthRegistry {
  const health = new HealthRegistry(timeoutMs, (check, error) =>
    logger.warn({ check, err: error }, 'readiness check failed'),
  );
  health.add('supergraph', async () => {
    if (!schemaLoaded()) throw new Error('the composed schema is not loaded (or its known operations not yet planned)');
  });
  for (const subgraph of subgraphs) {
    health.add(`subgraph:${subgraph.name}`, () => probeLiveness(subgraph.url, timeoutMs));
  }
  return health;
}

/**
 * The public port's health routes: status only. The report of which check fails (and so which
 * subgraphs exist) is for operators, on the internal port.
 */
export function mountPublicHealth(app: Express, readiness: HealthRegistry): void {
  app.get('/health/liveness', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/readiness', async (_req, res) => {
    const { status } = await readiness.readiness();
    res.status(status === 'ok' ? 200 : 503).json({ status });
  });
}

/**
 * The internal listener (METRICS_HOST:METRICS_PORT, loopback by default): Prometheus metrics and
 * detailed readiness, which must not be reachable from outside through the public port.
 */
export async function startInternalListener(
  settings: { host: string; port: number },
  readiness: HealthRegistry,
  metrics: Metrics,
  logger: Logger,
): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  mountOperationalRoutes(app, readiness, metrics);
  app.use((_req, res) => {
    sendError(res, routerErrors.noSuchRoute());
  });
  app.use(httpErrorHandler(logger));
  return listen(app, settings.host, settings.port);
}
