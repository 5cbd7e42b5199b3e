// Producers declare their consumers' queues (real PostgreSQL and RabbitMQ): an event of a consumed
// type published before the consumer ever ran waits in its queue; a type nobody consumes is still
// marked sent; a queue deleted under a connected producer is declared again and nothing is lost.
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type pg from 'pg';
import pino from 'pino';
import {
  createTestDatabase,
  eventually,
  testAmqpUrl,
  testDatabasePool,
  uniqueBrokerNames,
  type TestDatabase,
} from '@campus/testkit';
import { AmqpBroker } from '../../src/messaging/broker';
import { cloudEvent, type CloudEvent } from '../../src/messaging/cloudevents';
import { EventConsumer } from '../../src/messaging/consumer';
import { OutboxRelay, enqueueEvents } from '../../src/messaging/outbox';
import type { EventQueue } from '../../src/messaging/topology';
import { OUTBOX_DDL } from '../support/outbox';

jest.setTimeout(60_000);

const logger = pino({ level: 'silent' });
const AMQP = testAmqpUrl();
const names = uniqueBrokerNames('event-queues');
const { exchange } = names;
const CONSUMED = 'campus.test.thing.happened.v1';
const UNCONSUMED = 'campus.test.thing.ignored.v1';

let db: TestDatabase;
let pool: pg.Pool;
let admin: ChannelModel;
let channel: Channel;
const queuesToDelete: string[] = [];
const running: { stop(): Promise<void> }[] = [];
const brokers: AmqpBroker[] = [];
let queueNo = 0;

const executor = {
  $executeRawUnsafe: async (sql: string, ...values: unknown[]) => (await pool.query(sql, values)).rowCount ?? 0,
};

const event = (type: string, n: number) =>
  cloudEvent({ source: '/campus/test', type, subject: `thing-${n}`, data: { n } });

/** A consumer queue of this test's own, bound to the consumed type only. */
function eventQueue(): EventQueue {
  const queue = `${names.queue}.${++queueNo}`;
  queuesToDelete.push(queue);
  return { queue, bindings: [CONSUMED] };
}

function producer(queues: readonly EventQueue[]): { broker: AmqpBroker; relay: OutboxRelay } {
  const broker = new AmqpBroker({ url: AMQP, exchange, logger, connectionName: 'test-producer', eventQueues: queues });
  brokers.push(broker);
  const relay = new OutboxRelay({ pool, broker, logger, idleIntervalMs: 50, maxBackoffMs: 200 });
  relay.start();
  running.push(relay);
  return { broker, relay };
}

/** Starts the consumer the way a consuming service does; returns what it received. */
async function consumer(queue: EventQueue): Promise<CloudEvent[]> {
  const received: CloudEvent[] = [];
  const broker = new AmqpBroker({ url: AMQP, exchange, logger, connectionName: 'test-consumer' });
  brokers.push(broker);
  const consuming = new EventConsumer({
    broker,
    queue: queue.queue,
    bindings: queue.bindings,
    retryDelaysMs: [1_000],
    handler: async (e) => {
      received.push(e);
    },
    logger,
  });
  queuesToDelete.push(...consuming.topology.retries, consuming.topology.parked);
  running.push(consuming);
  consuming.start();
  await consuming.waitUntilConsuming();
  return received;
}

async function outboxRow(id: string) {
  const { rows } = await pool.query<{ published: boolean; attempts: number; last_error: string | null }>(
    'SELECT published_at IS NOT NULL AS published, attempts, last_error FROM outbox WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

const published = (id: string) =>
  eventually(
    () => outboxRow(id),
    (row) => row.published,
    15_000,
    `${id} sent`,
  );

beforeAll(async () => {
  db = await createTestDatabase(null);
  pool = testDatabasePool(db, 4);
  await pool.query(OUTBOX_DDL);
  admin = await amqp.connect(AMQP);
  channel = await admin.createChannel();
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  await Promise.all(brokers.splice(0).map((b) => b.close()));
  // Each test's queue goes with it: left bound, it would take the next test's events.
  for (const queue of queuesToDelete.splice(0)) await channel.deleteQueue(queue).catch(() => undefined);
  await pool.query('DELETE FROM outbox');
});

afterAll(async () => {
  await channel.deleteExchange(exchange).catch(() => undefined);
  await admin.close();
  await pool.end();
  await db.drop();
});

it('keeps an event published before its consumer ever ran, and marks a type nobody consumes sent', async () => {
  const queue = eventQueue();
  const { relay } = producer([queue]);
  const consumed = event(CONSUMED, 1);
  const unconsumed = event(UNCONSUMED, 2);
  await enqueueEvents(executor, [consumed, unconsumed]);
  relay.notify();

  // Both rows leave the outbox at the first attempt: no consumer is needed for either.
  expect(await published(consumed.id)).toMatchObject({ attempts: 0, last_error: null });
  expect(await published(unconsumed.id)).toMatchObject({ attempts: 0, last_error: null });
  expect((await channel.checkQueue(queue.queue)).messageCount).toBe(1);

  // The consumer starts only now (declaring the same queue, plus its retry and parking queues).
  const received = await consumer(queue);
  await eventually(
    () => received.length,
    (n) => n >= 1,
    15_000,
    'the early event',
  );
  expect(received.map((e) => [e.id, e.type])).toEqual([[consumed.id, CONSUMED]]);
});

it('a producer that connects after the consumer declared the queue publishes into it', async () => {
  const queue = eventQueue();
  const received = await consumer(queue);
  const { relay } = producer([queue]);
  const consumed = event(CONSUMED, 3);
  await enqueueEvents(executor, [consumed]);
  relay.notify();
  await eventually(
    () => received.length,
    (n) => n >= 1,
    15_000,
    'the event',
  );
  expect(received.map((e) => e.id)).toEqual([consumed.id]);
  expect(await published(consumed.id)).toMatchObject({ attempts: 0 });
});

it('declares the queue again when it was deleted under a connected producer, without losing the event', async () => {
  const queue = eventQueue();
  const { broker, relay } = producer([queue]);
  await broker.check(); // connected: the queue exists
  expect((await channel.checkQueue(queue.queue)).messageCount).toBe(0);
  await channel.deleteQueue(queue.queue);

  const consumed = event(CONSUMED, 4);
  const unconsumed = event(UNCONSUMED, 5);
  await enqueueEvents(executor, [consumed, unconsumed]);
  relay.notify();

  // The broker returned the consumed event (it matched no queue): the row stayed and was retried.
  const row = await published(consumed.id);
  expect(row.attempts).toBeGreaterThanOrEqual(1);
  expect(row.last_error).toMatch(/reached no queue/);
  expect(await outboxRow(unconsumed.id)).toMatchObject({ published: true, attempts: 0 });

  const received = await consumer(queue);
  await eventually(
    () => received.length,
    (n) => n >= 1,
    15_000,
    'the event',
  );
  expect(received.map((e) => e.id)).toEqual([consumed.id]);
});
