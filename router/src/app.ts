import type { IncomingMessage, ServerResponse } from 'node:http';
import './federation-exports';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import {
  ConfigError,
  TokenVerifier,
  createLogger,
  graphqlPostHandler,
  httpErrorHandler,
  listen,
  operationMetricsPlugin,
  requestId,
  sendError,
  shareMetricsWithClusterPrimary,
  type HttpStep,
  type Logger,
} from '@campus/platform';
import express, { type Express, type RequestHandler } from 'express';
import {
  anonymousAccessPlugin,
  authFailureLogPlugin,
  graphqlContext,
  verifiedCaller,
  verifyBearerIfPresent,
} from './auth';
import { cors, securityHeaders } from './browser';
import { addressOf, clientKey, type ProxyTrust } from './client';
import type { RouterConfig } from './config';
import type { RouterContext } from './context';
import { AcceptedQueries, directQueries } from './direct-queries';
import { routerErrors } from './errors';
import { createGateway, subgraphTimeouts } from './gateway';
import { formatRouterError } from './graphql-errors';
import { mountPublicHealth, routerReadiness, startInternalListener } from './health';
import { graphqlLimits } from './limits';
import { SubgraphLoadShedding, maxConcurrencyOf, overloadedResponsePlugin } from './load-shedding';
import { stringifyResult } from './single-fetch';
import { RouterMetrics } from './metrics';
import { operationGuardPlugin } from './operation-guard';
import { PersistedOperations, checkManifestAgainstSchema, persistedOperationsPlugin } from './persisted-operations';
import { warmInBackground } from './query-plan-warmup';
import { DEMO_CREDENTIALS } from './playground/operations';
import { mountPlayground } from './playground';
import { mountProxy, type ProxyRouteSpec } from './proxy';
import { RateLimits, loginRateLimitPlugin, requestRateLimit } from './rate-limits';
import { loadSupergraph, type SubgraphEndpoint } from './supergraph';
import { traceResponses } from './trace';

export interface RunningRouter {
  port: number;
  /** The internal listener's port (/metrics, detailed readiness). */
  metricsPort: number;
  close(): Promise<void>;
}

export interface RouterDependencies {
  logger?: Logger;
  /** A worker of ROUTER_WORKERS: the cluster's primary serves metrics and health on METRICS_PORT. */
  clusterWorker?: boolean;
}

/** A proxy target is a subgraph (its origin) or an explicit http(s) origin. */
function proxyTarget(route: ProxyRouteSpec, subgraphs: readonly SubgraphEndpoint[]): string {
  if (URL.canParse(route.target)) return route.target;
  const subgraph = subgraphs.find((s) => s.name === route.target);
  if (!subgraph)
    throw new ConfigError([`PROXY_ROUTES: ${route.prefix} targets "${route.target}", which is no subgraph`]);
  return new URL(subgraph.url).origin;
}

/** Where GraphQL is served. */
const GRAPHQL_PATHS = ['/', '/graphql'];

/** Express 5 leaves req.body unset without a JSON body; Apollo's integration needs it present. */
const ensureBody: RequestHandler = (req, _res, next) => {
  if (!Reflect.has(req, 'body')) req.body = undefined;
  next();
};

/**
 * The router's composition root: gateway over the static supergraph, edge auth, rate limits, cost
 * limits, playground, proxy routes and public health on the public port; metrics and detailed
 * readiness on the internal one. Tests start it in-process.
 */
export async function startRouter(config: RouterConfig, deps: RouterDependencies = {}): Promise<RunningRouter> {
  const logger = deps.logger ?? createLogger('router', config.logLevel);
  const metrics = new RouterMetrics(config.metrics.operationNames);
  const supergraph = loadSupergraph(config.supergraphPath, config.subgraphUrls);
  for (const variable of supergraph.unusedOverrides)
    logger.warn({ variable }, 'this variable names no subgraph of the supergraph');
  const verifier = new TokenVerifier({
    keys: config.auth.jwksUrl,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  });
  const rateLimits = new RateLimits(config.rateLimits, logger, metrics);

  const { gateway, close: closeSubgraphConnections } = createGateway(
    supergraph,
    {
      timeoutMsOf: subgraphTimeouts(config.subgraphTimeouts, supergraph.subgraphs, logger),
      connectionsOf: (subgraph) => maxConcurrencyOf(config.subgraphConcurrency, subgraph),
      deduplicate: config.deduplicateSubgraphQueries,
      singleFetchShortcut: config.singleFetchShortcut,
      distinctEntities: config.distinctEntities,
      routerResultShaping: config.routerResultShaping,
      shedding: new SubgraphLoadShedding(config.subgraphConcurrency, supergraph.subgraphs, logger, metrics),
    },
    logger,
  );
  const trusted = config.persistedOperations;
  const manifest = trusted.file ? PersistedOperations.load(trusted.file) : undefined;
  let schemaLoaded = false;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    schemaLoaded = true;
    if (manifest) checkManifestAgainstSchema(manifest, apiSchema, logger);
  });
  const limits = graphqlLimits(config.limits);
  const formatError = formatRouterError(logger, { introspection: config.introspection });
  const accepted = config.directQueries ? new AcceptedQueries(gateway) : undefined;
  const apollo = new ApolloServer<RouterContext>({
    gateway,
    introspection: config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    stringifyResult, // a subgraph's data-only answer as it came (single-fetch.ts)
    formatError,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    maxRecursiveSelections: limits.maxRecursiveSelections,
    // Apollo's automatic persisted queries (in-memory cache); trusted documents come from the manifest.
    persistedQueries: trusted.automatic ? {} : false,
    // Without introspection, "did you mean …" suggestions would leak the schema piece by piece
    // (this covers validation errors; formatRouterError strips them from the others).
    hideSchemaDetailsFromClientErrors: !config.introspection,
    logger: logger.child({ component: 'apollo' }),
    plugins: [
      ApolloServerPluginLandingPageDisabled(), // the router serves its own offline playground
      persistedOperationsPlugin(manifest, { only: trusted.only }), // decides the text before anything reads it
      operationGuardPlugin(), // first: an unknown operation is a 400 whoever asks
      operationMetricsPlugin(metrics, logger),
      authFailureLogPlugin(logger, metrics),
      anonymousAccessPlugin({ introspection: config.introspection }),
      loginRateLimitPlugin(rateLimits),
      overloadedResponsePlugin(), // 503 + Retry-After when shedding left the operation without data
      ...(accepted ? [accepted.plugin()] : []), // last: every plugin above has let the query execute
    ],
  });
  await apollo.start();
  // Readiness waits for the warm-up: a rolling deploy sends traffic to a router whose plans are made.
  const plansWarm = manifest && trusted.warmUp ? warmInBackground(gateway, manifest.texts(), logger) : () => true;

  const app: Express = express();
  app.disable('x-powered-by');
  // Express hashes every body it sends for a weak ETag: for GraphQL POST answers nobody revalidates,
  // that was a SHA-1 of each response (the most CPU on large ones, e.g. the campus tree).
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy); // the client's address, for the rate limits
  const clientAddress = addressOf(app.get('trust proxy fn') as ProxyTrust);
  const callerOf = verifiedCaller(verifier, logger);
  const clientOf = async (req: IncomingMessage) => clientKey(await callerOf(req).catch(() => null), clientAddress(req));
  // Every request's first steps, in the Express app and on the GraphQL POST path without it.
  const edge: HttpStep[] = [
    traceResponses, // first: every answer names its trace
    requestId,
    securityHeaders,
    cors(config.corsOrigins),
  ];
  const rateLimit = requestRateLimit(rateLimits, clientOf);
  app.use(...edge);
  const readiness = routerReadiness(
    supergraph.subgraphs,
    () => schemaLoaded && plansWarm(),
    config.healthCheckTimeoutMs,
    logger,
  );
  mountPublicHealth(app, readiness); // probes are not rate limited
  app.use(rateLimit);

  // Proxied routes come before any body parser: their bodies stream through untouched.
  for (const route of config.proxyRoutes) {
    app.use(route.prefix, verifyBearerIfPresent(verifier, logger));
    mountProxy(app, { ...route, target: proxyTarget(route, supergraph.subgraphs), logger, metrics });
  }

  mountPlayground(app, {
    endpoint: '/graphql',
    ...(config.nodeEnv === 'production' ? {} : { credentials: DEMO_CREDENTIALS }),
  });

  const context = graphqlContext(verifier, logger, clientAddress);
  const graphql = expressMiddleware(apollo, { context: ({ req }) => context(req) });
  // What the JSON POST path does not take (other content types, compressed bodies, GET).
  app.post(GRAPHQL_PATHS, express.json({ limit: config.limits.maxBodyBytes }), ensureBody, graphql);
  app.get(GRAPHQL_PATHS, ensureBody, graphql);
  // A JSON POST (nearly every request) is answered without Express, whose router, body-parser and
  // per-request prototypes cost a quarter of the router's CPU per request (docs/performance.md).
  // Same steps, same answers (graphql-edge.test.ts compares the two paths).
  const graphqlPost = graphqlPostHandler(apollo, {
    paths: GRAPHQL_PATHS,
    steps: [...edge, rateLimit],
    maxBodyBytes: config.limits.maxBodyBytes,
    context,
    logger,
    direct:
      accepted &&
      directQueries({
        accepted,
        gateway,
        apollo,
        context,
        formatError,
        introspection: config.introspection,
        manifest,
        planExecution: config.planExecution,
        metrics,
        logger,
      }),
  });

  app.use((_req, res) => {
    sendError(res, routerErrors.noSuchRoute());
  });
  app.use(httpErrorHandler(logger));

  const stopServices = () => Promise.all([apollo.stop().then(closeSubgraphConnections), rateLimits.close()]);
  if (deps.clusterWorker) shareMetricsWithClusterPrimary(metrics);
  const internal = deps.clusterWorker
    ? { port: config.metrics.port, close: async () => undefined }
    : await startInternalListener(config.metrics, readiness, metrics, logger).catch(async (error) => {
        await stopServices();
        throw error;
      });
  const serve = (req: IncomingMessage, res: ServerResponse) => graphqlPost(req, res) || app(req, res);
  const server = await listen(serve, config.host, config.port).catch(async (error: unknown) => {
    await Promise.all([internal.close(0), stopServices()]);
    throw error;
  });
  logger.info(
    {
      host: config.host,
      port: server.port,
      metrics: { host: config.metrics.host, port: internal.port },
      subgraphs: supergraph.subgraphs,
      proxyRoutes: config.proxyRoutes.map((r) => r.prefix),
      rateLimitStore: config.rateLimits.redisUrl ? 'redis' : 'memory',
      persistedOperations: {
        file: manifest?.file ?? null,
        operations: manifest?.size ?? 0,
        only: trusted.only,
        automatic: trusted.automatic,
        warmUp: trusted.warmUp,
      },
    },
    `router ready; playground at http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${server.port}/`,
  );

  return {
    port: server.port,
    metricsPort: internal.port,
    close: async () => {
      await server.close(config.shutdownGraceMs); // stop accepting, let requests finish
      await Promise.all([internal.close(0), stopServices()]);
    },
  };
}
