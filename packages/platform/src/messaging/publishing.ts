import type pg from 'pg';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';
import type { Closers } from '../service';
import { AmqpBroker } from './broker';
import { OutboxRelay } from './outbox';
import type { EventQueue } from './topology';

export interface OutboxPublishingOptions {
  /** eventQueues: as `eventQueues` below (a subgraph's settings carry them, from NOTIFICATION_QUEUE). */
  amqp: { url: string; exchange: string; eventQueues?: readonly EventQueue[] };
  /** Shown in the RabbitMQ management UI: the service's name. */
  connectionName: string;
  pool: pg.Pool;
  logger: Logger;
  metrics: Metrics;
  /** Shutdown: the relay stops, then the broker connection closes. */
  closers: Closers;
  /**
   * The consumer queues (and bindings) to declare before publishing, so events wait for a consumer
   * that has not run yet: `eventQueuesFromContracts(eventContracts().values(), { notification: … })`.
   * Without them, an event published before its consumer first declared its queue is lost.
   */
  eventQueues?: readonly EventQueue[];
}

/**
 * A producing service's side of the transactional outbox: the broker connection and the relay that
 * publishes what its transactions wrote to `outbox`, started, with their closers registered.
 * Call `relay.notify()` after a commit that enqueued events to publish them at once.
 */
export function startOutboxPublishing(options: OutboxPublishingOptions): { broker: AmqpBroker; relay: OutboxRelay } {
  const { amqp, connectionName, pool, logger, metrics, closers } = options;
  const eventQueues = options.eventQueues ?? amqp.eventQueues;
  const broker = new AmqpBroker({
    url: amqp.url,
    exchange: amqp.exchange,
    logger,
    connectionName,
    ...(eventQueues ? { eventQueues } : {}),
  });
  closers.add(() => broker.close());
  const relay = new OutboxRelay({ pool, broker, logger, metrics });
  relay.start();
  closers.add(() => relay.stop());
  return { broker, relay };
}
