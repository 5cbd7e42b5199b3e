import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import type { Logger } from 'pino';

export interface BrokerOptions {
  url: string;
  /** Durable topic exchange all campus events go through. */
  exchange: string;
  logger: Logger;
  /** Shown in the RabbitMQ management UI. */
  connectionName: string;
}

/**
 * One AMQP connection per process, opened lazily and re-opened on the next use after it drops.
 * Callers (outbox relay, consumers) own their retry/backoff; this class never retries by itself,
 * so a broker outage surfaces as a rejected promise instead of a hidden loop.
 */
export class AmqpBroker {
  private model: ChannelModel | undefined;
  private connecting: Promise<ChannelModel> | undefined;
  private publishChannel: Promise<ConfirmChannel> | undefined;
  private closed = false;
  private readonly reconnectListeners = new Set<(model: ChannelModel) => void>();

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
    const setup = await model.createChannel();
    await setup.assertExchange(this.options.exchange, 'topic', { durable: true });
    await setup.close();
    this.model = model;
    this.options.logger.info({ exchange: this.options.exchange }, 'AMQP connected');
    for (const listener of this.reconnectListeners) listener(model);
    return model;
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

  /** Publishes to the campus exchange and resolves only when the broker confirmed the message. */
  async publish(routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
    const channel = await this.confirmChannel();
    await new Promise<void>((resolve, reject) => {
      channel.publish(this.options.exchange, routingKey, content, { persistent: true, ...options }, (err: unknown) =>
        err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
      );
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
