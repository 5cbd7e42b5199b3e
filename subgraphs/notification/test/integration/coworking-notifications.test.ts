// Coworking events published on a real RabbitMQ exchange become notifications in PostgreSQL: a
// request for every educator (resolved through identity, here a gRPC double), each later step for
// the student, a cancellation only when a check-out made it (the service in-process).
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import pino from 'pino';
import { cloudEvent, consumerQueues, createDatabasePool, createPrismaClient, type CloudEvent } from '@campus/platform';
import {
  createTestDatabase,
  graphqlRequest,
  startIdentityDouble,
  testAmqpUrl,
  testTokens,
  testUser,
  uniqueBrokerNames,
  waitFor,
  type IdentityDouble,
  type TestDatabase,
  type TestTokens,
  type TestUser,
} from '@campus/testkit';
import { startNotification, type RunningNotification } from '../../src/app';
import { loadNotificationConfig } from '../../src/config';
import { PrismaClient } from '../../src/repository/database';

jest.setTimeout(60_000);

const AMQP = testAmqpUrl();
const broker = uniqueBrokerNames('notification-coworking');
const { exchange, queue } = broker;
const liveExchange = broker.name('campus.notifications.live');
const RETRY_DELAYS = [100, 300];

const alice = testUser({
  lastName: 'Алексеева',
  firstName: 'Тест',
  roles: ['student'],
  residence: { building: '8', entrance: 2, floor: 3, room: '305' },
});
const bob = testUser({ lastName: 'Борисов', firstName: 'Тест', roles: ['student'] });
const educator = testUser({ lastName: 'Смирнова', firstName: 'Анна', roles: ['educator'] });
const head = testUser({
  lastName: 'Петров',
  firstName: 'Олег',
  roles: ['educator_head'],
  entrances: [{ building: '3', entrance: 1 }],
});

let db: TestDatabase;
let identity: IdentityDouble;
let kit: TestTokens;
let service: RunningNotification;
let connection: ChannelModel;
let publisher: ConfirmChannel;

interface Item {
  key: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
}

async function inbox(user: TestUser): Promise<Item[]> {
  const res = await graphqlRequest<{ myNotifications: { items: Item[] } }>(
    `http://127.0.0.1:${service.httpPort}/graphql`,
    '{ myNotifications(size: 100) { items { key title body data } } }',
    { token: await kit.tokenFor(user) },
  );
  return res.data!.myNotifications.items;
}

function publish(event: CloudEvent): Promise<void> {
  return new Promise((resolve, reject) =>
    publisher.publish(
      exchange,
      event.type,
      Buffer.from(JSON.stringify(event)),
      { persistent: true, contentType: 'application/cloudevents+json', messageId: event.id, type: event.type },
      (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    ),
  );
}

const coworkingEvent = (step: string, data: object) =>
  cloudEvent({ source: '/campus/coworking', type: `campus.coworking.booking.${step}.v1`, data });
const about = (items: Item[], field: string, value: string) => items.filter((n) => n.data[field] === value);

beforeAll(async () => {
  db = await createTestDatabase('notification');
  identity = await startIdentityDouble([alice, bob, educator, head]);
  kit = await testTokens();
  service = await startNotification(
    loadNotificationConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      DATABASE_URL: db.url,
      DB_POOL_SIZE: '4',
      IDENTITY_GRPC_URL: identity.address,
      AMQP_URL: AMQP,
      AMQP_EXCHANGE: exchange,
      NOTIFICATION_QUEUE: queue,
      NOTIFICATION_LIVE_EXCHANGE: liveExchange,
      NOTIFICATION_RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
    }),
    { logger: pino({ level: 'silent' }), tokenVerifier: kit.verifier },
  );
  await service.ready();
  connection = await amqp.connect(AMQP);
  publisher = await connection.createConfirmChannel();
});

afterAll(async () => {
  await service?.close();
  await identity?.stop();
  if (connection) {
    const channel = await connection.createChannel();
    const { main, retries, parked } = consumerQueues(queue, RETRY_DELAYS);
    for (const q of [main, ...retries, parked]) await channel.deleteQueue(q).catch(() => undefined);
    await channel.deleteExchange(exchange).catch(() => undefined);
    await channel.deleteExchange(liveExchange).catch(() => undefined);
    await connection.close();
  }
  await db?.drop();
});

/** How many times the service's inbox recorded the event (processed, with or without recipients). */
async function processed(eventId: string): Promise<number> {
  const pool = createDatabasePool(db.url, 1);
  const prisma = createPrismaClient(PrismaClient, pool);
  try {
    return await prisma.inboxEntry.count({ where: { eventId } });
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

const booking = (studentId: string) => ({
  bookingId: randomUUID(),
  coworkingId: randomUUID(),
  coworkingName: 'Орбита',
  building: '8',
  studentId,
  startsAt: '2026-03-10T17:00:00.000Z',
  endsAt: '2026-03-10T19:00:00.000Z',
  reason: null,
  checkoutId: null,
  nightReminderCount: 0,
  at: '2026-03-10T12:00:00.000Z',
});

it('a request → every educator, naming the student; its approval → the student only', async () => {
  const b = booking(alice.id);
  await publish(coworkingEvent('requested', { ...b, status: 'pending', actorId: alice.id }));
  await publish(coworkingEvent('approved', { ...b, status: 'approved', actorId: educator.id }));

  await waitFor(async () => about(await inbox(alice), 'bookingId', b.bookingId).length === 1, 'alice’s approval');
  await waitFor(async () => about(await inbox(head), 'bookingId', b.bookingId).length === 1, 'the head’s request');
  const [request] = about(await inbox(educator), 'bookingId', b.bookingId);
  expect(request).toMatchObject({
    key: 'coworking.requested',
    title: 'Новая заявка на коворкинг',
    body: 'Алексеева Тест просит коворкинг «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00. Одобрите или отклоните заявку.',
  });
  expect(about(await inbox(alice), 'bookingId', b.bookingId)[0]).toMatchObject({
    key: 'coworking.approved',
    title: 'Бронь коворкинга одобрена',
  });
  // The educator who approved is not told; bob has nothing to do with it.
  expect(about(await inbox(educator), 'bookingId', b.bookingId)).toHaveLength(1);
  expect(about(await inbox(bob), 'bookingId', b.bookingId)).toEqual([]);
});

it('the key asked back, a night reminder and the completion → the student', async () => {
  const b = booking(bob.id);
  await publish(coworkingEvent('key_taken', { ...b, status: 'key_taken', actorId: educator.id }));
  await publish(coworkingEvent('key_return_requested', { ...b, status: 'key_return_requested', actorId: head.id }));
  await publish(
    coworkingEvent('night_reminder', {
      ...b,
      status: 'key_return_requested',
      actorId: null,
      nightReminderCount: 1,
      at: '2026-03-10T21:30:00.000Z',
    }),
  );
  await publish(coworkingEvent('key_returned', { ...b, status: 'key_returned', actorId: bob.id }));
  await publish(coworkingEvent('completed', { ...b, status: 'completed', actorId: educator.id }));

  await waitFor(async () => about(await inbox(bob), 'bookingId', b.bookingId).length === 3, 'bob’s three');
  const mine = about(await inbox(bob), 'bookingId', b.bookingId);
  expect(mine.map((n) => n.key).sort()).toEqual([
    'coworking.completed',
    'coworking.key_return_requested',
    'coworking.night_reminder',
  ]);
  expect(mine.find((n) => n.key === 'coworking.night_reminder')).toMatchObject({
    title: 'Ключ от коворкинга не сдан',
    body: 'Уже 11 марта в 00:30, а ключ от коворкинга «Орбита» (корпус 8) всё ещё у вас. Верните ключ воспитателю.',
  });
  for (const staff of [educator, head]) expect(about(await inbox(staff), 'bookingId', b.bookingId)).toEqual([]);
});

it('a cancellation → the student only when a check-out made it', async () => {
  const own = booking(alice.id);
  const released = booking(alice.id);
  const checkoutId = randomUUID();
  const ownEvent = coworkingEvent('cancelled', { ...own, status: 'cancelled', actorId: alice.id });
  await publish(ownEvent);
  await publish(coworkingEvent('cancelled', { ...released, status: 'cancelled', actorId: null, checkoutId }));

  await waitFor(async () => about(await inbox(alice), 'bookingId', released.bookingId).length === 1, 'the release');
  expect(about(await inbox(alice), 'bookingId', released.bookingId)[0]).toMatchObject({
    key: 'coworking.cancelled_by_checkout',
    body: 'Ваша бронь коворкинга «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00 отменена в связи с выездом из кампуса.',
  });
  // The own cancellation was processed (the inbox remembers it) and told nobody.
  await waitFor(async () => (await processed(ownEvent.id)) === 1, 'the own cancellation to be processed');
  expect(about(await inbox(alice), 'bookingId', own.bookingId)).toEqual([]);
  expect(about(await inbox(educator), 'bookingId', own.bookingId)).toEqual([]);
});
