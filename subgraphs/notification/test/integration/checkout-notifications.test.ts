// Check-out saga events published on a real RabbitMQ exchange become notifications in PostgreSQL:
// the checked-out student hears their stay is over, a student whose key blocks the check-out is
// asked for it, and the staff member who requested the batch hears every failure and the batch's
// outcome (the service in-process). The events carry every name and id the messages need, so
// identity is never asked: the directory here fails on any call (the event would be retried, then
// parked, and the test would time out).
import { randomUUID } from 'node:crypto';
import { cloudEvent, type CloudEvent } from '@campus/platform';
import { testUser, waitFor, type TestUser } from '@campus/testkit';
import type { UserDirectory } from '../../src/services/ports';
import {
  CHECKOUT_BATCH_COMPLETED,
  CHECKOUT_BATCH_REQUESTED,
  STUDENT_CHECKED_OUT,
  STUDENT_CHECK_OUT_FAILED,
} from '../support/events';
import { startEventHarness, type EventHarness, type InboxItem } from '../support/event-harness';

jest.setTimeout(60_000);

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

type Item = InboxItem;

const inbox = (user: TestUser): Promise<Item[]> => h.inbox(user);

const publish = (event: CloudEvent): Promise<void> => h.publish(event);

const checkoutEvent = (type: string, data: object) => cloudEvent({ source: '/campus/checkout', type, data });
const ofBatch = (items: Item[], batchId: string) => items.filter((n) => n.data.batchId === batchId);

const noIdentity: UserDirectory = {
  usersWithRole: () => Promise.reject(new Error('check-out notifications must not ask identity')),
  usersByIds: () => Promise.reject(new Error('check-out notifications must not ask identity')),
  residentsOf: () => Promise.reject(new Error('check-out notifications must not ask identity')),
};

let h: EventHarness;

beforeAll(async () => {
  h = await startEventHarness({ name: 'checkout', directory: noIdentity });
});

afterAll(async () => {
  await h?.stop();
});

const processed = (eventId: string): Promise<number> => h.processed(eventId);

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
