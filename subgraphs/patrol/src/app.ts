// Composition root: wires the database, broker, outbox relay, gRPC clients, services, GraphQL and
// gRPC servers. Tests start the service in-process through startPatrol (with a clock, a token
// verifier or gRPC clients of their own).
import {
  Metrics,
  checkDatabase,
  composeService,
  createGrpcClient,
  createLogger,
  grpcReachability,
  openServiceDatabase,
  readinessChecks,
  startOutboxPublishing,
  startSubgraph,
  systemClock,
  tokenVerifierFor,
  type Clock,
  type GrpcClient,
  type Logger,
  type TokenVerifier,
} from '@campus/platform';
import {
  identityService,
  leaveService,
  type IdentityServiceDefinition,
  type LeaveServiceDefinition,
} from '@campus/contracts';
import type { PatrolContext } from './api/graphql/context';
import { createLoaders } from './api/graphql/loaders';
import { resolvers } from './api/graphql/resolvers';
import { typeDefs } from './api/graphql/schema';
import { patrolGrpcService } from './api/grpc/patrol.grpc';
import { IdentityResidentDirectory } from './clients/identity.client';
import { GrpcLeaveRegistry } from './clients/leave.client';
import type { PatrolConfig } from './config';
import { PrismaClient } from './repository/database';
import { PrismaPatrolStore } from './repository/patrol.repository';
import type { PatrolServices } from './services';
import { PatrolService } from './services/patrol.service';

export interface PatrolDeps {
  logger?: Logger;
  /** "Now"; tests pass a testkit TestClock. */
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
  const logger = deps.logger ?? createLogger('patrol', config.logLevel);
  const metrics = new Metrics('patrol');
  return composeService(logger, async (closers) => {
    const { pool, prisma } = openServiceDatabase(PrismaClient, config, { metrics, closers });
    const { broker, relay } = startOutboxPublishing({
      ...config,
      connectionName: 'patrol',
      pool,
      logger,
      metrics,
      closers,
    });

    const clientOptions = { deadlineMs: config.grpcDeadlineMs, metrics };
    const identity =
      deps.identity ??
      createGrpcClient(identityService, config.identityGrpcUrl, { name: 'identity', ...clientOptions });
    const leave =
      deps.leave ?? createGrpcClient(leaveService, config.leaveGrpcUrl, { name: 'leave', ...clientOptions });
    if (!deps.identity) closers.add(() => identity.$close());
    if (!deps.leave) closers.add(() => leave.$close());

    const services: PatrolServices = {
      patrols: new PatrolService({
        store: new PrismaPatrolStore(prisma, pool, () => relay.notify()),
        residents: new IdentityResidentDirectory(identity),
        leaves: new GrpcLeaveRegistry(leave),
        clock: deps.clock ?? systemClock,
        time: { timeZone: config.campusTimeZone, earliestStart: config.earliestStart },
      }),
    };

    // Identity and leave reachable (channels connected, no call made): a patrol cannot start without
    // them, and the 503 names the one missing. Meanwhile reads keep working and a start fails with
    // PATROL_DEPENDENCY_UNAVAILABLE. A client a test injects is the test's business.
    const health = readinessChecks(logger)
      .add('database', () => checkDatabase(pool))
      .add('broker', () => broker.check());
    if (!deps.identity) health.add('grpc:identity', grpcReachability(identity));
    if (!deps.leave) health.add('grpc:leave', grpcReachability(leave));

    const subgraph = await startSubgraph<PatrolContext>({
      name: 'patrol',
      schema: { typeDefs, resolvers },
      settings: config,
      logger,
      metrics,
      health,
      tokenVerifier: deps.tokenVerifier ?? tokenVerifierFor(config.auth),
      createContext: (base) => ({ ...base, services, loaders: createLoaders(services) }),
      grpcServices: [patrolGrpcService(services)],
    });
    closers.add(() => subgraph.close());

    return { httpPort: subgraph.httpPort, grpcPort: subgraph.grpcPort ?? config.grpcPort };
  });
}
