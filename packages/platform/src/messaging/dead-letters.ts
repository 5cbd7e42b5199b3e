import type { ChannelModel, GetMessage } from 'amqplib';
import {
  FAILURE_REASON_HEADER,
  LAST_ERROR_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
  PARKED_AT_HEADER,
  RETRY_COUNT_HEADER,
  carriedHeaders,
  carriedProperties,
  headerInt,
  parkingQueues,
  REPLAYED_AT_HEADER,
  sendConfirmed,
} from './topology';

/**
 * Operator tools for parked messages (`npm run dead-letters`). Listing fetches messages without
 * acknowledging them and hands them back, so nothing is lost; replaying moves them (publisher
 * confirms first, then ack) to the consumer's main queue with a fresh retry budget.
 */

export interface ParkedMessage {
  eventId: string;
  type: string;
  reason: string;
  retryCount: number;
  lastError: string | null;
  parkedAt: string | null;
  /** The event's routing key on the campus exchange. */
  routingKey: string | null;
  sizeBytes: number;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : null;

/** What an operator needs to see of one parked message; the body may be anything (it may be why it is parked). */
export function describeParked(msg: GetMessage): ParkedMessage {
  const headers = msg.properties.headers ?? {};
  let body: { id?: unknown; type?: unknown } = {};
  try {
    const parsed: unknown = JSON.parse(msg.content.toString('utf8'));
    if (parsed && typeof parsed === 'object') body = parsed as typeof body;
  } catch {
    // malformed body: fall back to the AMQP properties
  }
  return {
    eventId: text(msg.properties.messageId) ?? text(body.id) ?? '(none)',
    type: text(msg.properties.type) ?? text(body.type) ?? '(unknown)',
    reason: text(headers[FAILURE_REASON_HEADER]) ?? '(no reason recorded)',
    retryCount: headerInt(headers[RETRY_COUNT_HEADER]),
    lastError: text(headers[LAST_ERROR_HEADER]),
    parkedAt: text(headers[PARKED_AT_HEADER]),
    routingKey: text(headers[ORIGINAL_ROUTING_KEY_HEADER]),
    sizeBytes: msg.content.length,
  };
}

export interface ParkedListing {
  queue: string;
  /** Messages in the parking queue (may exceed the listed ones). */
  total: number;
  messages: ParkedMessage[];
}

/** Lists up to `limit` parked messages, oldest first, leaving every one of them in place. */
export async function listParked(model: ChannelModel, queue: string, limit = 100): Promise<ParkedListing> {
  const { parked } = parkingQueues(queue);
  const channel = await model.createChannel();
  try {
    const { messageCount } = await channel.checkQueue(parked);
    const messages: ParkedMessage[] = [];
    while (messages.length < Math.min(limit, messageCount)) {
      const msg = await channel.get(parked, { noAck: false });
      if (!msg) break;
      messages.push(describeParked(msg));
    }
    channel.nackAll(true); // hand every fetched message back, in its place
    return { queue: parked, total: messageCount, messages };
  } finally {
    await channel.close().catch(() => undefined);
  }
}

export type ReplaySelection = { all: true } | { ids: readonly string[] };

export interface ReplayResult {
  replayed: ParkedMessage[];
  /** Requested ids that were not in the parking queue. */
  notFound: string[];
  /** Messages left in the parking queue. */
  remaining: number;
}

/** Moves the selected parked messages back to the consumer's main queue. */
export async function replayParked(
  model: ChannelModel,
  queue: string,
  selection: ReplaySelection,
): Promise<ReplayResult> {
  const { main, parked } = parkingQueues(queue);
  const channel = await model.createConfirmChannel();
  try {
    await channel.checkQueue(main); // refuse to replay into a queue nobody declared
    const { messageCount } = await channel.checkQueue(parked);
    const wanted = 'ids' in selection ? new Set(selection.ids) : undefined;
    const replayed: ParkedMessage[] = [];
    // Bounded by the count at the start: a message parked again meanwhile is not picked up twice.
    for (let i = 0; i < messageCount; i++) {
      const msg = await channel.get(parked, { noAck: false });
      if (!msg) break;
      const info = describeParked(msg);
      if (wanted && !wanted.has(info.eventId)) continue; // stays unacked, handed back below
      const headers = carriedHeaders(msg.properties.headers);
      for (const name of [FAILURE_REASON_HEADER, PARKED_AT_HEADER, RETRY_COUNT_HEADER, LAST_ERROR_HEADER])
        delete headers[name];
      headers[REPLAYED_AT_HEADER] = new Date().toISOString();
      await sendConfirmed(channel, main, msg.content, carriedProperties(msg.properties, headers));
      channel.ack(msg);
      replayed.push(info);
    }
    channel.nackAll(true);
    const done = new Set(replayed.map((m) => m.eventId));
    const notFound = wanted ? [...wanted].filter((id) => !done.has(id)) : [];
    return { replayed, notFound, remaining: messageCount - replayed.length };
  } finally {
    await channel.close().catch(() => undefined);
  }
}
