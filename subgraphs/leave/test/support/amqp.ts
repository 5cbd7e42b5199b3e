import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';

export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface ObservedMessage {
  routingKey: string;
  headers: Record<string, unknown>;
  messageId: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown> & { id: string; type: string; subject?: string };
}

/**
 * Binds an exclusive queue to a (test-only) exchange and records every message published to it,
 * the way a consumer would see them.
 */
export class EventObserver {
  readonly messages: ObservedMessage[] = [];
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

  async stop(): Promise<void> {
    await this.channel?.deleteExchange(this.exchange).catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
