import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { Metrics } from '../metrics';
import type { AmqpBroker } from './broker';
import { parseCloudEvent, type CloudEvent } from './cloudevents';
import { ResilientSubscription, type ActiveSubscription } from './subscription';
import { messageContext, messagingTracer } from './tracing';
import {
  DEFAULT_RETRY_DELAYS_MS,
  FAILURE_REASON_HEADER,
  LAST_ERROR_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
  PARKED_AT_HEADER,
  RETRY_COUNT_HEADER,
  carriedHeaders,
  carriedProperties,
  consumerQueues,
  declareEventQueue,
  headerInt,
  sendConfirmed,
  type ConsumerQueues,
} from './topology';

/**
 * Reliable consumption of campus events, the same for every consumer (business rules live in the
 * handler). Topology for a consumer queue Q on the campus topic exchange:
 *
 *   campus.events ──(bindings)──▶ Q ──handler fails──▶ Q.retry.<delay>ms ──TTL expires──▶ Q
 *                                  │                     (one queue per delay step)
 *                                  └──malformed / retries exhausted──▶ Q.parked (an operator lists
 *                                                                      and replays it)
 *
 * Q itself is declared with `declareEventQueue`, as every producer declares it (see topology.ts),
 * so events published before this consumer first ran are already waiting in Q.
 *
 * Manual ack with a bounded prefetch. A failed message is republished (publisher confirms) to the
 * next retry queue with `x-retry-count` and `x-last-error`, and only then is the original acked, so
 * a crash in between duplicates (harmless: handlers are idempotent through the inbox) but never
 * loses a message. The retry queues dead-letter back to Q through the default exchange.
 */

export const DEFAULT_PREFETCH = 16;

export interface ConsumeContext {
  /** 0 on the first delivery, n on the n-th retry. */
  attempt: number;
  /** The broker redelivered it (an earlier attempt was not acknowledged, e.g. a crash). */
  redelivered: boolean;
  /** Carries the event id and type; lines carry the producer's trace id. */
  logger: Logger;
}

export type EventHandler = (event: CloudEvent, ctx: ConsumeContext) => Promise<void>;

export interface EventConsumerOptions {
  broker: AmqpBroker;
  /** Durable queue owned by this consumer (one per consuming service and purpose). */
  queue: string;
  /** Routing keys (event types, topic patterns allowed) bound on the broker's exchange. */
  bindings: readonly string[];
  handler: EventHandler;
  /** Unacknowledged messages in flight at once (default 16). */
  prefetch?: number;
  /** Delay before each retry; after the last one the message is parked (default 1 s, 5 s, 30 s). */
  retryDelaysMs?: readonly number[];
  /** Contract check (e.g. contracts' validateEvent); problems park the message without retries. */
  validate?: (event: CloudEvent) => readonly string[];
  logger: Logger;
  metrics?: Metrics;
}

/** Thrown by a handler when retrying cannot help: the message is parked at once with this reason. */
export class UnprocessableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnprocessableEventError';
  }
}

const MAX_HEADER_TEXT = 500;

function messageText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_HEADER_TEXT);
}

/** Labelled counters shared by every consumer of a process (prom-client refuses duplicates). */
function sharedCounter(metrics: Metrics, name: string, help: string): Counter<string> {
  return (
    (metrics.registry.getSingleMetric(name) as Counter<string> | undefined) ??
    metrics.counter(name, help, ['queue', 'type'])
  );
}

/**
 * A reliable, idempotency-friendly consumer of CloudEvents. See the module comment for the
 * topology. The handler must be idempotent (use `withInbox`): delivery is at least once.
 */
export class EventConsumer {
  private readonly queues: ConsumerQueues;
  private readonly retryDelaysMs: readonly number[];
  private readonly subscription: ResilientSubscription<ConfirmChannel>;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly consumed: Counter<string> | undefined;
  private readonly failed: Counter<string> | undefined;
  private readonly parked: Counter<string> | undefined;

  constructor(private readonly options: EventConsumerOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    if (this.retryDelaysMs.some((ms) => !Number.isInteger(ms) || ms <= 0))
      throw new Error('retry delays must be positive integers (ms)');
    this.queues = consumerQueues(options.queue, this.retryDelaysMs);
    const { metrics } = options;
    if (metrics) {
      this.consumed = sharedCounter(
        metrics,
        'campus_consumer_consumed_total',
        'Events handled successfully, by queue and type',
      );
      this.failed = sharedCounter(
        metrics,
        'campus_consumer_failed_total',
        'Handler failures (each attempt), by queue and type',
      );
      this.parked = sharedCounter(
        metrics,
        'campus_consumer_parked_total',
        'Events parked for an operator, by queue and type',
      );
    }
    this.subscription = new ResilientSubscription<ConfirmChannel>({
      broker: options.broker,
      name: options.queue,
      logger: options.logger,
      setup: (model) => this.setup(model),
    });
  }

  get topology(): ConsumerQueues {
    return this.queues;
  }

  /** Starts consuming in the background (reconnecting as needed). */
  start(): void {
    this.subscription.start();
  }

  waitUntilConsuming(timeoutMs?: number): Promise<void> {
    return this.subscription.waitUntilActive(timeoutMs);
  }

  /** Readiness check: throws unless subscribed. */
  check(): void {
    this.subscription.check();
  }

  /** Stops taking messages, lets the ones in progress finish (and be acked), then closes. */
  async stop(): Promise<void> {
    const channel = await this.subscription.stop();
    await Promise.allSettled([...this.inFlight]);
    await channel?.close().catch(() => undefined);
  }

  private async setup(model: ChannelModel): Promise<ActiveSubscription<ConfirmChannel>> {
    const { broker, bindings } = this.options;
    const { main, retries, parked } = this.queues;
    const channel = await model.createConfirmChannel();
    try {
      // Declared as the producers declare it (they may have created it before this consumer ever ran).
      await declareEventQueue(channel, broker.exchange, { queue: main, bindings });
      for (const [i, name] of retries.entries()) {
        await channel.assertQueue(name, {
          durable: true,
          arguments: {
            'x-message-ttl': this.retryDelaysMs[i],
            'x-dead-letter-exchange': '',
            'x-dead-letter-routing-key': main,
          },
        });
      }
      await channel.assertQueue(parked, { durable: true });
      await channel.prefetch(this.options.prefetch ?? DEFAULT_PREFETCH);
      const { consumerTag } = await channel.consume(main, (msg) => {
        if (!msg) {
          // The server cancelled us (queue deleted): closing makes the subscription re-declare it.
          channel.close().catch(() => undefined);
          return;
        }
        const work = this.handle(channel, msg);
        this.inFlight.add(work);
        void work.finally(() => this.inFlight.delete(work));
      });
      this.options.logger.info({ queue: main, bindings, retries, parked }, 'consuming events');
      return { channel, consumerTag };
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /** Never rejects: every outcome ends in ack (handled, retried, parked) or a requeue. */
  private async handle(channel: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    const headers = msg.properties.headers ?? {};
    const attempt = headerInt(headers[RETRY_COUNT_HEADER]);
    const parsed = parseCloudEvent(msg.content);
    if ('problem' in parsed) {
      await this.park(channel, msg, parsed.problem, 'unknown');
      return;
    }
    const { event } = parsed;
    const problems = this.options.validate?.(event) ?? [];
    if (problems.length) {
      await this.park(channel, msg, `invalid event: ${problems.join('; ')}`.slice(0, MAX_HEADER_TEXT), event.type);
      return;
    }

    // Parent, not link: a message is handled on its own, and its publish (the outbox relay's span
    // or the instrumentation's child of it, named by the headers) is its one cause. As a child the
    // handling — its log lines, its calls, what it publishes in turn — stays in the trace of the
    // action that produced the event, as one story. Retries and replays carry the trace headers
    // along (the instrumentation, when loaded, re-parents a retry under the failed attempt), so
    // every attempt stays in that trace.
    await context.with(messageContext(headers, event.traceparent), () =>
      messagingTracer.startActiveSpan(
        `${this.queues.main} process`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'rabbitmq',
            'messaging.operation': 'process',
            'messaging.destination.name': this.queues.main,
            'messaging.message.id': event.id,
            'cloudevents.event_type': event.type,
            'messaging.rabbitmq.retry_count': attempt,
          },
        },
        async (span) => {
          const logger = this.options.logger.child({
            queue: this.queues.main,
            eventId: event.id,
            eventType: event.type,
            attempt,
          });
          try {
            await this.options.handler(event, { attempt, redelivered: msg.fields.redelivered, logger });
            this.settle(channel, msg, logger);
            this.consumed?.inc({ queue: this.queues.main, type: event.type });
          } catch (error) {
            span.recordException(error instanceof Error ? error : new Error(String(error)));
            span.setStatus({ code: SpanStatusCode.ERROR, message: messageText(error) });
            this.failed?.inc({ queue: this.queues.main, type: event.type });
            const exhausted = attempt >= this.retryDelaysMs.length;
            if (error instanceof UnprocessableEventError || exhausted) {
              logger.error(
                { err: error },
                exhausted ? 'event handler failed; retries exhausted, parking' : 'event cannot be processed; parking',
              );
              await this.park(channel, msg, messageText(error), event.type);
            } else {
              logger.warn({ err: error, retryInMs: this.retryDelaysMs[attempt] }, 'event handler failed; will retry');
              await this.retry(channel, msg, attempt, error, logger);
            }
          } finally {
            span.end();
          }
        },
      ),
    );
  }

  private settle(channel: ConfirmChannel, msg: ConsumeMessage, logger: Logger): void {
    try {
      channel.ack(msg);
    } catch (error) {
      // The channel closed under us: the broker redelivers it, and the inbox makes that harmless.
      logger.warn({ err: error }, 'could not ack; the event will be redelivered');
    }
  }

  private originalRoutingKey(msg: ConsumeMessage): string {
    const given = msg.properties.headers?.[ORIGINAL_ROUTING_KEY_HEADER];
    return typeof given === 'string' ? given : msg.fields.routingKey;
  }

  private async retry(
    channel: ConfirmChannel,
    msg: ConsumeMessage,
    attempt: number,
    error: unknown,
    logger: Logger,
  ): Promise<void> {
    const headers = {
      ...carriedHeaders(msg.properties.headers),
      [RETRY_COUNT_HEADER]: attempt + 1,
      [LAST_ERROR_HEADER]: messageText(error),
      [ORIGINAL_ROUTING_KEY_HEADER]: this.originalRoutingKey(msg),
    };
    await this.moveTo(channel, msg, this.queues.retries[attempt]!, headers, logger);
  }

  private async park(channel: ConfirmChannel, msg: ConsumeMessage, reason: string, type: string): Promise<void> {
    const headers = {
      ...carriedHeaders(msg.properties.headers),
      [FAILURE_REASON_HEADER]: reason,
      [PARKED_AT_HEADER]: new Date().toISOString(),
      [ORIGINAL_ROUTING_KEY_HEADER]: this.originalRoutingKey(msg),
    };
    const logger = this.options.logger.child({
      queue: this.queues.main,
      messageId: msg.properties.messageId as unknown,
      eventType: type,
    });
    logger.warn({ reason, parkedIn: this.queues.parked }, 'event parked');
    this.parked?.inc({ queue: this.queues.main, type });
    await this.moveTo(channel, msg, this.queues.parked, headers, logger);
  }

  /** Confirmed copy into `queue`, then ack; if the copy fails the original goes back to the queue. */
  private async moveTo(
    channel: ConfirmChannel,
    msg: ConsumeMessage,
    queue: string,
    headers: Record<string, unknown>,
    logger: Logger,
  ): Promise<void> {
    try {
      await sendConfirmed(channel, queue, msg.content, carriedProperties(msg.properties, headers));
    } catch (error) {
      logger.warn({ err: error, target: queue }, 'could not move the event; it stays in the queue');
      try {
        channel.nack(msg, false, true);
      } catch {
        // channel gone: the broker requeues unacked messages by itself
      }
      return;
    }
    this.settle(channel, msg, logger);
  }
}
