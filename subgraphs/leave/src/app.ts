import fs from 'node:fs';
import {
  AmqpBroker,
  checkDatabase,
  Closers,
  createDatabasePool,
  openDatabase,
  createLogger,
  HealthRegistry,
  Metrics,
  OutboxRelay,
  startSubgraph,
  TokenVerifier,
  type Logger,
} from '@campus/platform';
import { createLoaders } from './api/graphql/loaders';
import type { LeaveContext, LeaveServices } from './api/graphql/context';
import { resolvers } from './api/graphql/resolvers';
import { typeDefs } from './api/graphql/schema';
import { leaveGrpcService } from './api/grpc/leave-service';
import { mountDocumentRoutes } from './api/http/document-routes';
import { createIdentityClient, IdentityApplicantDirectory } from './clients/identity';
import type { LeaveConfig } from './config';
import { PrismaClient, type LeaveDatabase } from './repository/database';
import { PrismaEventStore } from './repository/event-store';
import { LocalDocumentStorage } from './repository/local-document-storage';
import { PrismaReadModel } from './repository/read-model';
import { createS3Client, S3DocumentStorage } from './repository/s3-document-storage';
import { PrismaUploadLinks } from './repository/upload-links';
import { DocumentDownloads } from './services/document-downloads';
import { DocumentUploads } from './services/document-uploads';
import { FileLinks } from './services/file-links';
import { LeaveCommands } from './services/leave-commands';
import { LeaveQueries } from './services/leave-queries';
import { systemClock, type ApplicantDirectory, type Clock, type DocumentStorage } from './services/ports';

/** Replaceable collaborators (tests inject a local token verifier, a fake clock…). */
export interface LeaveDeps {
  logger?: Logger;
  tokenVerifier?: TokenVerifier;
  applicants?: ApplicantDirectory;
  storage?: DocumentStorage;
  clock?: Clock;
}

export interface RunningLeave {
  httpPort: number;
  grpcPort: number;
  logger: Logger;
  /** Internals for in-process tests and the CLI; not part of any API. */
  internals: {
    db: LeaveDatabase;
    pool: ReturnType<typeof createDatabasePool>;
    relay: OutboxRelay;
    broker: AmqpBroker;
    services: LeaveServices;
  };
  close(): Promise<void>;
}

export function createDocumentStorage(config: LeaveConfig): DocumentStorage {
  const storage = config.storage;
  if (storage.driver === 'local') return new LocalDocumentStorage(storage.dir);
  return new S3DocumentStorage(createS3Client(storage), storage.bucket);
}

/**
 * The composition root: PostgreSQL (event store, read model, outbox), the outbox relay to
 * RabbitMQ, identity over gRPC, the document storage, and the transports (GraphQL, gRPC for
 * patrols, plain HTTP for document bytes).
 *
 * Readiness = database + broker + document storage. Identity is deliberately not part of it: only
 * submissions need identity (they fail fast with LEAVE_DEPENDENCY_UNAVAILABLE), while reads,
 * decisions and patrols' GetApprovedLeaves keep working; taking leave out of rotation whenever
 * identity blips would turn one outage into two. The broker is part of readiness, yet commands
 * keep working while it is down: their events wait in the outbox.
 */
export async function startLeave(config: LeaveConfig, deps: LeaveDeps = {}): Promise<RunningLeave> {
  const logger = deps.logger ?? createLogger('leave', config.logLevel);
  const metrics = new Metrics('leave');
  const clock = deps.clock ?? systemClock;
  const closers = new Closers();
  try {
    const { pool, prisma: db } = openDatabase(PrismaClient, {
      url: config.databaseUrl,
      poolSize: config.dbPoolSize,
      connectionTimeoutMs: config.dbPoolTimeoutMs,
      statementTimeoutMs: config.dbStatementTimeoutMs,
      metrics,
      closers,
    });

    const broker = new AmqpBroker({
      url: config.amqp.url,
      exchange: config.amqp.exchange,
      logger,
      connectionName: 'leave',
    });
    closers.add(() => broker.close());
    const relay = new OutboxRelay({ pool, broker, logger, metrics });
    relay.start();
    closers.add(() => relay.stop());

    let applicants = deps.applicants;
    if (!applicants) {
      const identity = createIdentityClient(config.identityGrpcUrl, { deadlineMs: config.grpcDeadlineMs, metrics });
      closers.add(() => identity.$close());
      applicants = new IdentityApplicantDirectory(identity, logger);
    }

    const storage = deps.storage ?? createDocumentStorage(config);
    await fs.promises.mkdir(config.spoolDir, { recursive: true, mode: 0o700 });
    const readModel = new PrismaReadModel(db);
    const queries = new LeaveQueries(readModel);
    const commands = new LeaveCommands({
      store: new PrismaEventStore(db, pool),
      applicants,
      clock,
      onCommitted: () => relay.notify(),
    });
    const fileLinks = new FileLinks(config.fileUrlSecret, config.publicBaseUrl, config.downloadUrlTtlMs);
    const uploads = new DocumentUploads({
      commands,
      links: new PrismaUploadLinks(db),
      storage,
      clock,
      logger,
      publicBaseUrl: config.publicBaseUrl,
      uploadLinkTtlMs: config.uploadUrlTtlMs,
      spoolDir: config.spoolDir,
    });
    const downloads = new DocumentDownloads({ links: fileLinks, readModel, storage, clock });
    const services: LeaveServices = { commands, queries, uploads, fileLinks, clock };

    const health = new HealthRegistry(2_000, (name, error) =>
      logger.warn({ check: name, err: error }, 'readiness check failed'),
    );
    health
      .add('database', () => checkDatabase(pool))
      .add('broker', () => broker.check())
      .add('storage', () => storage.check());

    const subgraph = await startSubgraph<LeaveContext>({
      name: 'leave',
      typeDefs,
      resolvers,
      host: config.host,
      httpPort: config.httpPort,
      logger,
      metrics,
      health,
      tokenVerifier:
        deps.tokenVerifier ??
        new TokenVerifier({ keys: config.auth.jwksUrl, issuer: config.auth.issuer, audience: config.auth.audience }),
      createContext: (base) => ({ ...base, leave: services, loaders: createLoaders(queries) }),
      routes: (app) => mountDocumentRoutes(app, { uploads, downloads, logger, metrics }),
      grpc: { port: config.grpcPort, services: [leaveGrpcService(queries)] },
      introspection: config.nodeEnv !== 'production',
    });
    closers.add(() => subgraph.close());

    return {
      httpPort: subgraph.httpPort,
      grpcPort: subgraph.grpcPort!,
      logger,
      internals: { db, pool, relay, broker, services },
      close: () => closers.closeAll(logger),
    };
  } catch (error) {
    await closers.closeAll(logger);
    throw error;
  }
}
