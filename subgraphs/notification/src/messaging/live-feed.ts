import { Broadcast, type AmqpBroker, type Logger } from '@campus/platform';
import type { StoredNotification } from '../domain/notification';
import type { LivePublisher } from '../services/ports';

/** A stored notification on the wire between instances (dates as ISO strings). */
interface LiveNotification extends Omit<StoredNotification, 'createdAt' | 'readAt'> {
  createdAt: string;
  readAt: string | null;
}

export interface LiveMessage {
  notifications: LiveNotification[];
}

export interface LiveFeedOptions {
  broker: AmqpBroker;
  /** Fanout exchange shared by the instances (not the domain events exchange). */
  exchange: string;
  logger: Logger;
  /** Pushes one notification to this instance's connected clients of its user. */
  deliver: (notification: StoredNotification) => void;
}

/**
 * Live fan-out between notification instances. Whichever instance stored a notification publishes
 * it here after the commit; every instance (the publisher included) receives it once and pushes it
 * to the streams it holds for that user. Streams are pushed to only from here, so a client gets
 * exactly one copy however many instances run and whichever one consumed the event.
 */
export class LiveFeed implements LivePublisher {
  private readonly broadcast: Broadcast<LiveMessage>;

  constructor(private readonly options: LiveFeedOptions) {
    this.broadcast = new Broadcast<LiveMessage>({
      broker: options.broker,
      exchange: options.exchange,
      logger: options.logger,
      onMessage: (message) => this.receive(message),
    });
  }

  start(): void {
    this.broadcast.start();
  }

  waitUntilSubscribed(timeoutMs?: number): Promise<void> {
    return this.broadcast.waitUntilSubscribed(timeoutMs);
  }

  check(): void {
    this.broadcast.check();
  }

  stop(): Promise<void> {
    return this.broadcast.stop();
  }

  async publish(notifications: StoredNotification[]): Promise<void> {
    if (!notifications.length) return;
    await this.broadcast.publish({
      notifications: notifications.map((n) => ({
        ...n,
        createdAt: n.createdAt.toISOString(),
        readAt: n.readAt?.toISOString() ?? null,
      })),
    });
  }

  private receive(message: LiveMessage): void {
    if (!Array.isArray(message?.notifications)) {
      this.options.logger.warn('live message without notifications; dropped');
      return;
    }
    for (const n of message.notifications) {
      this.options.deliver({ ...n, createdAt: new Date(n.createdAt), readAt: n.readAt ? new Date(n.readAt) : null });
    }
  }
}
