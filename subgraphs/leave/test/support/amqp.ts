import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface ObservedMessage {
  routingKey: string;
  headers: Record<string, unknown>;
  messageId: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown> & { id: string; type: string; subject?: string };
}

/** Routing key of the observer's own barrier messages (never recorded as events). */
const BARRIER_KEY = 'test.observer.barrier';

/**
 * Binds an exclusive queue to a (test-only) exchange and records every message published to it,
 * the way a consumer would see them.
 */
export class EventObserver {
  readonly messages: ObservedMessage[] = [];
  private readonly barriers = new Set<string>();
  private connection: ChannelModel | undefined;
  private channel: Channel | undefined;

  constructor(readonly exchange: string) {}

  async start(): Promise<this> {
    this.connection = await amqp.connect(AMQP_URL);
    this.channel = await this.connection.createChannel();
    await this.channel.assertExchange(this.exchange, 'topic', { durable: true });
    const { queue } = await this.channel.assertQueue('', { exclusive: true, autoDelete: true });
    await this.channel.bindQueue(queue, this.exchange, '#');
    await this.channel.consume(queue, (message) => message && this.record(message), { noAck: true });
    return this;
  }

  private record(message: ConsumeMessage): void {
    if (message.fields.routingKey === BARRIER_KEY) {
      this.barriers.add(message.content.toString('utf8'));
      return;
    }
    this.messages.push({
      routingKey: message.fields.routingKey,
      headers: (message.properties.headers ?? {}) as Record<string, unknown>,
      messageId: message.properties.messageId as string | undefined,
      contentType: message.properties.contentType as string | undefined,
      body: JSON.parse(message.content.toString('utf8')) as ObservedMessage['body'],
    });
  }

  /** Waits until `predicate` holds for the recorded messages. */
  async waitFor(predicate: (messages: ObservedMessage[]) => boolean, timeoutMs = 15_000): Promise<ObservedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for events; got ${JSON.stringify(this.messages.map((m) => m.routingKey))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.messages;
  }

  /**
   * Returns once every message the broker had accepted before this call has been recorded: a
   * barrier message goes through the same exchange and queue, behind them (a queue is FIFO). So
   * "nothing more arrived" is established by the broker, not by waiting for a while.
   */
  async flush(timeoutMs = 15_000): Promise<ObservedMessage[]> {
    const id = randomUUID();
    this.channel!.publish(this.exchange, BARRIER_KEY, Buffer.from(id));
    const deadline = Date.now() + timeoutMs;
    while (!this.barriers.has(id)) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the observer barrier');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.messages;
  }

  /** The recorded events about one application (CloudEvents `subject`), in arrival order. */
  about(applicationId: string): ObservedMessage[] {
    return this.messages.filter((m) => m.body.subject === applicationId);
  }

  async stop(): Promise<void> {
    await this.channel?.deleteExchange(this.exchange).catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
