import type { Channel, ConfirmChannel, MessageProperties, Options } from 'amqplib';

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

/**
 * A consumer's durable main queue and the routing keys bound to it on the campus exchange. Both the
 * consumer and every producer declare it (`declareEventQueue`): RabbitMQ confirms a message that
 * matched no queue and forgets it, so a producer that published before the consumer had ever
 * declared and bound its queue (a fresh deployment, a deleted queue) would lose those events.
 */
export interface EventQueue {
  queue: string;
  /** Routing keys (event types, topic patterns allowed). */
  bindings: readonly string[];
}

/**
 * How every process declares a consumer's main queue. Whoever declares it first creates it, so the
 * consumer and the producers must declare it identically: RabbitMQ refuses a redeclaration with
 * other arguments (PRECONDITION_FAILED). Change it here only, together with a migration of the
 * existing queues.
 */
export const EVENT_QUEUE_OPTIONS: Readonly<Options.AssertQueue> = Object.freeze({ durable: true });

/** Declares the queue (EVENT_QUEUE_OPTIONS) and binds its routing keys on `exchange`; idempotent. */
export async function declareEventQueue(channel: Channel, exchange: string, eventQueue: EventQueue): Promise<void> {
  await channel.assertQueue(eventQueue.queue, { ...EVENT_QUEUE_OPTIONS });
  for (const key of eventQueue.bindings) await channel.bindQueue(eventQueue.queue, exchange, key);
}

/** The queue a consuming service reads campus events from, unless configured otherwise. */
export const defaultEventQueueName = (consumer: string): string => `${consumer}.events`;

/** What `eventQueuesFromContracts` reads of an event contract (@campus/contracts' EventContract). */
export interface ConsumedEventType {
  type: string;
  /** The services that consume it (the contract's x-consumers); empty when nobody does. */
  consumers: readonly string[];
}

/**
 * The campus's consumer queues from the event contracts: one queue per consuming service, bound to
 * exactly the types whose x-consumers name it (as the consumer binds them). Queue names default to
 * `<consumer>.events`; `queueNames` overrides them (e.g. NOTIFICATION_QUEUE, a test's own queue).
 * Types nobody consumes get no binding: they are confirmed and dropped by the broker, as intended.
 */
export function eventQueuesFromContracts(
  contracts: Iterable<ConsumedEventType>,
  queueNames: Readonly<Record<string, string>> = {},
): EventQueue[] {
  const byConsumer = new Map<string, string[]>();
  for (const { type, consumers } of contracts)
    for (const consumer of consumers) byConsumer.set(consumer, [...(byConsumer.get(consumer) ?? []), type]);
  return [...byConsumer.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([consumer, types]) => ({
      queue: queueNames[consumer] ?? defaultEventQueueName(consumer),
      bindings: [...new Set(types)].sort(),
    }));
}

/** Whether a topic-exchange binding key matches a routing key (`*` one word, `#` zero or more). */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const words = routingKey.split('.');
  const parts = pattern.split('.');
  const match = (p: number, w: number): boolean => {
    if (p === parts.length) return w === words.length;
    if (parts[p] === '#') return match(p + 1, w) || (w < words.length && match(p, w + 1));
    return w < words.length && (parts[p] === '*' || parts[p] === words[w]) && match(p + 1, w + 1);
  };
  return match(0, 0);
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
