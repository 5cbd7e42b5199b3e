// The outbox relay against real PostgreSQL and RabbitMQ: broker outage, replicas, envelope.
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import type pg from 'pg';
import pino from 'pino';
import { TcpProxy, createTestDatabase, testDatabasePool, type TestDatabase } from '@campus/testkit';
import { AmqpBroker } from '../../src/messaging/broker';
import { cloudEvent, type CloudEvent } from '../../src/messaging/cloudevents';
import { OutboxRelay, enqueueEvents } from '../../src/messaging/outbox';
import { startTestTracing } from '../support/tracing';
import { OUTBOX_DDL } from '../support/outbox';

const logger = pino({ level: 'silent' });
const AMQP = 'amqp://guest:guest@127.0.0.1:5672';

let db: TestDatabase;
let pool: pg.Pool;
let observer: ChannelModel;
let channel: Channel;
const exchange = `campus.events.test.${randomBytes(4).toString('hex')}`;
const queue = `${exchange}.observer`;
const received: CloudEvent[] = [];
/** The traceparent header of each received message, in order. */
const receivedTraceparents: unknown[] = [];

/** A Prisma-like executor over the pool, as a service's transaction would be. */
const executor = {
  $executeRawUnsafe: async (sql: string, ...values: unknown[]) => (await pool.query(sql, values)).rowCount ?? 0,
};

const event = (n: number) =>
  cloudEvent({ source: '/campus/test', type: 'campus.test.thing.happened.v1', subject: `thing-${n}`, data: { n } });

async function waitFor(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  db = await createTestDatabase(null);
  pool = testDatabasePool(db, 6);
  await pool.query(OUTBOX_DDL);
  observer = await amqp.connect(AMQP);
  channel = await observer.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  await channel.assertQueue(queue, { durable: false, autoDelete: true });
  await channel.bindQueue(queue, exchange, 'campus.test.#');
  await channel.consume(queue, (msg) => {
    if (!msg) return;
    received.push(JSON.parse(msg.content.toString()) as CloudEvent);
    receivedTraceparents.push(msg.properties.headers?.traceparent);
    expect(msg.properties.contentType).toBe('application/cloudevents+json');
    channel.ack(msg);
  });
});

afterAll(async () => {
  await channel.deleteQueue(queue).catch(() => undefined);
  await channel.deleteExchange(exchange).catch(() => undefined);
  await observer.close();
  await pool.end();
  await db.drop();
});

beforeEach(async () => {
  received.length = 0;
  receivedTraceparents.length = 0;
  await pool.query('DELETE FROM outbox');
});

it('keeps events while the broker is unreachable and publishes each exactly once when it returns', async () => {
  const proxy = await new TcpProxy(5672).start();
  proxy.cut();
  const broker = new AmqpBroker({
    url: `amqp://guest:guest@127.0.0.1:${proxy.port}`,
    exchange,
    logger,
    connectionName: 'test',
  });
  const relay = new OutboxRelay({ pool, broker, logger, idleIntervalMs: 50, maxBackoffMs: 200 });
  relay.start();
  const events = Array.from({ length: 20 }, (_, i) => event(i));
  for (const e of events) await enqueueEvents(executor, [e]); // "mutations" keep succeeding
  await new Promise((r) => setTimeout(r, 500));
  const pending = await pool.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
  expect(pending.rows[0].n).toBe(20);
  expect(received).toHaveLength(0);

  proxy.restore();
  await waitFor(() => received.length >= 20);
  await new Promise((r) => setTimeout(r, 300));
  expect(received.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
  expect(new Set(received.map((e) => e.id)).size).toBe(20);
  // order of one producer is kept
  expect(received.map((e) => (e.data as { n: number }).n)).toEqual(events.map((_, i) => i));
  const left = await pool.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
  expect(left.rows[0].n).toBe(0);
  await relay.stop();
  await broker.close();
  await proxy.stop();
});

it('two relays draining concurrently publish no duplicates', async () => {
  const brokers = [0, 1].map(() => new AmqpBroker({ url: AMQP, exchange, logger, connectionName: 'test' }));
  const events = Array.from({ length: 300 }, (_, i) => event(i));
  for (let i = 0; i < events.length; i += 50) await enqueueEvents(executor, events.slice(i, i + 50));
  const relays = brokers.map((broker) => new OutboxRelay({ pool, broker, logger, batchSize: 25, idleIntervalMs: 20 }));
  relays.forEach((r) => r.start());
  await waitFor(() => received.length >= 300);
  await new Promise((r) => setTimeout(r, 300));
  expect(received).toHaveLength(300);
  expect(new Set(received.map((e) => e.id)).size).toBe(300);
  await Promise.all(relays.map((r) => r.stop()));
  await Promise.all(brokers.map((b) => b.close()));
});

it('publishes a CloudEvents 1.0 envelope with the traceparent header', async () => {
  const broker = new AmqpBroker({ url: AMQP, exchange, logger, connectionName: 'test' });
  const relay = new OutboxRelay({ pool, broker, logger });
  const traced = { ...event(1), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };
  await enqueueEvents(executor, [traced]);
  expect(await relay.drainOnce()).toBe(1);
  await waitFor(() => received.length === 1);
  expect(received[0]).toEqual(traced);
  expect(received[0]).toMatchObject({
    specversion: '1.0',
    datacontenttype: 'application/json',
    source: '/campus/test',
  });
  await broker.close();
});

describe('trace context', () => {
  const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
  const REQUEST_SPAN = 'b7ad6b7169203331';

  it('without tracing started, passes the stored traceparent on as the header', async () => {
    const broker = new AmqpBroker({ url: AMQP, exchange, logger, connectionName: 'test' });
    const relay = new OutboxRelay({ pool, broker, logger });
    await enqueueEvents(executor, [{ ...event(1), traceparent: `00-${TRACE_ID}-${REQUEST_SPAN}-01` }]);
    expect(await relay.drainOnce()).toBe(1);
    await waitFor(() => received.length === 1);
    expect(receivedTraceparents).toEqual([`00-${TRACE_ID}-${REQUEST_SPAN}-01`]);
    await broker.close();
  });

  it('publishes in an outbox relay span, a child of the request that wrote the row, which consumers continue', async () => {
    const { exporter, stop: stopTracing } = startTestTracing();
    const broker = new AmqpBroker({ url: AMQP, exchange, logger, connectionName: 'test' });
    try {
      const relay = new OutboxRelay({ pool, broker, logger });
      const traced = { ...event(1), traceparent: `00-${TRACE_ID}-${REQUEST_SPAN}-01` };
      const untraced = event(2);
      await enqueueEvents(executor, [traced, untraced]);
      expect(await relay.drainOnce()).toBe(2);
      await waitFor(() => received.length === 2);

      const spans = exporter.getFinishedSpans().filter((s) => s.name === 'outbox relay');
      const [first, second] = [traced, untraced].map((e) =>
        spans.find((s) => s.attributes['messaging.message.id'] === e.id),
      );
      expect(first).toMatchObject({ kind: SpanKind.PRODUCER });
      expect(first!.spanContext().traceId).toBe(TRACE_ID);
      expect(first!.parentSpanContext?.spanId).toBe(REQUEST_SPAN);
      expect(first!.attributes).toMatchObject({
        'cloudevents.event_type': traced.type,
        'messaging.destination.name': exchange,
      });
      // The message names the relay span, so a consumer's span is its child.
      expect(receivedTraceparents[0]).toBe(`00-${TRACE_ID}-${first!.spanContext().spanId}-01`);
      // A row written outside any trace starts one of its own.
      expect(second!.parentSpanContext).toBeUndefined();
      expect(receivedTraceparents[1]).toBe(`00-${second!.spanContext().traceId}-${second!.spanContext().spanId}-01`);
    } finally {
      await broker.close();
      await stopTracing();
    }
  });
});
