import { createLogger, type Logger } from '@campus/platform';
import { serveJwks, testTokens, testUser, type JwksServer } from '@campus/testkit';
import { startRouter, type RunningRouter } from '../../src/app';
import { loadRouterConfig } from '../../src/config';
import { writeSupergraph } from './compose';
import type { TestSubgraph } from './subgraph';

export interface TestRouter extends RunningRouter {
  url: string;
  /** The internal listener: /metrics and detailed readiness. */
  metricsUrl: string;
}

/** Composes a supergraph of the given test subgraphs and starts the router in-process on a free port. */
export async function startTestRouter(
  subgraphs: TestSubgraph[],
  env: Record<string, string>,
  logger: Logger = createLogger('router', process.env.TEST_LOG_LEVEL ?? 'silent'),
): Promise<TestRouter> {
  const supergraphPath = writeSupergraph(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: s.typeDefs })));
  const config = loadRouterConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    BIND_HOST: '127.0.0.1',
    ROUTER_PORT: '0',
    SUPERGRAPH_PATH: supergraphPath,
    HEALTH_CHECK_TIMEOUT_MS: '1000',
    SHUTDOWN_GRACE_MS: '500',
    ...env,
  });
  const router = await startRouter(config, { logger });
  return { ...router, url: `http://127.0.0.1:${router.port}`, metricsUrl: `http://127.0.0.1:${router.metricsPort}` };
}

/**
 * Two routers over the same subgraphs, the second with `without` on top of `env` (a feature turned
 * off): a feature's answers compared with those of the path it replaces.
 */
export function startRouterPair(
  subgraphs: TestSubgraph[],
  env: Record<string, string>,
  without: Record<string, string>,
): Promise<[TestRouter, TestRouter]> {
  return Promise.all([startTestRouter(subgraphs, env), startTestRouter(subgraphs, { ...env, ...without })]);
}

/** A key server and an educator's token it verifies: how the router tests call as a signed-in user. */
export async function signedInEducator(): Promise<{ jwks: JwksServer; token: string }> {
  const tokens = await testTokens();
  const jwks = await serveJwks(tokens.jwks);
  return { jwks, token: await tokens.tokenFor(testUser({ id: 'user-1', roles: ['educator'] })) };
}
