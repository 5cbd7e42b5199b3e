import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ConfigError,
  Metrics,
  TokenVerifier,
  createLogger,
  formatGraphQLError,
  httpErrorHandler,
  listen,
  mountOperationalRoutes,
  operationMetricsPlugin,
  requestId,
  sendError,
  type Logger,
} from '@campus/platform';
import express, { type Express, type RequestHandler } from 'express';
import { anonymousAccessPlugin, authFailureLogPlugin, graphqlContext, verifyBearerIfPresent } from './auth';
import type { RouterConfig } from './config';
import type { RouterContext } from './context';
import { routerErrors } from './errors';
import { createGateway } from './gateway';
import { routerReadiness } from './health';
import { graphqlLimits } from './limits';
import { DEMO_CREDENTIALS } from './playground/operations';
import { mountPlayground } from './playground';
import { mountProxy, type ProxyRouteSpec } from './proxy';
import { loadSupergraph, type SubgraphEndpoint } from './supergraph';

export interface RunningRouter {
  port: number;
  close(): Promise<void>;
}

export interface RouterDependencies {
  logger?: Logger;
}

/** A proxy target is a subgraph (its origin) or an explicit http(s) origin. */
function proxyTarget(route: ProxyRouteSpec, subgraphs: readonly SubgraphEndpoint[]): string {
  if (URL.canParse(route.target)) return route.target;
  const subgraph = subgraphs.find((s) => s.name === route.target);
  if (!subgraph)
    throw new ConfigError([`PROXY_ROUTES: ${route.prefix} targets "${route.target}", which is no subgraph`]);
  return new URL(subgraph.url).origin;
}

/** Express 5 leaves req.body unset without a JSON body; Apollo's integration needs it present. */
const ensureBody: RequestHandler = (req, _res, next) => {
  if (!Reflect.has(req, 'body')) req.body = undefined;
  next();
};

/**
 * The router's composition root: gateway over the static supergraph, edge auth, limits, playground,
 * proxy routes, health and metrics on one HTTP port. Tests start it in-process.
 */
export async function startRouter(config: RouterConfig, deps: RouterDependencies = {}): Promise<RunningRouter> {
  const logger = deps.logger ?? createLogger('router', config.logLevel);
  const metrics = new Metrics('router');
  const supergraph = loadSupergraph(config.supergraphPath, config.subgraphUrls);
  for (const variable of supergraph.unusedOverrides)
    logger.warn({ variable }, 'this variable names no subgraph of the supergraph');
  const verifier = new TokenVerifier({
    keys: config.auth.jwksUrl,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  });

  const gateway = createGateway(supergraph, logger);
  let schemaLoaded = false;
  gateway.onSchemaLoadOrUpdate(() => {
    schemaLoaded = true;
  });
  const limits = graphqlLimits(config.limits);
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError: formatGraphQLError(logger),
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    maxRecursiveSelections: limits.maxRecursiveSelections,
    // Without introspection, "did you mean …" suggestions would leak the schema piece by piece.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    logger: logger.child({ component: 'apollo' }),
    plugins: [
      ApolloServerPluginLandingPageDisabled(), // the router serves its own offline playground
      operationMetricsPlugin(metrics, logger),
      authFailureLogPlugin(logger, metrics),
      anonymousAccessPlugin({ introspection: config.introspection }),
    ],
  });
  await apollo.start();

  const app: Express = express();
  app.disable('x-powered-by');
  app.use(requestId);
  const readiness = routerReadiness(supergraph.subgraphs, () => schemaLoaded, config.healthCheckTimeoutMs, logger);
  mountOperationalRoutes(app, readiness, metrics);

  // Proxied routes come before any body parser: their bodies stream through untouched.
  for (const route of config.proxyRoutes) {
    app.use(route.prefix, verifyBearerIfPresent(verifier, logger));
    mountProxy(app, { ...route, target: proxyTarget(route, supergraph.subgraphs), logger, metrics });
  }

  mountPlayground(app, {
    endpoint: '/graphql',
    ...(config.nodeEnv === 'production' ? {} : { credentials: DEMO_CREDENTIALS }),
  });

  const graphql = expressMiddleware(apollo, { context: graphqlContext(verifier, logger) });
  app.post(['/', '/graphql'], express.json({ limit: config.limits.maxBody }), ensureBody, graphql);
  app.get(['/', '/graphql'], ensureBody, graphql);

  app.use((_req, res) => {
    sendError(res, routerErrors.noSuchRoute());
  });
  app.use(httpErrorHandler(logger));

  const server = await listen(app, config.host, config.port);
  logger.info(
    {
      host: config.host,
      port: server.port,
      subgraphs: supergraph.subgraphs,
      proxyRoutes: config.proxyRoutes.map((r) => r.prefix),
    },
    `router ready; playground at http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${server.port}/`,
  );

  return {
    port: server.port,
    close: async () => {
      await server.close(config.shutdownGraceMs); // stop accepting, let requests finish
      await apollo.stop();
    },
  };
}
