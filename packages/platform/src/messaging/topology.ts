import type { ConfirmChannel, MessageProperties, Options } from 'amqplib';

/**
 * The queues of one consumer and the headers a message carries as it moves between them, shared
 * by the consumer (retry, park) and the operator tools (list, replay). See consumer.ts for the
 * picture.
 */

export const RETRY_COUNT_HEADER = 'x-retry-count';
export const LAST_ERROR_HEADER = 'x-last-error';
export const FAILURE_REASON_HEADER = 'x-failure-reason';
export const PARKED_AT_HEADER = 'x-parked-at';
/** The event's routing key when it first arrived (retries arrive with the queue name instead). */
export const ORIGINAL_ROUTING_KEY_HEADER = 'x-original-routing-key';
/** When an operator moved the message from the parking queue back to the main queue. */
export const REPLAYED_AT_HEADER = 'x-replayed-at';

export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000];

/** Names of the queues that make up one consumer. */
export interface ConsumerQueues {
  main: string;
  /** One per retry step, in order. Named after the delay, so changing the delays never clashes
   * with a queue declared earlier with another TTL (RabbitMQ refuses to redeclare arguments). */
  retries: string[];
  parked: string;
}

export function consumerQueues(
  queue: string,
  retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
): ConsumerQueues {
  return { main: queue, retries: retryDelaysMs.map((ms) => `${queue}.retry.${ms}ms`), parked: parkedQueueName(queue) };
}

export const parkedQueueName = (queue: string): string => `${queue}.parked`;

/** Accepts the consumer's queue ("notification.events") or its parking queue ("….parked"). */
export function parkingQueues(queue: string): { main: string; parked: string } {
  const main = queue.endsWith('.parked') ? queue.slice(0, -'.parked'.length) : queue;
  return { main, parked: parkedQueueName(main) };
}

/** Headers RabbitMQ adds on dead-lettering; our own x-retry-count already tracks attempts. */
const BROKER_DEATH_HEADERS = [
  'x-death',
  'x-first-death-exchange',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-last-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
];

/** A count header's value: a non-negative integer, 0 when absent or garbled. */
export function headerInt(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/** Headers of a republished copy: the original ones minus the broker's dead-letter bookkeeping. */
export function carriedHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...(headers ?? {}) };
  for (const name of BROKER_DEATH_HEADERS) delete copy[name];
  return copy;
}

/** Publish options that keep a message's identity when it is moved between queues. */
export function carriedProperties(properties: MessageProperties, headers: Record<string, unknown>): Options.Publish {
  return {
    persistent: true,
    headers,
    ...(properties.messageId !== undefined ? { messageId: properties.messageId as string } : {}),
    ...(properties.type !== undefined ? { type: properties.type as string } : {}),
    ...(properties.contentType !== undefined ? { contentType: properties.contentType as string } : {}),
    ...(properties.contentEncoding !== undefined ? { contentEncoding: properties.contentEncoding as string } : {}),
    ...(properties.timestamp !== undefined ? { timestamp: properties.timestamp as number } : {}),
    ...(properties.correlationId !== undefined ? { correlationId: properties.correlationId as string } : {}),
    ...(properties.appId !== undefined ? { appId: properties.appId as string } : {}),
  };
}

/** Publishes to a queue through the default exchange and resolves when the broker confirmed it. */
export function sendConfirmed(
  channel: ConfirmChannel,
  queue: string,
  content: Buffer,
  options: Options.Publish,
): Promise<void> {
  return new Promise((resolve, reject) => {
    channel.sendToQueue(queue, content, options, (err: unknown) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(),
    );
  });
}
