// Duty events published on a real RabbitMQ exchange become notifications in PostgreSQL for exactly
// the users the event names (the notification service in-process, identity as a gRPC double).
import { randomUUID } from 'node:crypto';
import { cloudEvent, type CloudEvent } from '@campus/platform';
import { startIdentityDouble, testUser, waitFor, type IdentityDouble, type TestUser } from '@campus/testkit';
import { startEventHarness, type EventHarness, type InboxItem } from '../support/event-harness';

jest.setTimeout(60_000);

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
// The entrance's student_head may approve its swaps; another entrance's may not.
const studentHead = testUser({
  lastName: 'Петров',
  firstName: 'Пётр',
  roles: ['student', 'student_head'],
  residence: { building: '8', entrance: 2, floor: 4, room: '410' },
});
const otherStudentHead = testUser({
  lastName: 'Сидорова',
  firstName: 'Ольга',
  roles: ['student', 'student_head'],
  residence: { building: '8', entrance: 3, floor: 4, room: '410' },
});

let identity: IdentityDouble;

type Item = InboxItem;

const inbox = (user: TestUser): Promise<Item[]> => h.inbox(user);

const publish = (event: CloudEvent): Promise<void> => h.publish(event);

const dutyEvent = (type: string, data: object) => cloudEvent({ source: '/campus/duty', type, data });
const about = (items: Item[], field: string, value: string) => items.filter((n) => n.data[field] === value);

let h: EventHarness;

beforeAll(async () => {
  identity = await startIdentityDouble([alice, bob, carol, educator, studentHead, otherStudentHead]);
  h = await startEventHarness({ name: 'duty', identityGrpcUrl: identity.address });
});

afterAll(async () => {
  await h?.stop();
  await identity?.stop();
});

const room305 = { roomId: randomUUID(), building: '8', entrance: 2, roomNumber: '305' };

/** A swap event's data: room 305 (alice, bob) asks 306 (carol) to trade 12 March for 14 March, in 8/2. */
const swapBetween305And306 = (swapId: string, status: string, actorId: string) => ({
  swapId,
  status,
  building: '8',
  entrance: 2,
  fromScheduleId: randomUUID(),
  toScheduleId: randomUUID(),
  fromRoomId: room305.roomId,
  toRoomId: randomUUID(),
  fromRoomNumber: '305',
  toRoomNumber: '306',
  fromDate: '2026-03-12',
  toDate: '2026-03-14',
  actorId,
  reason: null,
  fromResidentIds: [alice.id, bob.id],
  toResidentIds: [carol.id],
});

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
      ...swapBetween305And306(swapId, 'requested', alice.id),
      fromScheduleId: scheduleId,
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

it('a swap accepted → the staff who may approve it and the asking room; cancelled → the asked room', async () => {
  const swapId = randomUUID();
  const swap = (status: string, actorId: string) => swapBetween305And306(swapId, status, actorId);
  await publish(dutyEvent('campus.duty.swap.accepted.v1', swap('accepted', carol.id)));

  for (const user of [educator, studentHead, alice, bob]) {
    await waitFor(async () => about(await inbox(user), 'swapId', swapId).length === 1, `${user.lastName}: accepted`);
  }
  expect(about(await inbox(educator), 'swapId', swapId)[0]).toMatchObject({
    key: 'duty.swap_awaiting_approval',
    title: 'Обмен дежурствами ждёт одобрения',
    body:
      'Комнаты 305 и 306 (корпус 8, подъезд 2) договорились поменяться дежурствами (12 марта ↔ 14 марта). ' +
      'Одобрите или отклоните обмен.',
  });
  expect(about(await inbox(studentHead), 'swapId', swapId)[0]!.key).toBe('duty.swap_awaiting_approval');
  expect(about(await inbox(alice), 'swapId', swapId)[0]).toMatchObject({
    key: 'duty.swap_accepted',
    body: 'Комната 306 согласилась поменяться дежурствами (12 марта ↔ 14 марта). Теперь обмен ждёт одобрения воспитателей.',
  });

  await publish(dutyEvent('campus.duty.swap.cancelled.v1', swap('cancelled', alice.id)));
  await waitFor(async () => about(await inbox(carol), 'swapId', swapId).length === 1, 'carol: cancelled');
  expect(about(await inbox(carol), 'swapId', swapId)[0]).toMatchObject({
    key: 'duty.swap_cancelled',
    body: 'Комната 305 отозвала просьбу поменяться дежурствами (12 марта ↔ 14 марта).',
  });
  // Not told: the accepting room about its own acceptance (carol's one letter is the cancellation),
  // another entrance's student_head, the asking room about its own withdrawal.
  expect(about(await inbox(otherStudentHead), 'swapId', swapId)).toEqual([]);
  expect(about(await inbox(alice), 'swapId', swapId)).toHaveLength(1);
  expect(about(await inbox(bob), 'swapId', swapId)).toHaveLength(1);
});
