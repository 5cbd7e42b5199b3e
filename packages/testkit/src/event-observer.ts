import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { testAmqpUrl } from './broker-names';
import { eventually } from './wait';

export interface ObservedMessage {
  routingKey: string;
  headers: Record<string, unknown>;
  messageId: string | undefined;
  contentType: string | undefined;
  /** The CloudEvent as published. */
  body: Record<string, unknown> & { id: string; type: string; subject?: string };
}

/** Routing key of the observer's own barrier messages (never recorded as events). */
const BARRIER_KEY = 'test.observer.barrier';

/**
 * Binds an exclusive queue to a test's own exchange and records every message published there
 * (matching `bindingKey`), the way a consumer would see them. `stop()` deletes the exchange.
 */
export class EventObserver {
  readonly messages: ObservedMessage[] = [];
  private readonly barriers = new Set<string>();
  private connection: ChannelModel | undefined;
  private channel: Channel | undefined;

  constructor(
    readonly exchange: string,
    private readonly bindingKey = '#',
  ) {}

  async start(): Promise<this> {
    this.connection = await amqp.connect(testAmqpUrl());
    this.channel = await this.connection.createChannel();
    await this.channel.assertExchange(this.exchange, 'topic', { durable: true }); // as the services declare it
    const { queue } = await this.channel.assertQueue('', { exclusive: true, autoDelete: true });
    await this.channel.bindQueue(queue, this.exchange, this.bindingKey);
    await this.channel.bindQueue(queue, this.exchange, BARRIER_KEY);
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

  get routingKeys(): string[] {
    return this.messages.map((m) => m.routingKey);
  }

  /** Waits until `predicate` holds for the recorded messages. */
  async waitFor(predicate: (messages: ObservedMessage[]) => boolean, timeoutMs = 15_000): Promise<ObservedMessage[]> {
    return eventually(() => this.messages, predicate, timeoutMs, 'the expected events');
  }

  /** Waits for the first event (message body) that `match`es, and returns it. */
  async waitForEvent(
    match: (event: ObservedMessage['body']) => boolean,
    timeoutMs = 15_000,
  ): Promise<ObservedMessage['body']> {
    const found = await eventually(
      () => this.messages.find((m) => match(m.body)),
      Boolean,
      timeoutMs,
      'a matching event',
    );
    return found!.body;
  }

  /**
   * Returns once every message the broker had accepted before this call has been recorded: a
   * barrier message goes through the same exchange and queue, behind them (a queue is FIFO). So
   * "nothing more arrived" is established by the broker, not by waiting for a while.
   */
  async flush(timeoutMs = 15_000): Promise<ObservedMessage[]> {
    const id = randomUUID();
    this.channel!.publish(this.exchange, BARRIER_KEY, Buffer.from(id));
    await eventually(() => this.barriers.has(id), Boolean, timeoutMs, 'the observer barrier');
    return this.messages;
  }

  /** The recorded events about one subject (CloudEvents `subject`, e.g. an application), in arrival order. */
  about(subject: string): ObservedMessage[] {
    return this.messages.filter((m) => m.body.subject === subject);
  }

  async stop(): Promise<void> {
    await this.channel?.deleteExchange(this.exchange).catch(() => undefined);
    await this.connection?.close().catch(() => undefined);
  }
}
