import {
  checkDatabase,
  composeService,
  createGrpcClient,
  createScheduler,
  createLogger,
  grpcReachability,
  Metrics,
  openServiceDatabase,
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
import type { CoworkingContext } from './api/graphql/context';
import { createLoaders } from './api/graphql/loaders';
import { resolvers } from './api/graphql/resolvers';
import { typeDefs } from './api/graphql/schema';
import { coworkingGrpcService } from './api/grpc/coworking.grpc';
import { IdentityCampusLayout, IdentityStudentAccounts } from './clients/identity.client';
import type { CoworkingConfig } from './config';
import { PrismaBoard } from './repository/board.repository';
import { PrismaBookingExpiry } from './repository/booking-expiry.repository';
import { PrismaBookings } from './repository/bookings.repository';
import { PrismaCatalogue } from './repository/catalogue.repository';
import { PrismaCheckoutReleases } from './repository/checkout.repository';
import { PrismaClient, type CoworkingDatabase } from './repository/database';
import { PrismaNightReminders } from './repository/night-reminders.repository';
import type { CoworkingServices } from './services';
import { CoworkingBoard } from './services/board.service';
import { BookingExpiry } from './services/booking-expiry.service';
import { CoworkingBookings } from './services/bookings.service';
import { CoworkingCatalogue } from './services/catalogue.service';
import { CheckoutParticipant } from './services/checkout-participant.service';
import { NightReminders } from './services/night-reminders.service';
import type { CampusLayout, StudentAccounts } from './services/ports';

/** Replaceable collaborators (tests inject a local token verifier, a fixed clock…). */
export interface CoworkingDeps {
  logger?: Logger;
  tokenVerifier?: TokenVerifier;
  clock?: Clock;
  /** Students' accounts (default: identity over gRPC at config.identityGrpcUrl). */
  accounts?: StudentAccounts;
  /** The campus layout (default: identity over gRPC at config.identityGrpcUrl). */
  layout?: CampusLayout;
  /** false: no durable scheduler (no night-reminder or expiry job); tests then run those use cases themselves. */
  scheduler?: false;
}

export interface RunningCoworking {
  httpPort: number;
  grpcPort: number;
  logger: Logger;
  /** Internals for in-process tests; not part of any API. */
  internals: {
    db: CoworkingDatabase;
    pool: DatabasePool;
    relay: OutboxRelay;
    broker: AmqpBroker;
    services: CoworkingServices;
    /** The night-reminder job's use case (tests call run(dueAt) themselves). */
    nightReminders: NightReminders;
    /** The booking expiry job's use case (tests call run() themselves). */
    bookingExpiry: BookingExpiry;
  };
  close(): Promise<void>;
}

/**
 * The composition root: PostgreSQL (campus_coworking, with the outbox), the outbox relay to RabbitMQ,
 * the night-reminder and booking expiry jobs on the platform scheduler, identity over gRPC, and the
 * transports (GraphQL, gRPC). Readiness = database + broker (+ scheduler) + identity reachable (its channel connected; no
 * call is made): requestBooking (whether the student's account is still active) and createCoworking
 * (whether the building exists) cannot be taken without it, and the 503 names it. Meanwhile those
 * two fail fast with COWRK_DEPENDENCY_UNAVAILABLE and everything else keeps working. The broker is part of readiness,
 * yet commands keep working while it is down: their events wait in the outbox.
 */
export async function startCoworking(config: CoworkingConfig, deps: CoworkingDeps = {}): Promise<RunningCoworking> {
  const logger = deps.logger ?? createLogger('coworking', config.logLevel);
  const metrics = new Metrics('coworking');
  const clock = deps.clock ?? systemClock;
  return composeService(logger, async (closers) => {
    const { pool, prisma: db } = openServiceDatabase(PrismaClient, config, { metrics, closers });
    const { broker, relay } = startOutboxPublishing({
      ...config,
      connectionName: 'coworking',
      pool,
      logger,
      metrics,
      closers,
    });
    const wakeRelay = () => relay.notify();

    const board = new CoworkingBoard({
      store: new PrismaBoard(db, pool),
      clock,
      timeZone: config.campusTimeZone,
      nightWindow: config.nightWindow,
    });
    const checkout = new CheckoutParticipant({ store: new PrismaCheckoutReleases(db, wakeRelay), clock });
    let { accounts, layout } = deps;
    let identityReachable: HealthCheck | undefined; // none when a test injects both
    if (!accounts || !layout) {
      const identity = createGrpcClient(identityService, config.identityGrpcUrl, {
        name: 'identity',
        deadlineMs: config.grpcDeadlineMs,
        metrics,
      });
      closers.add(() => identity.$close());
      identityReachable = grpcReachability(identity);
      accounts ??= new IdentityStudentAccounts(identity, logger);
      layout ??= new IdentityCampusLayout(identity);
    }
    const catalogue = new CoworkingCatalogue({ store: new PrismaCatalogue(db, pool), layout, clock });
    // The booking lifecycle (request … cancel).
    const bookings = new CoworkingBookings({
      store: new PrismaBookings(db, wakeRelay),
      accounts,
      rules: config.rules,
      clock,
      timeZone: config.campusTimeZone,
    });
    const services: CoworkingServices = { catalogue, board, checkout, bookings, clock };

    const health = readinessChecks(logger)
      .add('database', () => checkDatabase(pool))
      .add('broker', () => broker.check());
    if (identityReachable) health.add('grpc:identity', identityReachable);

    // The night reminders on the durable scheduler: each firing of the cron (campus time) runs once
    // across replicas, and the reminders are keyed by firing (job.dueAt), so a retried or duplicated
    // run reminds no one twice.
    const nightReminders = new NightReminders({
      store: new PrismaNightReminders(db, wakeRelay),
      clock,
      window: config.nightWindow,
      timeZone: config.campusTimeZone,
      logger,
    });
    // Pending and approved bookings whose slot has ended expire, freeing their student and slot. Each
    // firing runs on one replica; two runs at once would skip each other's rows (FOR UPDATE SKIP LOCKED).
    const bookingExpiry = new BookingExpiry({ store: new PrismaBookingExpiry(pool, wakeRelay), clock, logger });
    if (deps.scheduler !== false) {
      const scheduler = createScheduler({
        databaseUrl: config.databaseUrl,
        timeZone: config.campusTimeZone,
        logger,
        metrics,
      });
      scheduler
        .define('coworking-night-reminder', async (job) => void (await nightReminders.run(job.dueAt)))
        .every(config.nightReminderCron);
      scheduler
        .define('coworking-booking-expiry', async () => void (await bookingExpiry.run()))
        .every(config.expiryCron);
      await scheduler.start();
      closers.add(() => scheduler.stop());
      health.add('scheduler', scheduler.check);
    }

    const subgraph = await startSubgraph<CoworkingContext>({
      name: 'coworking',
      schema: { typeDefs, resolvers },
      settings: config,
      logger,
      metrics,
      health,
      tokenVerifier: deps.tokenVerifier ?? tokenVerifierFor(config.auth),
      createContext: (base) => ({ ...base, services, loaders: createLoaders(services, base.auth) }),
      grpcServices: [coworkingGrpcService(services)],
    });
    closers.add(() => subgraph.close());

    return {
      httpPort: subgraph.httpPort,
      grpcPort: subgraph.grpcPort!,
      internals: { db, pool, relay, broker, services, nightReminders, bookingExpiry },
    };
  });
}
