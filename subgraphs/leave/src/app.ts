import {
  checkDatabase,
  composeService,
  createGrpcClient,
  createLogger,
  FileLinks,
  grpcReachability,
  LocalUploadSpool,
  Metrics,
  openFileStorage,
  openServiceDatabase,
  PgUploadLinkStore,
  readinessChecks,
  startOutboxPublishing,
  startSubgraph,
  systemClock,
  tokenVerifierFor,
  type AmqpBroker,
  type Clock,
  type DatabasePool,
  type HealthCheck,
  type Logger,
  type OutboxRelay,
  type TokenVerifier,
} from '@campus/platform';
import { identityService } from '@campus/contracts';
import { CachedApplicantDirectory } from './adapters/cached-applicant-directory';
import { fileContentInspector } from './adapters/document-inspection';
import type { LeaveContext } from './api/graphql/context';
import { createLoaders } from './api/graphql/loaders';
import { resolvers } from './api/graphql/resolvers';
import { typeDefs } from './api/graphql/schema';
import { leaveGrpcService } from './api/grpc/leave.grpc';
import { mountDocumentRoutes } from './api/http/document.routes';
import { IdentityApplicantDirectory } from './clients/identity.client';
import type { LeaveConfig } from './config';
import { isDocumentKind } from './domain/documents';
import { PrismaCheckoutWithdrawals } from './repository/checkout.repository';
import { PrismaClient, type LeaveDatabase } from './repository/database';
import { PrismaEventStore } from './repository/event-store.repository';
import { PrismaReadModel } from './repository/read-model.repository';
import type { LeaveServices } from './services';
import { CheckoutParticipant } from './services/checkout-participant.service';
import { DocumentDownloads } from './services/document-downloads.service';
import { DocumentUploads } from './services/document-uploads.service';
import { LeaveCommands } from './services/leave-commands.service';
import { LeaveQueries } from './services/leave-queries.service';
import type { ApplicantDirectory, DocumentStorage } from './services/ports';

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
    pool: DatabasePool;
    relay: OutboxRelay;
    broker: AmqpBroker;
    services: LeaveServices;
  };
  close(): Promise<void>;
}

/**
 * The composition root: PostgreSQL (event store, read model, outbox), the outbox relay to
 * RabbitMQ, identity over gRPC, the document storage, and the transports (GraphQL, gRPC for
 * patrols and the check-out saga, plain HTTP for document bytes).
 *
 * Readiness = database + broker + document storage + identity reachable (its channel connected; no
 * call is made): submissions cannot be taken without identity, and the 503 names it. Meanwhile
 * reads, decisions and patrols' GetApprovedLeaves keep working, and a submission fails fast with
 * LEAVE_DEPENDENCY_UNAVAILABLE. The broker is part of readiness, yet commands keep working while it
 * is down: their events wait in the outbox.
 */
export async function startLeave(config: LeaveConfig, deps: LeaveDeps = {}): Promise<RunningLeave> {
  const logger = deps.logger ?? createLogger('leave', config.logLevel);
  const metrics = new Metrics('leave');
  const clock = deps.clock ?? systemClock;
  return composeService(logger, async (closers) => {
    const { pool, prisma: db } = openServiceDatabase(PrismaClient, config, { metrics, closers });
    const { broker, relay } = startOutboxPublishing({
      ...config,
      connectionName: 'leave',
      pool,
      logger,
      metrics,
      closers,
    });

    // Submissions reuse identity's answer for a while; a patrol's read of a moved student's leave
    // (an authorization) asks afresh.
    let applicants = deps.applicants;
    let freshApplicants = deps.applicants;
    let identityReachable: HealthCheck | undefined; // none for a directory a test injects
    if (!applicants || !freshApplicants) {
      const identity = createGrpcClient(identityService, config.identityGrpcUrl, {
        name: 'identity',
        deadlineMs: config.grpcDeadlineMs,
        metrics,
      });
      closers.add(() => identity.$close());
      identityReachable = grpcReachability(identity);
      freshApplicants = new IdentityApplicantDirectory(identity, logger);
      applicants = new CachedApplicantDirectory(freshApplicants, {
        ttlMs: config.applicantCacheTtlMs,
        maxEntries: 10_000,
      });
    }

    const storage = deps.storage ?? (await openFileStorage(config.storage));
    const readModel = new PrismaReadModel(db, pool);
    const queries = new LeaveQueries(readModel, freshApplicants);
    const commands = new LeaveCommands({
      store: new PrismaEventStore(pool),
      applicants,
      clock,
      pending: readModel,
      limits: config.limits,
      onCommitted: () => relay.notify(),
    });
    const fileLinks = new FileLinks({
      secret: config.fileUrlSecret,
      acceptedSecrets: config.fileUrlSecretsAccepted,
      publicBaseUrl: config.publicBaseUrl,
      path: '/files/leave',
      purpose: 'leave-file',
      ttlMs: config.downloadUrlTtlMs,
    });
    const uploads = new DocumentUploads({
      commands,
      links: new PgUploadLinkStore(pool, { isKind: isDocumentKind }),
      storage,
      clock,
      spool: await new LocalUploadSpool(config.spoolDir).prepare(),
      inspector: fileContentInspector,
      logger,
      publicBaseUrl: config.publicBaseUrl,
      uploadLinkTtlMs: config.uploadUrlTtlMs,
    });
    const downloads = new DocumentDownloads({ links: fileLinks, readModel, storage, clock });
    const checkout = new CheckoutParticipant({
      store: new PrismaCheckoutWithdrawals(pool),
      clock,
      onCommitted: () => relay.notify(),
    });
    const services: LeaveServices = { commands, queries, uploads, downloads, checkout, fileLinks, clock };

    const health = readinessChecks(logger)
      .add('database', () => checkDatabase(pool))
      .add('broker', () => broker.check())
      .add('storage', () => storage.check());
    if (identityReachable) health.add('grpc:identity', identityReachable);

    const subgraph = await startSubgraph<LeaveContext>({
      name: 'leave',
      schema: { typeDefs, resolvers },
      settings: config,
      logger,
      metrics,
      health,
      tokenVerifier: deps.tokenVerifier ?? tokenVerifierFor(config.auth),
      createContext: (base) => ({ ...base, services, loaders: createLoaders(queries) }),
      routes: (app) => mountDocumentRoutes(app, { services, logger, metrics }),
      grpcServices: [leaveGrpcService(services)],
    });
    closers.add(() => subgraph.close());

    return {
      httpPort: subgraph.httpPort,
      grpcPort: subgraph.grpcPort!,
      internals: { db, pool, relay, broker, services },
    };
  });
}
