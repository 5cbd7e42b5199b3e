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
// Duty lets an educator_head review and approve on the assigned entrances only.
const headOf82 = testUser({
  lastName: 'Кузнецов',
  firstName: 'Олег',
  roles: ['educator_head'],
  entrances: [{ building: '8', entrance: 2 }],
});
const headOf91 = testUser({
  lastName: 'Орлова',
  firstName: 'Мария',
  roles: ['educator_head'],
  entrances: [{ building: '9', entrance: 1 }],
});
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
  identity = await startIdentityDouble([
    alice,
    bob,
    carol,
    educator,
    headOf82,
    headOf91,
    studentHead,
    otherStudentHead,
  ]);
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

it('a submitted photo report → exactly who may review it: educators and the entrance’s educator_head', async () => {
  const scheduleId = randomUUID();
  const reportId = randomUUID();
  await publish(
    dutyEvent('campus.duty.report.submitted.v1', {
      scheduleId,
      ...room305,
      reportId,
      dutyDate: '2026-03-10',
      submittedBy: alice.id,
      photoCount: 9,
    }),
  );

  for (const user of [educator, headOf82]) {
    await waitFor(async () => about(await inbox(user), 'reportId', reportId).length === 1, `${user.lastName}: report`);
  }
  expect(about(await inbox(headOf82), 'reportId', reportId)[0]).toMatchObject({
    key: 'duty.report_awaiting_review',
    title: 'Фотоотчёт ждёт проверки',
    body: 'Фотоотчёт о дежурстве комнаты 305 (корпус 8, подъезд 2) за 10 марта ждёт вашей проверки: примите или отклоните его.',
    data: { scheduleId, reportId, building: '8', entrance: 2, dutyDate: '2026-03-10' },
  });
  // Not reviewers: another entrance's educator_head, the student_heads, the room itself.
  for (const user of [headOf91, studentHead, otherStudentHead, alice, bob, carol]) {
    expect(about(await inbox(user), 'reportId', reportId)).toEqual([]);
  }
});

it('a swap accepted → the staff who may approve it and the asking room; cancelled → the asked room and those staff', async () => {
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

  expect(about(await inbox(headOf82), 'swapId', swapId)[0]!.key).toBe('duty.swap_awaiting_approval');

  // Cancelled while it waited for approval (duty says so with previousStatus).
  await publish(
    dutyEvent('campus.duty.swap.cancelled.v1', { ...swap('cancelled', alice.id), previousStatus: 'accepted' }),
  );
  await waitFor(async () => about(await inbox(carol), 'swapId', swapId).length === 1, 'carol: cancelled');
  expect(about(await inbox(carol), 'swapId', swapId)[0]).toMatchObject({
    key: 'duty.swap_cancelled',
    body: 'Комната 305 отозвала просьбу поменяться дежурствами (12 марта ↔ 14 марта).',
  });
  for (const user of [educator, studentHead, headOf82]) {
    await waitFor(async () => about(await inbox(user), 'swapId', swapId).length === 2, `${user.lastName}: cancelled`);
    const letters = about(await inbox(user), 'swapId', swapId);
    expect(letters.map((n) => n.key).sort()).toEqual(['duty.swap_approval_cancelled', 'duty.swap_awaiting_approval']);
    expect(letters.find((n) => n.key === 'duty.swap_approval_cancelled')).toMatchObject({
      title: 'Обмен дежурствами отозван',
      body:
        'Комната 305 отозвала обмен дежурствами с комнатой 306 (корпус 8, подъезд 2; 12 марта ↔ 14 марта). ' +
        'Обмен больше не ждёт вашего одобрения.',
    });
  }
  // Not told: the accepting room about its own acceptance (carol's one letter is the cancellation),
  // another entrance's student_head and educator_head, the asking room about its own withdrawal.
  expect(about(await inbox(otherStudentHead), 'swapId', swapId)).toEqual([]);
  expect(about(await inbox(headOf91), 'swapId', swapId)).toEqual([]);
  expect(about(await inbox(alice), 'swapId', swapId)).toHaveLength(1);
  expect(about(await inbox(bob), 'swapId', swapId)).toHaveLength(1);
});

it('a swap cancelled before the other room agreed → the asked room only; staff were never asked', async () => {
  const swapId = randomUUID();
  const cancelled = { ...swapBetween305And306(swapId, 'cancelled', alice.id), previousStatus: 'requested' };
  const cancelledEvent = dutyEvent('campus.duty.swap.cancelled.v1', cancelled);
  await publish(cancelledEvent);
  await waitFor(async () => about(await inbox(carol), 'swapId', swapId).length === 1, 'carol: cancelled');
  await waitFor(async () => (await h.processed(cancelledEvent.id)) === 1, 'the event processed');
  for (const user of [educator, headOf82, studentHead, alice, bob]) {
    expect(about(await inbox(user), 'swapId', swapId)).toEqual([]);
  }
});

it('a roster → each resident of a room on it, their room’s dates, from one identity call', async () => {
  const rosterId = randomUUID();
  const room306Id = randomUUID();
  const duty = (roomId: string, roomNumber: string, dutyDate: string) => ({
    scheduleId: randomUUID(),
    roomId,
    roomNumber,
    dutyDate,
  });
  const summaryCalls = () =>
    identity.calls.filter((c) => c.method === 'GetUsers' && (c.request as { summaryOnly?: boolean }).summaryOnly);
  const before = summaryCalls().length;
  await publish(
    dutyEvent('campus.duty.roster.generated.v1', {
      rosterId,
      building: '8',
      entrance: 2,
      month: '2026-12',
      generatedBy: educator.id,
      // Room 410 (the student_head's) has no duty this month.
      duties: [
        duty(room305.roomId, '305', '2026-12-05'),
        duty(room306Id, '306', '2026-12-06'),
        duty(room305.roomId, '305', '2026-12-19'),
      ],
    }),
  );

  for (const user of [alice, bob, carol]) {
    await waitFor(async () => about(await inbox(user), 'rosterId', rosterId).length === 1, `${user.lastName}: roster`);
  }
  expect(about(await inbox(alice), 'rosterId', rosterId)[0]).toMatchObject({
    key: 'duty.roster',
    title: 'График дежурств на декабрь 2026',
    body: 'Ваша комната 305 дежурит 5 и 19 декабря.',
    data: { rosterId, month: '2026-12', roomId: room305.roomId, dutyDates: ['2026-12-05', '2026-12-19'] },
  });
  expect(about(await inbox(carol), 'rosterId', rosterId)[0]!.body).toBe('Ваша комната 306 дежурит 6 декабря.');
  for (const user of [educator, studentHead, otherStudentHead]) {
    expect(about(await inbox(user), 'rosterId', rosterId)).toEqual([]);
  }
  const calls = summaryCalls().slice(before);
  expect(calls).toHaveLength(1);
  expect(calls[0]!.request).toMatchObject({ building: '8', entrance: 2, role: 'student', summaryOnly: true });
});

it('a sanction resolved by an educator → the student, with the note; reopened by an undone check-out → the student', async () => {
  const [resolvedId, reopenedId] = [randomUUID(), randomUUID()];
  const scheduleId = randomUUID();
  await publish(
    dutyEvent('campus.duty.sanction.resolved.v1', {
      sanctionId: resolvedId,
      scheduleId,
      userId: bob.id,
      resolvedBy: educator.id,
      note: 'Дежурство отработано',
      checkoutId: null,
    }),
  );
  // Closed by alice's check-out (nobody told), then the check-out was undone (alice told).
  const checkoutId = randomUUID();
  await publish(
    dutyEvent('campus.duty.sanction.resolved.v1', {
      sanctionId: reopenedId,
      scheduleId,
      userId: alice.id,
      resolvedBy: null,
      note: "Closed by the student's check-out",
      checkoutId,
    }),
  );
  await publish(
    dutyEvent('campus.duty.sanction.reopened.v1', { sanctionId: reopenedId, scheduleId, userId: alice.id, checkoutId }),
  );

  await waitFor(async () => about(await inbox(bob), 'sanctionId', resolvedId).length === 1, 'bob: resolved');
  await waitFor(async () => about(await inbox(alice), 'sanctionId', reopenedId).length === 1, 'alice: reopened');
  expect(about(await inbox(bob), 'sanctionId', resolvedId)[0]).toMatchObject({
    key: 'duty.sanction_resolved',
    title: 'Санкция закрыта',
    body: 'Ваша санкция за невыполненное дежурство закрыта. Комментарий воспитателя: Дежурство отработано.',
  });
  // alice's one letter about that sanction is the reopening (its closing by the check-out told nobody).
  expect(about(await inbox(alice), 'sanctionId', reopenedId).map((n) => n.key)).toEqual(['duty.sanction_reopened']);
  expect(about(await inbox(educator), 'scheduleId', scheduleId)).toEqual([]);
});
