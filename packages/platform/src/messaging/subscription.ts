import type { Channel, ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { AmqpBroker } from './broker';

/** What a subscription's setup returns: the channel it consumes on and the consumer tag. */
export interface ActiveSubscription<C extends Channel = Channel> {
  channel: C;
  consumerTag: string;
}

export interface ResilientSubscriptionOptions<C extends Channel> {
  broker: AmqpBroker;
  /** For logs, e.g. the queue name. */
  name: string;
  logger: Logger;
  /** Opens a channel on `model`, declares the topology and starts consuming. */
  setup: (model: ChannelModel) => Promise<ActiveSubscription<C>>;
  /** Upper bound of the back-off between attempts while the broker is unreachable. */
  maxBackoffMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps one consumer subscribed for the life of the process. The broker connection is lazy and is
 * never re-opened by itself, so this class does it: whenever the channel closes (connection lost,
 * channel error, consumer cancelled by the server) it reconnects with exponential back-off and runs
 * `setup` again. It also re-subscribes when someone else re-opened the connection (broker.onConnect).
 */
export class ResilientSubscription<C extends Channel = Channel> {
  private current: (ActiveSubscription<C> & { model: ChannelModel }) | undefined;
  private subscribing: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = true;
  private unlisten: (() => void) | undefined;

  constructor(private readonly options: ResilientSubscriptionOptions<C>) {}

  /** The channel currently consuming, if any. */
  get active(): ActiveSubscription<C> | undefined {
    return this.current;
  }

  /** Starts subscribing in the background; a broker outage is retried, never thrown. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unlisten = this.options.broker.onConnect((model) => {
      this.subscribe(model).catch((error: unknown) => this.failed(error));
    });
    void this.connectAndSubscribe();
  }

  /** Resolves once consuming (for tests and start-up ordering); rejects after `timeoutMs`. */
  async waitUntilActive(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.current) {
      if (Date.now() > deadline) throw new Error(`${this.options.name}: not subscribed within ${timeoutMs} ms`);
      await sleep(25);
    }
  }

  /** Readiness: throws unless consuming. */
  check(): void {
    if (!this.current) throw new Error(`${this.options.name}: not subscribed`);
  }

  /** Cancels the consumer (no new deliveries); returns the channel so the caller can drain, then close it. */
  async stop(): Promise<C | undefined> {
    this.stopped = true;
    this.unlisten?.();
    clearTimeout(this.retryTimer);
    await this.subscribing?.catch(() => undefined);
    const current = this.current;
    this.current = undefined;
    if (current) await current.channel.cancel(current.consumerTag).catch(() => undefined);
    return current?.channel;
  }

  private async connectAndSubscribe(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.subscribe(await this.options.broker.connection());
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    this.failures++;
    const delay = Math.min(this.options.maxBackoffMs ?? 10_000, 250 * 2 ** (this.failures - 1));
    this.options.logger.warn(
      { err: error, subscription: this.options.name, retryInMs: delay },
      'AMQP subscription failed; will retry',
    );
    this.scheduleRetry(delay);
  }

  private scheduleRetry(delay: number): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connectAndSubscribe();
    }, delay);
  }

  /** Idempotent per connection: a second call while subscribed (or subscribing) does nothing. */
  private subscribe(model: ChannelModel): Promise<void> {
    if (this.stopped || (this.current && this.current.model === model)) return Promise.resolve();
    this.subscribing ??= this.open(model).finally(() => {
      this.subscribing = undefined;
    });
    return this.subscribing;
  }

  private async open(model: ChannelModel): Promise<void> {
    const subscription = await this.options.setup(model);
    const { channel } = subscription;
    channel.on('error', (error: Error) =>
      this.options.logger.warn({ err: error, subscription: this.options.name }, 'AMQP channel error'),
    );
    channel.on('close', () => {
      if (this.current?.channel !== channel) return;
      this.current = undefined;
      if (this.stopped) return;
      this.options.logger.warn({ subscription: this.options.name }, 'AMQP subscription lost; reconnecting');
      this.scheduleRetry(0);
    });
    if (this.stopped) {
      await channel.close().catch(() => undefined);
      return;
    }
    this.current = { ...subscription, model };
    if (this.failures > 0) this.options.logger.info({ subscription: this.options.name }, 'AMQP subscription restored');
    this.failures = 0;
  }
}
