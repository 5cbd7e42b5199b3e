import { HealthRegistry, type Logger } from '@campus/platform';
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
    if (!schemaLoaded()) throw new Error('the composed schema is not loaded');
  });
  for (const subgraph of subgraphs) {
    health.add(`subgraph:${subgraph.name}`, () => probeLiveness(subgraph.url, timeoutMs));
  }
  return health;
}
