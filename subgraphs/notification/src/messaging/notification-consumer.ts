import { validateEvent } from '@campus/contracts';
import { EventConsumer, type AmqpBroker, type Logger, type Metrics } from '@campus/platform';
import type { EventNotifier } from '../services/notifier.service';

export interface NotificationConsumerOptions {
  broker: AmqpBroker;
  queue: string;
  prefetch: number;
  retryDelaysMs: number[];
  notifier: EventNotifier;
  logger: Logger;
  metrics?: Metrics;
}

/**
 * The service's reliable consumer: bound to exactly the event types the rules table knows, every
 * event checked against its published JSON Schema (an unknown type or version is parked at once).
 */
export function createNotificationConsumer(options: NotificationConsumerOptions): EventConsumer {
  const { notifier } = options;
  return new EventConsumer({
    broker: options.broker,
    queue: options.queue,
    bindings: notifier.eventTypes,
    prefetch: options.prefetch,
    retryDelaysMs: options.retryDelaysMs,
    validate: (event) => validateEvent(event).errors,
    handler: async (event, ctx) => {
      await notifier.handle(event, ctx.logger);
    },
    logger: options.logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
}
