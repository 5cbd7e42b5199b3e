// The broadcast between instances against real RabbitMQ: every instance gets each message once,
// and its listener runs in the publisher's trace.
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { SpanKind, context, trace } from '@opentelemetry/api';
import pino from 'pino';
import { waitFor } from '@campus/testkit';
import { AmqpBroker } from '../../src/messaging/broker';
import { Broadcast } from '../../src/messaging/broadcast';
import { startTestTracing, type TestTracing } from '../support/tracing';

jest.setTimeout(30_000);

const logger = pino({ level: 'silent' });
const AMQP = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const exchange = `campus.test.broadcast.${randomBytes(4).toString('hex')}`;

interface Seen {
  instance: number;
  text: string;
  traceId: string | undefined;
}

let tracing: TestTracing;
const brokers = [0, 1].map(
  () => new AmqpBroker({ url: AMQP, exchange: `${exchange}.events`, logger, connectionName: 'test' }),
);
const seen: Seen[] = [];
const instances = brokers.map(
  (broker, instance) =>
    new Broadcast<{ text: string }>({
      broker,
      exchange,
      logger,
      onMessage: ({ text }) => {
        seen.push({ instance, text, traceId: trace.getActiveSpan()?.spanContext().traceId });
      },
    }),
);

beforeAll(async () => {
  tracing = startTestTracing();
  for (const b of instances) b.start();
  await Promise.all(instances.map((b) => b.waitUntilSubscribed()));
});

afterAll(async () => {
  await Promise.all(instances.map((b) => b.stop()));
  const connection = await amqp.connect(AMQP);
  const channel = await connection.createChannel();
  await channel.deleteExchange(exchange);
  await channel.deleteExchange(`${exchange}.events`);
  await connection.close();
  await Promise.all(brokers.map((b) => b.close()));
  await tracing.stop();
});

it('reaches every instance once, each listener in a consumer span that continues the publisher’s trace', async () => {
  const publisher = trace.getTracer('test').startSpan('work that publishes');
  await context.with(trace.setSpan(context.active(), publisher), () => instances[0]!.publish({ text: 'hello' }));
  publisher.end();
  await waitFor(() => seen.length === 2, 'both instances');
  await new Promise((r) => setTimeout(r, 200)); // no second copy

  const { traceId, spanId } = publisher.spanContext();
  expect(seen.sort((a, b) => a.instance - b.instance)).toEqual([
    { instance: 0, text: 'hello', traceId },
    { instance: 1, text: 'hello', traceId },
  ]);
  const deliveries = tracing.exporter.getFinishedSpans().filter((s) => s.name === `${exchange} process`);
  expect(deliveries).toHaveLength(2);
  for (const span of deliveries) {
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe(spanId);
  }
});
