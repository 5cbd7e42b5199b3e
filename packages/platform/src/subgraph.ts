import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import { GraphQLError, type DocumentNode } from 'graphql';
import type { Logger } from 'pino';
import { bearerToken, type AuthContext, type TokenVerifier } from './auth';
import { DomainError } from './errors';
import {
  aliasLimit,
  depthLimitOutsideIntrospection,
  directExecution,
  formatGraphQLError,
  operationMetricsPlugin,
  recordOperation,
  safeTextPlugin,
  schemaIntrospectionGate,
  SUBGRAPH_LIMITS,
  type Resolvers,
} from './graphql';
import { graphqlPostHandler } from './graphql/post-handler';
import { startGrpcServer, type GrpcServiceBinding, type RunningGrpcServer } from './grpc';
import { inIncomingTrace } from './trace-context';
import type { HealthRegistry } from './health';
import { httpErrorHandler, listen, mountOperationalRoutes, requestId, REQUEST_ID_HEADER } from './http';
import type { ServiceSettings } from './config';
import type { Metrics } from './metrics';

/** The largest GraphQL request body a subgraph reads (1 MiB, body-parser's '1mb'). */
const MAX_BODY_BYTES = 1024 * 1024;

/** What every resolver receives, whatever the subgraph. */
export interface BaseContext {
  auth: AuthContext | null;
  logger: Logger;
  requestId: string;
}

export interface SubgraphOptions<TContext extends BaseContext> {
  name: string;
  schema: { typeDefs: DocumentNode; resolvers: Resolvers<TContext> };
  /**
   * Where to listen (host, HTTP and gRPC ports), from nodeEnv whether introspection is on, and
   * whether queries and mutations skip Apollo Server's pipeline (graphqlDirectExecution, default true).
   */
  settings: Pick<ServiceSettings, 'host' | 'httpPort' | 'grpcPort' | 'nodeEnv'> &
    Partial<Pick<ServiceSettings, 'graphqlDirectExecution'>>;
  logger: Logger;
  metrics: Metrics;
  health: HealthRegistry;
  tokenVerifier: TokenVerifier;
  /**
   * Adds the subgraph's own per-request state (DataLoaders, services) to the base context; the
   * request's headers for what a subgraph reads of them itself (identity: the client's address).
   */
  createContext: (base: BaseContext, headers: IncomingHttpHeaders) => TContext | Promise<TContext>;
  /** Extra plain HTTP routes (mounted before the GraphQL endpoint). */
  routes?: (app: Express) => void;
  /** gRPC services, served on settings.grpcPort. */
  grpcServices?: GrpcServiceBinding[];
  /**
   * Unset: on, except in production, where `__schema`, `__type` and `_service` need header
   * x-campus-service-token equal to `serviceToken` (only the router's composed schema is public).
   * true: always on; false: always off.
   */
  introspection?: boolean;
  /** The secret that opens introspection in production; defaults to env SERVICE_TOKEN. */
  serviceToken?: string;
}

export interface RunningSubgraph {
  httpPort: number;
  grpcPort: number | undefined;
  close(): Promise<void>;
}

/** The authentication error a request with an unusable token gets, before any resolver runs. */
export function authFailure(error: unknown): GraphQLError | unknown {
  if (error instanceof DomainError && error.kind === 'UNAUTHENTICATED') {
    return new GraphQLError(error.message, {
      extensions: { code: error.code, details: error.details, http: { status: 401 } },
    });
  }
  return error;
}

/** Verifies the bearer token of a request, if any. A present but bad token is an error. */
export async function authenticate(
  verifier: TokenVerifier,
  authorization: string | undefined,
): Promise<AuthContext | null> {
  try {
    const token = bearerToken(authorization);
    return token ? await verifier.verify(token) : null;
  } catch (error) {
    throw authFailure(error);
  }
}

/**
 * Starts a federated subgraph: GraphQL at /graphql, health and metrics on the same HTTP port, an
 * optional gRPC server, and a closer for graceful shutdown.
 */
export async function startSubgraph<TContext extends BaseContext>(
  options: SubgraphOptions<TContext>,
): Promise<RunningSubgraph> {
  const { logger, metrics, health } = options;
  const app = express();
  app.disable('x-powered-by');
  // As in the router: Express hashed every body it sent for a weak ETag, a SHA-1 of each GraphQL
  // answer nobody revalidates (~1 % of identity's CPU on a building's campus tree).
  app.set('etag', false);
  app.use(requestId);
  mountOperationalRoutes(app, health, metrics);
  options.routes?.(app);

  const { host, httpPort, grpcPort, nodeEnv } = options.settings;
  // The router's calls (POST /graphql, JSON) skip Express once Apollo has started; the rest is Express's.
  const graphqlPost: { handle?: (req: IncomingMessage, res: ServerResponse) => boolean } = {};
  const serve = (req: IncomingMessage, res: ServerResponse) =>
    inIncomingTrace(req.headers.traceparent, () => graphqlPost.handle?.(req, res) || app(req, res));
  const httpServer = await listen(serve, host, httpPort);
  // Apollo types the map for any context; Resolvers<TContext> is what keeps each resolver's context exact.
  const schema = buildSubgraphSchema({
    typeDefs: options.schema.typeDefs,
    resolvers: options.schema.resolvers as Resolvers<unknown>,
  });
  const formatError = formatGraphQLError(logger);
  // The router's limits again: a subgraph reached directly must not be an easier target.
  const validationRules = [
    depthLimitOutsideIntrospection(SUBGRAPH_LIMITS.maxDepth),
    aliasLimit(SUBGRAPH_LIMITS.maxAliases),
  ];
  const apollo = new ApolloServer<TContext>({
    schema,
    introspection: options.introspection ?? true,
    // runService owns SIGTERM/SIGINT; Apollo's own handler would re-raise the signal and kill the
    // process before the other closers (gRPC, database pool) have run.
    stopOnTerminationSignals: false,
    formatError,
    includeStacktraceInErrorResponses: false,
    validationRules,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // No @cacheControl hints anywhere (answers are per user, never HTTP-cached). Installed by
      // default, the plugin's per-field hook made Apollo wrap every resolver of every answer: a
      // cost per resolved field, large on lists (a building's campus tree resolves thousands).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer: httpServer.server }),
      operationMetricsPlugin(metrics, logger) as ApolloServerPlugin<TContext>,
      safeTextPlugin() as ApolloServerPlugin<TContext>,
      ...(options.introspection === undefined && nodeEnv === 'production'
        ? [schemaIntrospectionGate(options.serviceToken ?? process.env.SERVICE_TOKEN) as ApolloServerPlugin<TContext>]
        : []),
    ],
  });
  await apollo.start();
  const context = async (req: IncomingMessage): Promise<TContext> => {
    const auth = await authenticate(options.tokenVerifier, req.headers.authorization);
    const base: BaseContext = {
      auth,
      logger: auth ? logger.child({ userId: auth.userId }) : logger,
      requestId: String(req.headers[REQUEST_ID_HEADER]),
    };
    return options.createContext(base, req.headers);
  };
  app.use(
    '/graphql',
    express.json({ limit: MAX_BODY_BYTES }),
    expressMiddleware(apollo, { context: ({ req }) => context(req) }),
  );
  app.use(httpErrorHandler(logger));
  const direct =
    (options.settings.graphqlDirectExecution ?? true)
      ? directExecution({
          schema,
          validationRules,
          formatError,
          context,
          answered: (operation) => recordOperation(metrics, logger, operation),
        })
      : undefined;
  graphqlPost.handle = graphqlPostHandler(apollo, {
    maxBodyBytes: MAX_BODY_BYTES,
    context,
    logger,
    direct,
    databaseTime: true,
  });

  let grpcServer: RunningGrpcServer | undefined;
  if (options.grpcServices) {
    grpcServer = await startGrpcServer({
      host,
      port: grpcPort,
      services: options.grpcServices,
      logger,
      metrics,
    });
  }
  logger.info({ httpPort: httpServer.port, grpcPort: grpcServer?.port, host }, `${options.name} subgraph ready`);

  return {
    httpPort: httpServer.port,
    grpcPort: grpcServer?.port,
    close: async () => {
      await Promise.all([apollo.stop(), grpcServer?.close()]);
      await httpServer.close();
    },
  };
}
