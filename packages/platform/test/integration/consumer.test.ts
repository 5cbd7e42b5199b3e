// The reliable consumer against real RabbitMQ and PostgreSQL: idempotency through the inbox,
// delayed retries, parking with the reason, replay (library and ops command), malformed messages,
// trace continuation and re-subscription after the connection drops.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { SpanKind, trace } from '@opentelemetry/api';
import type pg from 'pg';
import pino from 'pino';
import { REPO_ROOT, TcpProxy, createTestDatabase, testDatabasePool, type TestDatabase } from '@campus/testkit';
import { AmqpBroker } from '../../src/messaging/broker';
import { cloudEvent, type CloudEvent } from '../../src/messaging/cloudevents';
import {
  EventConsumer,
  UnprocessableEventError,
  type ConsumeContext,
  type EventConsumerOptions,
} from '../../src/messaging/consumer';
import { consumerQueues } from '../../src/messaging/topology';
import { listParked, replayParked } from '../../src/messaging/dead-letters';
import { InboxPruner, withInbox, type TransactionRunner } from '../../src/messaging/inbox';
import type { SqlExecutor } from '../../src/messaging/outbox';
import { Metrics } from '../../src/metrics';
import { startTestTracing } from '../support/tracing';

jest.setTimeout(60_000);

const logger = pino({ level: 'silent' });
const AMQP = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const suffix = randomBytes(4).toString('hex');
const exchange = `campus.events.test.consumer.${suffix}`;
const TYPE = 'campus.test.thing.happened.v1';

let db: TestDatabase;
let pool: pg.Pool;
let admin: ChannelModel;
let publisher: ConfirmChannel;
let broker: AmqpBroker;
const declaredQueues: string[] = [];
const consumers: EventConsumer[] = [];
let queueNo = 0;

/** Interactive transactions over the pool, shaped like a Prisma client's. */
const database: TransactionRunner<SqlExecutor> = {
  async $transaction(fn) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn({
        $executeRawUnsafe: async (sql, ...values) => (await client.query(sql, values)).rowCount ?? 0,
      });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  },
};

/** The effect of a handler: one row per processed event, written with the inbox entry. */
const recordEffect = (consumer: string) => async (event: CloudEvent) => {
  await withInbox(database, consumer, event.id, (tx) =>
    tx.$executeRawUnsafe('INSERT INTO effects (event_id) VALUES ($1)', event.id),
  );
};

async function effectsOf(eventId: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM effects WHERE event_id = $1', [eventId]);
  return Number(rows[0]!.n);
}

function publish(
  routingKey: string,
  content: Buffer | CloudEvent,
  headers: Record<string, unknown> = {},
): Promise<void> {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content));
  const messageId = Buffer.isBuffer(content) ? undefined : content.id;
  return new Promise((resolve, reject) =>
    publisher.publish(
      exchange,
      routingKey,
      body,
      { persistent: true, headers, ...(messageId ? { messageId } : {}) },
      (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    ),
  );
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const event = (data: Record<string, unknown> = {}) => cloudEvent({ source: '/campus/test', type: TYPE, data });

async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startConsumer(
  options: Partial<EventConsumerOptions> & Pick<EventConsumerOptions, 'handler'>,
): Promise<EventConsumer> {
  const queue = `test.consumer.${suffix}.${++queueNo}`;
  const consumer = new EventConsumer({ broker, queue, bindings: [TYPE], logger, ...options });
  const { main, retries, parked } = consumer.topology;
  declaredQueues.push(main, ...retries, parked);
  consumers.push(consumer);
  consumer.start();
  await consumer.waitUntilConsuming();
  return consumer;
}

async function queueDepth(queue: string): Promise<number> {
  const channel = await admin.createChannel();
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await channel.close();
  }
}

beforeAll(async () => {
  db = await createTestDatabase(null);
  pool = testDatabasePool(db, 8);
  await pool.query(`CREATE TABLE inbox (consumer text NOT NULL, event_id text NOT NULL,
    processed_at timestamptz(3) NOT NULL DEFAULT now(), PRIMARY KEY (consumer, event_id))`);
  await pool.query('CREATE TABLE effects (id serial PRIMARY KEY, event_id text NOT NULL)');
  admin = await amqp.connect(AMQP);
  publisher = await admin.createConfirmChannel();
  await publisher.assertExchange(exchange, 'topic', { durable: true });
  broker = new AmqpBroker({ url: AMQP, exchange, logger, connectionName: 'consumer-test' });
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});

afterAll(async () => {
  await broker?.close();
  const channel = await admin.createChannel();
  for (const queue of declaredQueues) await channel.deleteQueue(queue).catch(() => undefined);
  await channel.deleteExchange(exchange).catch(() => undefined);
  await admin.close();
  await pool?.end();
  await db?.drop();
});

describe('idempotency', () => {
  it('the same event delivered twice (even at the same moment) has one effect', async () => {
    const metrics = new Metrics('test');
    const seen: string[] = [];
    const effect = recordEffect('dedupe');
    const consumer = await startConsumer({
      metrics,
      handler: async (e) => {
        seen.push(e.id);
        await effect(e);
      },
    });
    const e = event({ n: 1 });
    await Promise.all([publish(TYPE, e), publish(TYPE, e)]);
    await waitFor(() => seen.length === 2, 'both copies');
    // Both handlers have started, but the second may still wait on the first's inbox row: wait
    // until both were handled (counted and acked) before looking at the effect.
    const consumedTwice = new RegExp(
      `campus_consumer_consumed_total\\{queue="${escape(consumer.topology.main)}",type="${escape(TYPE)}"[^}]*\\} 2$`,
      'm',
    );
    await waitFor(
      async () => consumedTwice.test(await metrics.registry.getSingleMetricAsString('campus_consumer_consumed_total')),
      'both copies handled',
    );
    await waitFor(async () => (await queueDepth(consumer.topology.main)) === 0, 'the queue to drain');
    expect(await effectsOf(e.id)).toBe(1);
    const { rows } = await pool.query('SELECT 1 FROM inbox WHERE consumer = $1 AND event_id = $2', ['dedupe', e.id]);
    expect(rows).toHaveLength(1);
  });
});

describe('inbox retention', () => {
  it('prunes only entries older than the retention, in batches', async () => {
    const now = new Date('2026-06-30T12:00:00Z');
    await pool.query(
      `INSERT INTO inbox (consumer, event_id, processed_at)
       SELECT 'retention', 'old-' || n, $1::timestamptz - interval '31 days' FROM generate_series(1, 7) n
       UNION ALL SELECT 'retention', 'recent-' || n, $1::timestamptz - interval '29 days' FROM generate_series(1, 3) n`,
      [now],
    );
    const db = {
      $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await pool.query(query, values)).rowCount ?? 0,
    };
    const pruner = new InboxPruner({ db, logger, retentionMs: 30 * 86_400_000, batchSize: 3 });
    expect(await pruner.pruneOnce(now)).toBe(7);
    const { rows } = await pool.query<{ event_id: string }>(
      "SELECT event_id FROM inbox WHERE consumer = 'retention' ORDER BY event_id",
    );
    expect(rows.map((r) => r.event_id)).toEqual(['recent-1', 'recent-2', 'recent-3']);
    expect(await pruner.pruneOnce(now)).toBe(0);
  });
});

describe('failures', () => {
  it('retries with increasing delays, parks with the reason, and replay delivers', async () => {
    let failing = true;
    const attempts: Array<{ at: number; attempt: number }> = [];
    const effect = recordEffect('retry');
    const consumer = await startConsumer({
      retryDelaysMs: [100, 400, 800],
      handler: async (e, ctx: ConsumeContext) => {
        attempts.push({ at: Date.now(), attempt: ctx.attempt });
        if (failing) throw new Error('downstream unavailable');
        await effect(e);
      },
    });
    const e = event({ n: 2 });
    await publish(TYPE, e);
    const listing = await waitFor(async () => {
      const l = await listParked(await broker.connection(), consumer.topology.main);
      return l.total === 1 ? l : undefined;
    }, 'the event to be parked');

    expect(attempts.map((a) => a.attempt)).toEqual([0, 1, 2, 3]);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(90);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    expect(gaps[2]).toBeGreaterThanOrEqual(790);
    expect(listing.messages[0]).toMatchObject({
      eventId: e.id,
      type: TYPE,
      retryCount: 3,
      reason: 'Error: downstream unavailable',
      routingKey: TYPE,
    });
    // Listing takes nothing away.
    expect((await listParked(await broker.connection(), consumer.topology.main)).total).toBe(1);
    expect(await effectsOf(e.id)).toBe(0);

    failing = false;
    const result = await replayParked(await broker.connection(), consumer.topology.main, { ids: [e.id, 'not-there'] });
    expect(result.replayed.map((m) => m.eventId)).toEqual([e.id]);
    expect(result.notFound).toEqual(['not-there']);
    await waitFor(async () => (await effectsOf(e.id)) === 1, 'the replayed event to be handled');
    expect(attempts.at(-1)!.attempt).toBe(0); // a fresh retry budget
    expect(await queueDepth(consumer.topology.parked)).toBe(0);
  });

  it('a handler that fails a few times then succeeds is not parked', async () => {
    let calls = 0;
    const consumer = await startConsumer({
      retryDelaysMs: [50, 50, 50],
      handler: async () => {
        if (++calls <= 2) throw new Error('flaky');
      },
    });
    await publish(TYPE, event());
    await waitFor(() => calls === 3, 'the third attempt');
    await waitFor(async () => (await queueDepth(consumer.topology.main)) === 0, 'the queue to drain');
    expect(await queueDepth(consumer.topology.parked)).toBe(0);
  });

  it('parks malformed, invalid and unprocessable messages at once, without retrying', async () => {
    const handled: string[] = [];
    const consumer = await startConsumer({
      retryDelaysMs: [60_000],
      validate: (e) => (e.type.endsWith('.v1') ? [] : [`unknown event type ${e.type}`]),
      handler: async (e) => {
        handled.push(e.id);
        throw new UnprocessableEventError('references something that does not exist');
      },
    });
    await publish(TYPE, Buffer.from('{"specversion": "1.0", broken'));
    await publish(TYPE, Buffer.from(JSON.stringify({ specversion: '1.0', type: TYPE, data: {} })));
    const unknownVersion = { ...event(), type: 'campus.test.thing.happened.v9' };
    await publish(TYPE, unknownVersion);
    const unprocessable = event();
    await publish(TYPE, unprocessable);

    const listing = await waitFor(async () => {
      const l = await listParked(await broker.connection(), consumer.topology.main);
      return l.total === 4 ? l : undefined;
    }, 'four parked messages');
    expect(listing.messages.map((m) => [m.reason, m.retryCount])).toEqual([
      ['malformed: the body is not valid JSON', 0],
      ['malformed: id is missing', 0],
      ['invalid event: unknown event type campus.test.thing.happened.v9', 0],
      ['UnprocessableEventError: references something that does not exist', 0],
    ]);
    expect(handled).toEqual([unprocessable.id]);
    expect(await queueDepth(consumer.topology.retries[0]!)).toBe(0);
  });
});

describe('ops command', () => {
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
        [path.join(REPO_ROOT, 'scripts', 'dead-letters.ts'), ...args],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, AMQP_URL: AMQP },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });

  it('lists parked messages without losing them and replays one by id', async () => {
    let failing = true;
    const effect = recordEffect('ops');
    const consumer = await startConsumer({
      retryDelaysMs: [50],
      handler: async (e) => {
        if (failing) throw new Error('identity is down');
        await effect(e);
      },
    });
    const e = event({ n: 3 });
    await publish(TYPE, e);
    await waitFor(async () => (await queueDepth(consumer.topology.parked)) === 1, 'the event to be parked');

    const listed = await run('list', consumer.topology.main);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${consumer.topology.parked}: 1 parked message(s)`);
    expect(listed.stdout).toContain(e.id);
    expect(listed.stdout).toContain('Error: identity is down');
    expect(await queueDepth(consumer.topology.parked)).toBe(1);

    expect((await run('replay', consumer.topology.main)).code).toBe(64); // needs --id or --all
    failing = false;
    const replayed = await run('replay', consumer.topology.parked, '--id', e.id);
    expect(replayed.stdout).toContain(`replayed ${e.id}`);
    expect(replayed.code).toBe(0);
    await waitFor(async () => (await effectsOf(e.id)) === 1, 'the replayed event to be handled');
  }, 180_000); // three runs of the real command (tsx compiles it each time): slow on a loaded machine
});

describe('trace context', () => {
  it('continues the producer’s trace in a consumer span', async () => {
    const { exporter, stop: stopTracing } = startTestTracing();
    try {
      const producerTraceId = randomBytes(16).toString('hex');
      const producerSpanId = randomBytes(8).toString('hex');
      let activeTraceId: string | undefined;
      await startConsumer({
        handler: async () => {
          activeTraceId = trace.getActiveSpan()?.spanContext().traceId; // what every log line carries
        },
      });
      await publish(TYPE, event(), { traceparent: `00-${producerTraceId}-${producerSpanId}-01` });
      await waitFor(() => activeTraceId, 'the handler');
      expect(activeTraceId).toBe(producerTraceId);
      const span = await waitFor(
        () => exporter.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER),
        'the consumer span',
      );
      expect(span.spanContext().traceId).toBe(producerTraceId);
      expect(span.parentSpanContext?.spanId).toBe(producerSpanId);
      expect(span.attributes['cloudevents.event_type']).toBe(TYPE);
    } finally {
      await stopTracing();
    }
  });
});

describe('flow control', () => {
  it('owns a durable queue and holds at most `prefetch` unacknowledged messages at a time', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const done: string[] = [];
    const consumer = await startConsumer({
      prefetch: 3,
      handler: async (e) => {
        started.push(e.id);
        await gate;
        done.push(e.id);
      },
    });
    const { main } = consumer.topology;
    // Redeclaring it as durable succeeds only if it is durable (else 406 PRECONDITION_FAILED).
    const channel = await admin.createChannel();
    await channel.assertQueue(main, { durable: true });
    await channel.close();

    const events = Array.from({ length: 10 }, (_, n) => event({ n }));
    for (const e of events) await publish(TYPE, e);
    await waitFor(() => started.length === 3, 'three handlers to start');
    await waitFor(async () => (await queueDepth(main)) === 7, 'the other seven to wait in the queue');
    await new Promise((r) => setTimeout(r, 300));
    expect(started).toHaveLength(3); // nothing more is delivered until one is acknowledged
    expect(done).toHaveLength(0);

    release();
    await waitFor(() => done.length === events.length, 'every event to be handled');
    expect(new Set(done)).toEqual(new Set(events.map((e) => e.id)));
    await waitFor(async () => (await queueDepth(main)) === 0, 'the queue to drain');
  });

  it('acks only after the handler finished: a message in progress when the connection dies is redelivered', async () => {
    const proxy = await new TcpProxy(Number(new URL(AMQP).port || 5672), new URL(AMQP).hostname).start();
    const url = new URL(AMQP);
    url.port = String(proxy.port);
    const flaky = new AmqpBroker({ url: url.toString(), exchange, logger, connectionName: 'consumer-test-ack' });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: ConsumeContext[] = [];
    try {
      const queue = `test.consumer.${suffix}.ack`;
      const consumer = new EventConsumer({
        broker: flaky,
        queue,
        bindings: [TYPE],
        logger,
        handler: async (_e, ctx) => {
          calls.push(ctx);
          if (calls.length === 1) await gate; // the first delivery is still being handled when the connection dies
        },
      });
      declaredQueues.push(...Object.values(consumerQueues(queue)).flat());
      consumers.push(consumer);
      consumer.start();
      await consumer.waitUntilConsuming();

      await publish(TYPE, event());
      await waitFor(() => calls.length === 1, 'the first delivery');
      proxy.cut(); // a crash, as far as the broker can tell: the message was never acknowledged
      proxy.restore();
      await waitFor(() => calls.length === 2, 'the redelivery', 20_000);
      expect(calls[1]).toMatchObject({ redelivered: true, attempt: 0 });
      await waitFor(async () => (await queueDepth(queue)) === 0, 'the queue to drain');
    } finally {
      release();
      await Promise.all(consumers.splice(0).map((c) => c.stop()));
      await flaky.close();
      await proxy.stop();
    }
  });
});

describe('connection loss', () => {
  it('re-subscribes when the connection drops and comes back', async () => {
    const proxy = await new TcpProxy(Number(new URL(AMQP).port || 5672), new URL(AMQP).hostname).start();
    const url = new URL(AMQP);
    url.port = String(proxy.port);
    const flaky = new AmqpBroker({ url: url.toString(), exchange, logger, connectionName: 'consumer-test-flaky' });
    const handled: string[] = [];
    try {
      const queue = `test.consumer.${suffix}.flaky`;
      const consumer = new EventConsumer({
        broker: flaky,
        queue,
        bindings: [TYPE],
        logger,
        handler: async (e) => void handled.push(e.id),
      });
      declaredQueues.push(...Object.values(consumerQueues(queue)).flat());
      consumers.push(consumer);
      consumer.start();
      await consumer.waitUntilConsuming();

      proxy.cut();
      await waitFor(() => {
        try {
          consumer.check();
          return false;
        } catch {
          return true;
        }
      }, 'the subscription to notice the outage');
      const during = event({ while: 'down' });
      await publish(TYPE, during); // the durable queue keeps it
      proxy.restore();
      await consumer.waitUntilConsuming(15_000);
      await waitFor(() => handled.includes(during.id), 'the event published during the outage');
      const after = event({ while: 'up' });
      await publish(TYPE, after);
      await waitFor(() => handled.includes(after.id), 'an event published after reconnecting');
    } finally {
      await Promise.all(consumers.splice(0).map((c) => c.stop()));
      await flaky.close();
      await proxy.stop();
    }
  });
});
