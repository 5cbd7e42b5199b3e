// Composition root: wires the database, broker, outbox relay, gRPC clients, services, GraphQL and
// gRPC servers. Tests start the service in-process through startPatrol (with a clock, a token
// verifier or gRPC clients of their own).
import {
  AmqpBroker,
  Closers,
  HealthRegistry,
  Metrics,
  OutboxRelay,
  TokenVerifier,
  checkDatabase,
  openDatabase,
  createGrpcClient,
  createLogger,
  startSubgraph,
  type GrpcClient,
  type Logger,
} from '@campus/platform';
import {
  identityService,
  leaveService,
  type IdentityServiceDefinition,
  type LeaveServiceDefinition,
} from '@campus/contracts';
import { typeDefs } from './api/graphql/schema';
import { createLoaders } from './api/graphql/loaders';
import { resolvers, type PatrolContext } from './api/graphql/resolvers';
import { patrolGrpcService } from './api/grpc/handlers';
import { IdentityResidentDirectory } from './clients/identity';
import { GrpcLeaveRegistry } from './clients/leave';
import type { PatrolConfig } from './config';
import { PrismaClient } from './generated/prisma/client';
import { PatrolRepository } from './repository/patrol-repository';
import { systemClock, type Clock } from './services/clock';
import { PatrolService } from './services/patrol-service';

export interface PatrolDeps {
  logger?: Logger;
  /** "Now"; tests pin it. */
  clock?: Clock;
  /** Verifies access tokens; defaults to identity's JWKS. */
  tokenVerifier?: TokenVerifier;
  identity?: GrpcClient<IdentityServiceDefinition>;
  leave?: GrpcClient<LeaveServiceDefinition>;
}

export interface RunningPatrol {
  httpPort: number;
  grpcPort: number;
  logger: Logger;
  close(): Promise<void>;
}

export async function startPatrol(config: PatrolConfig, deps: PatrolDeps = {}): Promise<RunningPatrol> {
  const logger = deps.logger ?? createLogger('patrol', config.LOG_LEVEL);
  const metrics = new Metrics('patrol');
  const closers = new Closers();
  try {
    const { pool, prisma } = openDatabase(PrismaClient, {
      url: config.DATABASE_URL,
      poolSize: config.DB_POOL_SIZE,
      connectionTimeoutMs: config.DB_POOL_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      metrics,
      closers,
    });

    const broker = new AmqpBroker({
      url: config.AMQP_URL,
      exchange: config.AMQP_EXCHANGE,
      logger,
      connectionName: 'patrol',
    });
    closers.add(() => broker.close());
    const relay = new OutboxRelay({ pool, broker, logger, metrics });
    relay.start();
    closers.add(() => relay.stop());

    const clientOptions = { deadlineMs: config.GRPC_DEADLINE_MS, metrics };
    const identity =
      deps.identity ??
      createGrpcClient(identityService, config.IDENTITY_GRPC_URL, { name: 'identity', ...clientOptions });
    const leave =
      deps.leave ?? createGrpcClient(leaveService, config.LEAVE_GRPC_URL, { name: 'leave', ...clientOptions });
    if (!deps.identity) closers.add(() => identity.$close());
    if (!deps.leave) closers.add(() => leave.$close());

    const service = new PatrolService({
      store: new PatrolRepository(prisma, () => relay.notify()),
      residents: new IdentityResidentDirectory(identity),
      leaves: new GrpcLeaveRegistry(leave),
      clock: deps.clock ?? systemClock,
      time: { timeZone: config.CAMPUS_TIMEZONE, earliestStart: config.PATROL_EARLIEST_START },
    });

    // Identity and leave are not readiness checks: reads keep working while they are down, and a
    // start fails with a clear PATROL_DEPENDENCY_UNAVAILABLE instead.
    const health = new HealthRegistry(2_000, (name, error) =>
      logger.warn({ check: name, err: error }, 'readiness check failed'),
    )
      .add('database', () => checkDatabase(pool))
      .add('broker', () => broker.check());

    const subgraph = await startSubgraph<PatrolContext>({
      name: 'patrol',
      typeDefs,
      resolvers,
      host: config.BIND_HOST,
      httpPort: config.HTTP_PORT,
      logger,
      metrics,
      health,
      tokenVerifier:
        deps.tokenVerifier ??
        new TokenVerifier({ keys: config.AUTH_JWKS_URL, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE }),
      createContext: (base) => ({ ...base, patrols: service, loaders: createLoaders(service) }),
      grpc: { port: config.GRPC_PORT, services: [patrolGrpcService(service)] },
    });
    closers.add(() => subgraph.close());

    return {
      httpPort: subgraph.httpPort,
      grpcPort: subgraph.grpcPort ?? config.GRPC_PORT,
      logger,
      close: () => closers.closeAll(logger),
    };
  } catch (error) {
    await closers.closeAll(logger);
    throw error;
  }
}
