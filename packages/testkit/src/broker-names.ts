import { randomBytes } from 'node:crypto';

/** The RabbitMQ tests use: AMQP_URL or the local default. */
export const testAmqpUrl = (): string => process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface BrokerNames {
  /** A topic exchange of the test's own, for the events the services publish. */
  exchange: string;
  /** A queue of the test's own (a consumer's main queue). */
  queue: string;
  /** Any further name of the same test, e.g. `name('campus.notifications.live')`. */
  name(base: string): string;
}

/** Exchange and queue names no other test (or parallel run) uses, so tests never see each other's messages. */
export function uniqueBrokerNames(prefix: string): BrokerNames {
  const suffix = randomBytes(4).toString('hex');
  const name = (base: string) => `${base}.test.${prefix}.${suffix}`;
  return { exchange: name('campus.events'), queue: `${prefix}.events.test.${suffix}`, name };
}
