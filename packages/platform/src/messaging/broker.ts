import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel, type Message, type Options } from 'amqplib';
import type { Logger } from 'pino';
import { declareEventQueue, topicMatches, type EventQueue } from './topology';

export interface BrokerOptions {
  url: string;
  /** Durable topic exchange all campus events go through. */
  exchange: string;
  logger: Logger;
  /** Shown in the RabbitMQ management UI. */
  connectionName: string;
  /**
   * The consumer queues a producer makes sure exist, with their bindings, before it publishes
   * (e.g. `eventQueuesFromContracts(eventContracts().values(), …)`): declared on every new
   * connection, so events published before a consumer ever ran wait in its queue.
   */
  eventQueues?: readonly EventQueue[];
}

/** The broker returned a message that should have reached a consumer queue (see `publish`). */
export class UnroutedEventError extends Error {
  constructor(routingKey: string) {
    super(`${routingKey} reached no queue although a consumer queue binds it; queues are re-declared, retry`);
    this.name = 'UnroutedEventError';
  }
}

/**
 * One AMQP connection per process, opened lazily and re-opened on the next use after it drops.
 * Callers (outbox relay, consumers) own their retry/backoff; this class never retries by itself,
 * so a broker outage surfaces as a rejected promise instead of a hidden loop.
 *
 * A producer given `eventQueues` declares them on every new connection before publishing. An event
 * one of them binds is published `mandatory`: should it still reach no queue (someone deleted the
 * queue while this connection stayed open), the broker returns it, `publish` rejects (the outbox
 * keeps the row and retries it) and the queues are declared again before the next such publish.
 * Other events (types nobody consumes) are published as before: confirmed, and dropped by RabbitMQ.
 */
export class AmqpBroker {
  private model: ChannelModel | undefined;
  private connecting: Promise<ChannelModel> | undefined;
  private publishChannel: Promise<ConfirmChannel> | undefined;
  private closed = false;
  private readonly reconnectListeners = new Set<(model: ChannelModel) => void>();
  /** Message ids the broker returned as unroutable, until their confirm arrives (it comes after). */
  private readonly returned = new Set<string>();
  /** A bound event came back unrouted: declare the event queues again before the next one. */
  private eventQueuesLost = false;
  private redeclaring: Promise<void> | undefined;
  private readonly boundKeys = new Map<string, boolean>();

  constructor(readonly options: BrokerOptions) {}

  get exchange(): string {
    return this.options.exchange;
  }

  get connected(): boolean {
    return !!this.model;
  }

  /** The open connection, connecting if needed (exchange asserted on every new connection). */
  async connection(): Promise<ChannelModel> {
    if (this.closed) throw new Error('broker closed');
    if (this.model) return this.model;
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<ChannelModel> {
    const model = await amqp.connect(this.options.url, {
      clientProperties: { connection_name: this.options.connectionName },
      timeout: 3_000,
    });
    model.on('error', (err: Error) => this.options.logger.warn({ err }, 'AMQP connection error'));
    model.on('close', () => {
      if (this.model === model) {
        this.model = undefined;
        this.publishChannel = undefined;
        if (!this.closed) this.options.logger.warn('AMQP connection closed');
      }
    });
    try {
      const setup = await model.createChannel();
      await setup.assertExchange(this.options.exchange, 'topic', { durable: true });
      await setup.close();
      await this.declareEventQueues(model);
    } catch (error) {
      // e.g. PRECONDITION_FAILED: a queue declared elsewhere with other arguments
      await model.close().catch(() => undefined);
      throw error;
    }
    this.model = model;
    this.options.logger.info({ exchange: this.options.exchange }, 'AMQP connected');
    for (const listener of this.reconnectListeners) listener(model);
    return model;
  }

  /** Declares the event queues and their bindings (idempotent); nothing when there are none. */
  private async declareEventQueues(model: ChannelModel): Promise<void> {
    const queues = this.options.eventQueues ?? [];
    if (!queues.length) return;
    const channel = await model.createChannel();
    channel.on('error', () => undefined); // a refused declaration rejects below; the channel closes
    for (const queue of queues) await declareEventQueue(channel, this.options.exchange, queue);
    await channel.close().catch(() => undefined);
    this.eventQueuesLost = false;
  }

  private redeclareEventQueues(): Promise<void> {
    this.redeclaring ??= this.connection()
      .then((model) => this.declareEventQueues(model))
      .finally(() => {
        this.redeclaring = undefined;
      });
    return this.redeclaring;
  }

  /** Whether one of the event queues binds this routing key (then it must reach a queue). */
  private bound(routingKey: string): boolean {
    let bound = this.boundKeys.get(routingKey); // a few dozen event types: asked once each
    if (bound === undefined) {
      bound = (this.options.eventQueues ?? []).some((queue) =>
        queue.bindings.some((pattern) => topicMatches(pattern, routingKey)),
      );
      this.boundKeys.set(routingKey, bound);
    }
    return bound;
  }

  /** Called with every new connection (consumers re-subscribe here). */
  onConnect(listener: (model: ChannelModel) => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  private async confirmChannel(): Promise<ConfirmChannel> {
    this.publishChannel ??= this.connection()
      .then((model) => model.createConfirmChannel())
      .then((channel) => {
        channel.on('error', () => undefined);
        channel.on('return', (msg: Message) => {
          const id: unknown = msg.properties.messageId;
          if (typeof id === 'string') this.returned.add(id);
        });
        channel.on('close', () => {
          this.publishChannel = undefined;
        });
        return channel;
      })
      .catch((error: unknown) => {
        this.publishChannel = undefined;
        throw error;
      });
    return this.publishChannel;
  }

  /**
   * Publishes to the campus exchange and resolves only when the broker confirmed the message; for an
   * event an event queue binds, only when it also reached a queue (else UnroutedEventError).
   */
  async publish(routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
    const mustRoute = this.bound(routingKey);
    if (mustRoute && this.eventQueuesLost) await this.redeclareEventQueues();
    const channel = await this.confirmChannel();
    // The return (before the confirm) names the message by its id: give one if the caller did not.
    const messageId = mustRoute ? (options.messageId ?? randomUUID()) : undefined;
    const publishOptions: Options.Publish = {
      persistent: true,
      ...options,
      ...(messageId !== undefined ? { mandatory: true, messageId } : {}),
    };
    await new Promise<void>((resolve, reject) => {
      channel.publish(this.options.exchange, routingKey, content, publishOptions, (err: unknown) => {
        const returned = messageId !== undefined && this.returned.delete(messageId);
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else if (returned) {
          this.eventQueuesLost = true;
          this.options.logger.warn({ routingKey, messageId }, 'event reached no consumer queue; re-declaring them');
          reject(new UnroutedEventError(routingKey));
        } else resolve();
      });
    });
  }

  /** Readiness: the broker is reachable. */
  async check(): Promise<void> {
    await this.connection();
  }

  async close(): Promise<void> {
    this.closed = true;
    const model = this.model;
    this.model = undefined;
    await model?.close().catch(() => undefined);
  }
}
