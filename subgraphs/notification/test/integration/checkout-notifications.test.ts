// Check-out saga events published on a real RabbitMQ exchange become notifications in PostgreSQL:
// the checked-out student hears their stay is over, a student whose key blocks the check-out is
// asked for it, and the staff member who requested the batch hears every failure and the batch's
// outcome (the service in-process). The events carry every name and id the messages need, so
// identity is never asked: the directory here fails on any call (the event would be retried, then
// parked, and the test would time out).
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import pino from 'pino';
import { cloudEvent, consumerQueues, createDatabasePool, createPrismaClient, type CloudEvent } from '@campus/platform';
import {
  createTestDatabase,
  graphqlRequest,
  testAmqpUrl,
  testTokens,
  testUser,
  uniqueBrokerNames,
  waitFor,
  type TestDatabase,
  type TestTokens,
  type TestUser,
} from '@campus/testkit';
import { startNotification, type RunningNotification } from '../../src/app';
import { loadNotificationConfig } from '../../src/config';
import { PrismaClient } from '../../src/repository/database';
import type { UserDirectory } from '../../src/services/ports';
import {
  CHECKOUT_BATCH_COMPLETED,
  CHECKOUT_BATCH_REQUESTED,
  STUDENT_CHECKED_OUT,
  STUDENT_CHECK_OUT_FAILED,
} from '../support/events';

jest.setTimeout(60_000);

const AMQP = testAmqpUrl();
const broker = uniqueBrokerNames('notification-checkout');
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
const alice = resident('Алексеева', '301');
const bob = resident('Борисов', '302');
const carol = resident('Карпова', '303');
const head = testUser({ lastName: 'Смирнова', firstName: 'Анна', roles: ['educator_head'] });
const educator = testUser({ lastName: 'Петров', firstName: 'Олег', roles: ['educator'] });

let db: TestDatabase;
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

const checkoutEvent = (type: string, data: object) => cloudEvent({ source: '/campus/checkout', type, data });
const ofBatch = (items: Item[], batchId: string) => items.filter((n) => n.data.batchId === batchId);

const noIdentity: UserDirectory = {
  usersWithRole: () => Promise.reject(new Error('check-out notifications must not ask identity')),
  usersByIds: () => Promise.reject(new Error('check-out notifications must not ask identity')),
};

beforeAll(async () => {
  db = await createTestDatabase('notification');
  kit = await testTokens();
  service = await startNotification(
    loadNotificationConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      HTTP_PORT: '0',
      GRPC_PORT: '0',
      DATABASE_URL: db.url,
      DB_POOL_SIZE: '4',
      IDENTITY_GRPC_URL: '127.0.0.1:1', // unused: the directory below replaces the identity client
      AMQP_URL: AMQP,
      AMQP_EXCHANGE: exchange,
      NOTIFICATION_QUEUE: queue,
      NOTIFICATION_LIVE_EXCHANGE: liveExchange,
      NOTIFICATION_RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
    }),
    { logger: pino({ level: 'silent' }), tokenVerifier: kit.verifier, directory: noIdentity },
  );
  await service.ready();
  connection = await amqp.connect(AMQP);
  publisher = await connection.createConfirmChannel();
});

afterAll(async () => {
  await service?.close();
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

it('a batch of three: one checked out, one blocked by a key, one timed out → the right people, linked to the batch', async () => {
  const batchId = randomUUID();
  const reason = 'Окончание образовательной программы';
  const saga = (student: TestUser) => ({
    checkoutId: randomUUID(),
    batchId,
    studentId: student.id,
    studentName: `${student.lastName} ${student.firstName}`,
    requestedBy: head.id,
    reason,
  });
  const [ofAlice, ofBob, ofCarol] = [saga(alice), saga(bob), saga(carol)];
  const at = '2026-03-10T12:00:00.000Z';

  const requested = checkoutEvent(CHECKOUT_BATCH_REQUESTED, { batchId, requestedBy: head.id, reason, total: 3, at });
  await publish(requested);
  await publish(
    checkoutEvent(STUDENT_CHECKED_OUT, { ...ofAlice, room: { building: '8', entrance: 2, room: '301' }, at }),
  );
  await publish(
    checkoutEvent(STUDENT_CHECK_OUT_FAILED, {
      ...ofBob,
      step: 'release_bookings',
      failureCode: 'CHECKOUT_KEY_HELD',
      failureReason: 'The student holds the key of Орбита; it must come back before the check-out',
      coworkingName: 'Орбита',
      participantCode: null,
      compensated: [],
      at,
    }),
  );
  await publish(
    checkoutEvent(STUDENT_CHECK_OUT_FAILED, {
      ...ofCarol,
      step: 'deactivate_account',
      failureCode: 'CHECKOUT_STEP_TIMED_OUT',
      failureReason: 'The identity service did not complete deactivate_account within 60 s',
      coworkingName: null,
      participantCode: 'UNAVAILABLE',
      compensated: ['close_sanctions', 'withdraw_leave', 'release_bookings'],
      at,
    }),
  );
  await publish(
    checkoutEvent(CHECKOUT_BATCH_COMPLETED, {
      batchId,
      requestedBy: head.id,
      reason,
      total: 3,
      succeeded: 1,
      failed: 2,
      at,
    }),
  );

  await waitFor(async () => ofBatch(await inbox(head), batchId).length === 3, 'the requester’s three');
  await waitFor(async () => ofBatch(await inbox(alice), batchId).length === 1, 'alice’s check-out');
  await waitFor(async () => ofBatch(await inbox(bob), batchId).length === 1, 'bob’s key');

  expect(ofBatch(await inbox(alice), batchId)).toEqual([
    {
      key: 'checkout.checked_out',
      title: 'Выезд из кампуса оформлен',
      body:
        'Ваше проживание в кампусе (корпус 8, подъезд 2, комната 301) завершено, учётная запись деактивирована. ' +
        'Причина: Окончание образовательной программы.',
      data: { checkoutId: ofAlice.checkoutId, batchId, studentId: alice.id },
    },
  ]);
  expect(ofBatch(await inbox(bob), batchId)).toEqual([
    {
      key: 'checkout.key_held',
      title: 'Выезд не оформлен: верните ключ',
      body:
        'Ваш выезд из кампуса не оформлен: у вас ключ от коворкинга «Орбита». ' +
        'Верните ключ воспитателю, после этого выезд оформят снова.',
      data: { checkoutId: ofBob.checkoutId, batchId, studentId: bob.id, failureCode: 'CHECKOUT_KEY_HELD' },
    },
  ]);

  const mine = ofBatch(await inbox(head), batchId);
  expect(mine.map((n) => n.key).sort()).toEqual(['checkout.batch_completed', 'checkout.failed', 'checkout.failed']);
  expect(mine.find((n) => n.key === 'checkout.batch_completed')).toEqual({
    key: 'checkout.batch_completed',
    title: 'Выезд студентов завершён: 2 ошибки',
    body:
      'Выезд оформлен для 1 из 3 студентов, не удалось — для 2 (причины — в отдельных уведомлениях). ' +
      'Причина выезда: Окончание образовательной программы.',
    data: { batchId, total: 3, succeeded: 1, failed: 2 },
  });
  expect(mine.find((n) => n.data.studentId === carol.id)).toMatchObject({
    key: 'checkout.failed',
    title: 'Выезд студента не оформлен',
    body:
      'Выезд студента Карпова Тест не оформлен: ошибка на шаге «деактивация учётной записи». ' +
      'Причина: сервис не отвечал дольше допустимого (UNAVAILABLE). Выполненные шаги отменены.',
    data: { checkoutId: ofCarol.checkoutId, step: 'deactivate_account', failureCode: 'CHECKOUT_STEP_TIMED_OUT' },
  });
  expect(mine.find((n) => n.data.studentId === bob.id)?.body).toContain(
    'на шаге «отмена броней коворкингов». Причина: студент не сдал ключ от коворкинга «Орбита».',
  );

  // Carol's failure is the staff's to retry: she is not told; nor is any other educator. The request
  // is not even bound to the queue: nothing consumed it.
  expect(ofBatch(await inbox(carol), batchId)).toEqual([]);
  expect(ofBatch(await inbox(educator), batchId)).toEqual([]);
  expect(await processed(requested.id)).toBe(0);
});
