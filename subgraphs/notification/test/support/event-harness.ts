// The notification service in-process on a fresh database, consuming a real RabbitMQ exchange of its
// own: what the rule tests of one producer (duty, coworking, check-out…) publish to and read back.
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import pino from 'pino';
import { consumerQueues, createDatabasePool, createPrismaClient, type CloudEvent } from '@campus/platform';
import {
  createTestDatabase,
  graphqlRequest,
  serviceTestEnv,
  testAmqpUrl,
  testTokens,
  uniqueBrokerNames,
  type TestDatabase,
  type TestTokens,
  type TestUser,
} from '@campus/testkit';
import { startNotification, type RunningNotification } from '../../src/app';
import { loadNotificationConfig } from '../../src/config';
import { PrismaClient } from '../../src/repository/database';
import type { UserDirectory } from '../../src/services/ports';

const RETRY_DELAYS = [100, 300];

/** A stored notification as the inbox query answers it. */
export interface InboxItem {
  key: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

export interface EventHarness {
  service: RunningNotification;
  db: TestDatabase;
  kit: TestTokens;
  /** Publishes on the service's exchange with confirms, as a producer's outbox relay does. */
  publish(event: CloudEvent): Promise<void>;
  /** The user's notifications, through GraphQL. */
  inbox(user: TestUser): Promise<InboxItem[]>;
  /** How many times the service's inbox recorded the event (processed, with or without recipients). */
  processed(eventId: string): Promise<number>;
  stop(): Promise<void>;
}

/**
 * `identityGrpcUrl`: where identity is (a double); `directory`: a replacement for the identity
 * client (then identity is not dialled at all).
 */
export async function startEventHarness(options: {
  name: string;
  identityGrpcUrl?: string;
  directory?: UserDirectory;
}): Promise<EventHarness> {
  const amqpUrl = testAmqpUrl();
  const broker = uniqueBrokerNames(`notification-${options.name}`);
  const { exchange, queue } = broker;
  const liveExchange = broker.name('campus.notifications.live');
  const db = await createTestDatabase('notification');
  const kit = await testTokens();
  const service = await startNotification(
    loadNotificationConfig({
      ...serviceTestEnv({ databaseUrl: db.url, exchange, amqpUrl, poolSize: 4 }),
      // Unused with a directory: it replaces the identity client.
      IDENTITY_GRPC_URL: options.identityGrpcUrl ?? '127.0.0.1:1',
      NOTIFICATION_QUEUE: queue,
      NOTIFICATION_LIVE_EXCHANGE: liveExchange,
      NOTIFICATION_RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
    }),
    {
      logger: pino({ level: 'silent' }),
      tokenVerifier: kit.verifier,
      ...(options.directory ? { directory: options.directory } : {}),
    },
  );
  await service.ready();
  const connection: ChannelModel = await amqp.connect(amqpUrl);
  const publisher: ConfirmChannel = await connection.createConfirmChannel();

  return {
    service,
    db,
    kit,
    publish: (event) =>
      new Promise((resolve, reject) =>
        publisher.publish(
          exchange,
          event.type,
          Buffer.from(JSON.stringify(event)),
          { persistent: true, contentType: 'application/cloudevents+json', messageId: event.id, type: event.type },
          (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
        ),
      ),
    inbox: async (user) => {
      const res = await graphqlRequest<{ myNotifications: { items: InboxItem[] } }>(
        `http://127.0.0.1:${service.httpPort}/graphql`,
        '{ myNotifications(size: 100) { items { key title body data } } }',
        { token: await kit.tokenFor(user) },
      );
      return res.data!.myNotifications.items;
    },
    processed: async (eventId) => {
      const pool = createDatabasePool(db.url, 1);
      const prisma = createPrismaClient(PrismaClient, pool);
      try {
        return await prisma.inboxEntry.count({ where: { eventId } });
      } finally {
        await prisma.$disconnect();
        await pool.end();
      }
    },
    stop: async () => {
      await service.close();
      const channel = await connection.createChannel();
      const { main, retries, parked } = consumerQueues(queue, RETRY_DELAYS);
      for (const q of [main, ...retries, parked]) await channel.deleteQueue(q).catch(() => undefined);
      await channel.deleteExchange(exchange).catch(() => undefined);
      await channel.deleteExchange(liveExchange).catch(() => undefined);
      await connection.close();
      await db.drop();
    },
  };
}
