import {
  checkDatabase,
  composeService,
  createGrpcClient,
  createLogger,
  createScheduler,
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
  type FileStorage,
  type HealthCheck,
  type Logger,
  type OutboxRelay,
  type TokenVerifier,
} from '@campus/platform';
import { identityService } from '@campus/contracts';
import type { DutyContext } from './api/graphql/context';
import { createLoaders } from './api/graphql/loaders';
import { resolvers } from './api/graphql/resolvers';
import { typeDefs } from './api/graphql/schema';
import { dutyGrpcService } from './api/grpc/duty.grpc';
import { mountCalendarRoutes } from './api/http/calendar.routes';
import { mountPhotoRoutes } from './api/http/photo.routes';
import { IdentityRoomDirectory } from './clients/identity.client';
import type { DutyConfig } from './config';
import { PrismaClient, type DutyDatabase } from './repository/database';
import { isChecklistCategory } from './domain/reports';
import { PrismaCheckoutSanctions } from './repository/checkout.repository';
import { PrismaDeadlineStore } from './repository/deadlines.repository';
import { PrismaCalendarFeeds, PrismaReportStore } from './repository/reports.repository';
import { PrismaRosters } from './repository/rosters.repository';
import { PrismaSanctionStore } from './repository/sanctions.repository';
import { PrismaSchedules } from './repository/schedules.repository';
import { PrismaSwapStore } from './repository/swaps.repository';
import type { DutyServices } from './services';
import { DutyCalendarFeeds } from './services/calendar-feeds.service';
import { DutyCheckoutParticipant } from './services/checkout-participant.service';
import { DutySweep } from './services/deadlines.service';
import { DOWNLOAD_PATH, DutyReports } from './services/reports.service';
import type { RoomDirectory } from './services/ports';
import { DutyRosters } from './services/rosters.service';
import { DutySanctions } from './services/sanctions.service';
import { DutySchedules } from './services/schedules.service';
import { DutySwaps } from './services/swaps.service';

/** Replaceable collaborators (tests inject a local token verifier, a fixed clock, a campus of rooms…). */
export interface DutyDeps {
  logger?: Logger;
  tokenVerifier?: TokenVerifier;
  clock?: Clock;
  /** Rooms and residents (default: identity over gRPC at config.identityGrpcUrl). */
  rooms?: RoomDirectory;
  /** false: no durable scheduler (no duty-sweep job); tests then call internals.sweep.run(now) themselves. */
  scheduler?: false;
  /** Where photos are stored (default: config.photoStorage, a local directory or S3). */
  storage?: FileStorage;
}

export interface RunningDuty {
  httpPort: number;
  grpcPort: number;
  logger: Logger;
  /** Internals for in-process tests; not part of any API. */
  internals: {
    db: DutyDatabase;
    pool: DatabasePool;
    relay: OutboxRelay;
    broker: AmqpBroker;
    services: DutyServices;
    /** The deadline and reminder sweep the `duty-sweep` job runs. */
    sweep: DutySweep;
  };
  close(): Promise<void>;
}

/**
 * The composition root: PostgreSQL (campus_duty, with the outbox), the outbox relay to RabbitMQ,
 * identity over gRPC (rooms and residents), the photo storage, and the transports (GraphQL, gRPC,
 * plain HTTP for photo bytes and the iCal feed).
 *
 * Readiness = database + broker + photo storage (+ scheduler) + identity reachable (its channel
 * connected; no call is made): generating rosters, moving duties, a user's duties, report reviews
 * and the sweep need it, and the 503 names it. Meanwhile those fail fast with
 * DUTY_DEPENDENCY_UNAVAILABLE, while the calendar, photo uploads and submissions keep working. The
 * broker is part of readiness, yet commands keep working while it is down: their events wait in
 * the outbox.
 */
export async function startDuty(config: DutyConfig, deps: DutyDeps = {}): Promise<RunningDuty> {
  const logger = deps.logger ?? createLogger('duty', config.logLevel);
  const metrics = new Metrics('duty');
  const clock = deps.clock ?? systemClock;
  return composeService(logger, async (closers) => {
    const { pool, prisma: db } = openServiceDatabase(PrismaClient, config, { metrics, closers });
    const { broker, relay } = startOutboxPublishing({
      ...config,
      connectionName: 'duty',
      pool,
      logger,
      metrics,
      closers,
    });
    const wakeRelay = () => relay.notify();

    let rooms = deps.rooms;
    let identityReachable: HealthCheck | undefined; // none for a directory a test injects
    if (!rooms) {
      const identity = createGrpcClient(identityService, config.identityGrpcUrl, {
        name: 'identity',
        deadlineMs: config.grpcDeadlineMs,
        metrics,
      });
      closers.add(() => identity.$close());
      identityReachable = grpcReachability(identity);
      rooms = new IdentityRoomDirectory(identity, logger);
    }

    const rules = { clock, times: config.times, timeZone: config.campusTimeZone };
    const scheduleStore = new PrismaSchedules(db, pool, wakeRelay);
    const rosters = new DutyRosters({
      rosters: new PrismaRosters(db, wakeRelay),
      schedules: scheduleStore,
      rooms,
      ...rules,
    });
    const schedules = new DutySchedules({ schedules: scheduleStore, rooms, ...rules });
    const sanctions = new DutySanctions({ store: new PrismaSanctionStore(db, wakeRelay), clock });
    const swaps = new DutySwaps({ store: new PrismaSwapStore(db, wakeRelay), rooms, ...rules });
    const storage = deps.storage ?? (await openFileStorage(config.photoStorage));
    const reports = new DutyReports({
      store: new PrismaReportStore(db, wakeRelay),
      rooms,
      uploadLinks: new PgUploadLinkStore(pool, { isKind: isChecklistCategory, clock }),
      spool: await new LocalUploadSpool(config.spoolDir).prepare(),
      storage,
      fileLinks: new FileLinks({
        secret: config.fileUrlSecret,
        acceptedSecrets: config.fileUrlSecretsAccepted,
        publicBaseUrl: config.publicBaseUrl,
        path: DOWNLOAD_PATH,
        purpose: 'duty-photo',
        ttlMs: config.downloadUrlTtlMs,
      }),
      clock,
      times: config.times,
      timeZone: config.campusTimeZone,
      publicBaseUrl: config.publicBaseUrl,
      uploadLinkTtlMs: config.uploadUrlTtlMs,
      logger,
    });
    const calendarFeeds = new DutyCalendarFeeds({
      store: new PrismaCalendarFeeds(db),
      clock,
      timeZone: config.campusTimeZone,
      publicBaseUrl: config.publicBaseUrl,
    });
    const checkout = new DutyCheckoutParticipant({ store: new PrismaCheckoutSanctions(db, wakeRelay), clock });
    // ── other topics: build their services here and add them to `services` ──
    const services: DutyServices = { rosters, schedules, sanctions, swaps, reports, calendarFeeds, checkout, clock };

    const health = readinessChecks(logger)
      .add('database', () => checkDatabase(pool))
      .add('broker', () => broker.check())
      .add('storage', () => storage.check());
    if (identityReachable) health.add('grpc:identity', identityReachable);

    // The durable scheduler: one recurring duty-sweep (deadlines, sanctions, reminders), run once
    // per firing across replicas; a failed run (identity down) is retried, and the sweep's
    // conditional updates make repeats harmless.
    const sweep = new DutySweep({ store: new PrismaDeadlineStore(db, wakeRelay), rooms, ...rules, logger });
    if (deps.scheduler !== false) {
      const scheduler = createScheduler({
        databaseUrl: config.databaseUrl,
        timeZone: config.campusTimeZone,
        logger,
        metrics,
      });
      scheduler.define('duty-sweep', async () => void (await sweep.run(clock.now()))).every(config.sweepCron);
      await scheduler.start();
      closers.add(() => scheduler.stop());
      health.add('scheduler', scheduler.check);
    }

    const subgraph = await startSubgraph<DutyContext>({
      name: 'duty',
      schema: { typeDefs, resolvers },
      settings: config,
      logger,
      metrics,
      health,
      tokenVerifier: deps.tokenVerifier ?? tokenVerifierFor(config.auth),
      createContext: (base) => ({ ...base, services, loaders: createLoaders(services) }),
      routes: (app) => {
        mountPhotoRoutes(app, { services, logger, metrics });
        mountCalendarRoutes(app, { services, metrics });
      },
      grpcServices: [dutyGrpcService(services)],
    });
    closers.add(() => subgraph.close());

    return {
      httpPort: subgraph.httpPort,
      grpcPort: subgraph.grpcPort!,
      internals: { db, pool, relay, broker, services, sweep },
    };
  });
}
