import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { SpanKind, SpanStatusCode, context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { AmqpBroker } from './broker';
import { ResilientSubscription, type ActiveSubscription } from './subscription';
import { messageContext, messagingTracer, traceHeaders } from './tracing';

export interface BroadcastOptions<T> {
  broker: AmqpBroker;
  /** A fanout exchange of its own (never the domain events exchange). */
  exchange: string;
  logger: Logger;
  /**
   * Called on every instance for every message, including the publishing instance's own, inside a
   * consumer span that continues the publisher's trace (what it does, e.g. a live push, is traced).
   */
  onMessage: (message: T) => void;
}

/**
 * Ephemeral fan-out between the instances of one service (e.g. "push this to whoever holds the
 * user's live connection"). Every instance binds an exclusive, auto-delete queue to a fanout
 * exchange, so each message reaches each running instance exactly once; nothing is persisted and
 * a message published while an instance is disconnected is not delivered to it. Use it only for
 * signals whose loss is tolerable because the durable state lives elsewhere.
 */
export class Broadcast<T> {
  private readonly subscription: ResilientSubscription<ConfirmChannel>;

  constructor(private readonly options: BroadcastOptions<T>) {
    this.subscription = new ResilientSubscription<ConfirmChannel>({
      broker: options.broker,
      name: `broadcast ${options.exchange}`,
      logger: options.logger,
      setup: (model) => this.setup(model),
    });
  }

  start(): void {
    this.subscription.start();
  }

  waitUntilSubscribed(timeoutMs?: number): Promise<void> {
    return this.subscription.waitUntilActive(timeoutMs);
  }

  check(): void {
    this.subscription.check();
  }

  /**
   * Sends to every instance; resolves when the broker accepted it. Throws while disconnected. The
   * message carries the current trace context, so each instance's handling joins this trace.
   */
  async publish(message: T): Promise<void> {
    const channel = this.subscription.active?.channel;
    if (!channel) throw new Error(`broadcast ${this.options.exchange}: not connected`);
    await new Promise<void>((resolve, reject) => {
      channel.publish(
        this.options.exchange,
        '',
        Buffer.from(JSON.stringify(message)),
        { persistent: false, contentType: 'application/json', headers: traceHeaders() },
        (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
      );
    });
  }

  async stop(): Promise<void> {
    const channel = await this.subscription.stop();
    await channel?.close().catch(() => undefined);
  }

  private async setup(model: ChannelModel): Promise<ActiveSubscription<ConfirmChannel>> {
    const channel = await model.createConfirmChannel();
    try {
      await channel.assertExchange(this.options.exchange, 'fanout', { durable: true });
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
      await channel.bindQueue(queue, this.options.exchange, '');
      const { consumerTag } = await channel.consume(
        queue,
        (msg) => {
          if (!msg) {
            channel.close().catch(() => undefined);
            return;
          }
          this.receive(msg);
        },
        { noAck: true }, // ephemeral by design: nothing to redeliver
      );
      this.options.logger.info({ exchange: this.options.exchange, queue }, 'broadcast subscribed');
      return { channel, consumerTag };
    } catch (error) {
      await channel.close().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Hands one message to the listener in a `<exchange> process` span. Parent, not link: the
   * publishing work (e.g. storing a notification from a consumed event) is this delivery's one
   * cause, and as its child what the listener does — the push to a live stream — ends the same
   * trace as the user's action that started it. Every instance's delivery is a sibling under the
   * one publish.
   */
  private receive(msg: ConsumeMessage): void {
    const { exchange, logger } = this.options;
    context.with(messageContext(msg.properties.headers), () =>
      messagingTracer.startActiveSpan(
        `${exchange} process`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'rabbitmq',
            'messaging.operation': 'process',
            'messaging.destination.name': exchange,
          },
        },
        (span) => {
          try {
            let message: T;
            try {
              message = JSON.parse(msg.content.toString('utf8')) as T;
            } catch (error) {
              span.setStatus({ code: SpanStatusCode.ERROR, message: 'not JSON' });
              logger.warn({ err: error, exchange }, 'broadcast message is not JSON; dropped');
              return;
            }
            try {
              this.options.onMessage(message);
            } catch (error) {
              span.recordException(error instanceof Error ? error : new Error(String(error)));
              span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error)?.message ?? error) });
              logger.error({ err: error, exchange }, 'broadcast listener failed');
            }
          } finally {
            span.end();
          }
        },
      ),
    );
  }
}
