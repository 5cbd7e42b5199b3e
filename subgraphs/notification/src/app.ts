import { identityService } from '@campus/contracts';
import {
  AmqpBroker,
  InboxPruner,
  Metrics,
  checkDatabase,
  composeService,
  createGrpcClient,
  createLogger,
  grpcReachability,
  openServiceDatabase,
  readinessChecks,
  startSubgraph,
  tokenVerifierFor,
  type HealthCheck,
  type Logger,
  type TokenVerifier,
} from '@campus/platform';
import { contextFactory, type NotificationContext } from './api/graphql/context';
import { resolvers } from './api/graphql/resolvers';
import { typeDefs } from './api/graphql/schema';
import { notificationGrpcService } from './api/grpc/notification.grpc';
import { StreamHub, mountStreamRoutes } from './api/http/stream.routes';
import { CachedUserDirectory } from './adapters/cached-user-directory';
import { IdentityDirectory } from './clients/identity.client';
import type { NotificationConfig } from './config';
import { LiveFeed } from './messaging/live-feed';
import { createNotificationConsumer } from './messaging/notification-consumer';
import { PrismaClient } from './repository/database';
import { PrismaNotificationStore } from './repository/notification.repository';
import type { NotificationServices } from './services';
import { NotificationInbox } from './services/inbox.service';
import { NOTIFICATION_RULES } from './services/notification-rules.service';
import { EventNotifier } from './services/notifier.service';
import type { UserDirectory } from './services/ports';

export interface NotificationDeps {
  logger?: Logger;
  metrics?: Metrics;
  /** Tests verify tokens with a local key instead of identity's JWKS. */
  tokenVerifier?: TokenVerifier;
  /** Tests may replace the identity-backed directory. */
  directory?: UserDirectory;
}

export interface RunningNotification {
  httpPort: number;
  grpcPort: number;
  logger: Logger;
  /** Resolves once consuming events and subscribed to the live fan-out (tests, start-up order). */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Composition root: pool, Prisma, identity client, rules, the reliable consumer, the live fan-out,
 * the SSE hub, GraphQL, gRPC and health. Closes in reverse order: stop taking events first, end
 * the streams, then the servers and connections.
 */
export async function startNotification(
  config: NotificationConfig,
  deps: NotificationDeps = {},
): Promise<RunningNotification> {
  const logger = deps.logger ?? createLogger('notification', config.logLevel);
  const metrics = deps.metrics ?? new Metrics('notification');
  return composeService(logger, async (closers) => {
    const { pool, prisma } = openServiceDatabase(PrismaClient, config, { metrics, closers });

    const broker = new AmqpBroker({
      url: config.amqp.url,
      exchange: config.amqp.exchange,
      logger,
      connectionName: `notification@${process.pid}`,
    });
    closers.add(() => broker.close());

    let directory = deps.directory;
    let identityReachable: HealthCheck | undefined; // none for a directory a test injects
    if (!directory) {
      const identity = createGrpcClient(identityService, config.identityGrpcUrl, {
        name: 'identity',
        deadlineMs: config.grpcDeadlineMs,
        metrics,
      });
      closers.add(() => identity.$close());
      identityReachable = grpcReachability(identity);
      directory = new CachedUserDirectory(new IdentityDirectory(identity), {
        ttlMs: config.directoryCacheTtlMs,
        maxUsers: 10_000,
      });
    }

    const tokenVerifier = deps.tokenVerifier ?? tokenVerifierFor(config.auth);
    const store = new PrismaNotificationStore(prisma, pool);
    const hub = new StreamHub({ ...config.stream, logger, metrics });
    const live = new LiveFeed({ broker, exchange: config.amqp.liveExchange, logger, deliver: (n) => hub.deliver(n) });
    const services: NotificationServices = {
      inbox: new NotificationInbox({ store, ticketTtlSeconds: config.stream.ticketTtlSeconds }),
      notifier: new EventNotifier({
        rules: NOTIFICATION_RULES,
        directory,
        store,
        live,
        timeZone: config.campusTimeZone,
      }),
    };
    const consumer = createNotificationConsumer({
      broker,
      ...config.amqp,
      notifier: services.notifier,
      logger,
      metrics,
    });
    const pruner = new InboxPruner({ db: prisma, logger, retentionMs: config.inboxRetentionMs });
    pruner.start();
    closers.add(() => pruner.stop());

    const health = readinessChecks(logger)
      .add('database', () => checkDatabase(pool))
      .add('broker', () => broker.check())
      // Subscribed to its event queue and to the live fan-out (restored in the background after an outage).
      .add('consumer', async () => {
        consumer.check();
        live.check();
      });
    // Identity reachable (its channel connected; no call is made): events whose recipients or names
    // come from identity wait in the retry queues without it, and the 503 names it.
    if (identityReachable) health.add('grpc:identity', identityReachable);

    const subgraph = await startSubgraph<NotificationContext>({
      name: 'notification',
      schema: { typeDefs, resolvers },
      settings: config,
      logger,
      metrics,
      health,
      tokenVerifier,
      createContext: contextFactory(services),
      routes: (app) => mountStreamRoutes(app, { hub, services, tokenVerifier, logger }),
      grpcServices: [notificationGrpcService(services)],
    });
    closers.add(() => subgraph.close());
    closers.add(() => hub.closeAll());

    live.start();
    closers.add(() => live.stop());
    consumer.start();
    closers.add(() => consumer.stop());

    return {
      httpPort: subgraph.httpPort,
      grpcPort: subgraph.grpcPort!,
      ready: async (timeoutMs = 10_000) => {
        await Promise.all([consumer.waitUntilConsuming(timeoutMs), live.waitUntilSubscribed(timeoutMs)]);
      },
    };
  });
}
