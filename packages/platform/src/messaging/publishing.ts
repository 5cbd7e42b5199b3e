import type pg from 'pg';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';
import type { Closers } from '../service';
import { AmqpBroker } from './broker';
import { OutboxRelay } from './outbox';

export interface OutboxPublishingOptions {
  amqp: { url: string; exchange: string };
  /** Shown in the RabbitMQ management UI: the service's name. */
  connectionName: string;
  pool: pg.Pool;
  logger: Logger;
  metrics: Metrics;
  /** Shutdown: the relay stops, then the broker connection closes. */
  closers: Closers;
}

/**
 * A producing service's side of the transactional outbox: the broker connection and the relay that
 * publishes what its transactions wrote to `outbox`, started, with their closers registered.
 * Call `relay.notify()` after a commit that enqueued events to publish them at once.
 */
export function startOutboxPublishing(options: OutboxPublishingOptions): { broker: AmqpBroker; relay: OutboxRelay } {
  const { amqp, connectionName, pool, logger, metrics, closers } = options;
  const broker = new AmqpBroker({ url: amqp.url, exchange: amqp.exchange, logger, connectionName });
  closers.add(() => broker.close());
  const relay = new OutboxRelay({ pool, broker, logger, metrics });
  relay.start();
  closers.add(() => relay.stop());
  return { broker, relay };
}
