// Duty events published on a real RabbitMQ exchange become notifications in PostgreSQL for exactly
// the users the event names (the notification service in-process, identity as a gRPC double).
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import pino from 'pino';
import { cloudEvent, consumerQueues, type CloudEvent } from '@campus/platform';
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

jest.setTimeout(60_000);

const AMQP = testAmqpUrl();
const broker = uniqueBrokerNames('notification-duty');
const { exchange, queue } = broker;
const liveExchange = broker.name('campus.notifications.live');
const RETRY_DELAYS = [100, 300];

const resident = (lastName: string, room: string) =>
  testUser({
    lastName,
    firstName: 'Тест',
    roles: ['student'],
    residence: { building: '8', entrance: 2, floor: 3, room },
  });
const alice = resident('Алексеева', '305');
const bob = resident('Борисов', '305');
const carol = resident('Карпова', '306');
const educator = testUser({ lastName: 'Смирнова', firstName: 'Анна', roles: ['educator'] });

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

const dutyEvent = (type: string, data: object) => cloudEvent({ source: '/campus/duty', type, data });
const about = (items: Item[], field: string, value: string) => items.filter((n) => n.data[field] === value);

beforeAll(async () => {
  db = await createTestDatabase('notification');
  identity = await startIdentityDouble([alice, bob, carol, educator]);
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

const room305 = { roomId: randomUUID(), building: '8', entrance: 2, roomNumber: '305' };

it('an overdue duty → each resident is told, and each sanctioned resident is invited', async () => {
  const scheduleId = randomUUID();
  const [sanctionA, sanctionB] = [randomUUID(), randomUUID()];
  const common = { scheduleId, ...room305, dutyDate: '2026-03-10' };
  await publish(
    dutyEvent('campus.duty.schedule.overdue.v1', {
      ...common,
      deadlineAt: '2026-03-10T20:00:00.000Z',
      residentIds: [alice.id, bob.id],
      sanctionIds: [sanctionA, sanctionB],
    }),
  );
  for (const [sanctionId, user] of [
    [sanctionA, alice],
    [sanctionB, bob],
  ] as const) {
    await publish(
      dutyEvent('campus.duty.sanction.created.v1', {
        ...common,
        sanctionId,
        userId: user.id,
        invitedAt: '2026-03-11T06:00:00.000Z',
      }),
    );
  }

  await waitFor(async () => about(await inbox(bob), 'scheduleId', scheduleId).length === 2, 'bob’s two notifications');
  await waitFor(async () => about(await inbox(alice), 'scheduleId', scheduleId).length === 2, 'alice’s two');
  const mine = about(await inbox(alice), 'scheduleId', scheduleId);
  expect(mine.map((n) => n.key).sort()).toEqual(['duty.overdue', 'duty.sanction']);
  expect(mine.find((n) => n.key === 'duty.sanction')).toMatchObject({
    title: 'Приглашение к воспитателям',
    body: 'Дежурство комнаты 305 за 10 марта не выполнено. Подойдите к воспитателям, начиная с 11 марта в 09:00.',
  });
  expect(mine.find((n) => n.key === 'duty.sanction')!.data).toMatchObject({ sanctionId: sanctionA });
  expect(about(await inbox(carol), 'scheduleId', scheduleId)).toEqual([]);
  expect(about(await inbox(educator), 'scheduleId', scheduleId)).toEqual([]);
});

it('a reminder → the room’s residents only; a swap request → the other room, naming the asker', async () => {
  const scheduleId = randomUUID();
  await publish(
    dutyEvent('campus.duty.schedule.reminder_due.v1', {
      scheduleId,
      ...room305,
      dutyDate: '2026-03-12',
      deadlineAt: '2026-03-12T20:00:00.000Z',
      when: 'today',
      residentIds: [alice.id, bob.id],
    }),
  );
  const swapId = randomUUID();
  await publish(
    dutyEvent('campus.duty.swap.requested.v1', {
      swapId,
      status: 'requested',
      building: '8',
      entrance: 2,
      fromScheduleId: scheduleId,
      toScheduleId: randomUUID(),
      fromRoomId: room305.roomId,
      toRoomId: randomUUID(),
      fromRoomNumber: '305',
      toRoomNumber: '306',
      fromDate: '2026-03-12',
      toDate: '2026-03-14',
      actorId: alice.id,
      reason: null,
      fromResidentIds: [alice.id, bob.id],
      toResidentIds: [carol.id],
    }),
  );

  await waitFor(async () => about(await inbox(carol), 'swapId', swapId).length === 1, 'carol’s swap request');
  await waitFor(async () => about(await inbox(bob), 'scheduleId', scheduleId).length === 1, 'bob’s reminder');
  const [reminder] = about(await inbox(alice), 'scheduleId', scheduleId);
  expect(reminder).toMatchObject({ key: 'duty.reminder', title: 'Сегодня дежурство' });
  expect(about(await inbox(carol), 'scheduleId', scheduleId)).toEqual([]);
  expect(about(await inbox(carol), 'swapId', swapId)[0]).toMatchObject({
    key: 'duty.swap_requested',
    body: 'Алексеева Тест (комната 305) предлагает поменяться дежурствами: ваше 14 марта на их 12 марта.',
  });
  // The asker and their roommate are not told about their own request.
  expect(about(await inbox(alice), 'swapId', swapId)).toEqual([]);
  expect(about(await inbox(bob), 'swapId', swapId)).toEqual([]);
});
