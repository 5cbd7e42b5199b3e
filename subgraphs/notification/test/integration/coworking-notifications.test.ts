// Coworking events published on a real RabbitMQ exchange become notifications in PostgreSQL: a
// request for every educator (resolved through identity, here a gRPC double), each later step for
// the student, a cancellation only when a check-out made it (the service in-process).
import { randomUUID } from 'node:crypto';
import { cloudEvent, type CloudEvent } from '@campus/platform';
import { startIdentityDouble, testUser, waitFor, type IdentityDouble, type TestUser } from '@campus/testkit';
import { startEventHarness, type EventHarness, type InboxItem } from '../support/event-harness';

jest.setTimeout(60_000);

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

let identity: IdentityDouble;

type Item = InboxItem;

const inbox = (user: TestUser): Promise<Item[]> => h.inbox(user);

const publish = (event: CloudEvent): Promise<void> => h.publish(event);

const coworkingEvent = (step: string, data: object) =>
  cloudEvent({ source: '/campus/coworking', type: `campus.coworking.booking.${step}.v1`, data });
const about = (items: Item[], field: string, value: string) => items.filter((n) => n.data[field] === value);

let h: EventHarness;

beforeAll(async () => {
  identity = await startIdentityDouble([alice, bob, educator, head]);
  h = await startEventHarness({ name: 'coworking', identityGrpcUrl: identity.address });
});

afterAll(async () => {
  await h?.stop();
  await identity?.stop();
});

const processed = (eventId: string): Promise<number> => h.processed(eventId);

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

it('an expiry → the student, worded by what it expired from', async () => {
  const request = booking(bob.id);
  const approval = booking(bob.id);
  const expiry = (b: ReturnType<typeof booking>, previousStatus: 'pending' | 'approved') =>
    coworkingEvent('expired', {
      ...b,
      status: 'expired',
      previousStatus,
      actorId: null,
      at: '2026-03-10T19:05:00.000Z',
    });
  await publish(expiry(request, 'pending'));
  await publish(expiry(approval, 'approved'));

  await waitFor(async () => about(await inbox(bob), 'bookingId', approval.bookingId).length === 1, 'the expiries');
  await waitFor(async () => about(await inbox(bob), 'bookingId', request.bookingId).length === 1, 'the expiries');
  expect(about(await inbox(bob), 'bookingId', request.bookingId)[0]).toMatchObject({
    key: 'coworking.expired',
    title: 'Заявка на коворкинг не рассмотрена',
    data: { previousStatus: 'pending', status: 'expired' },
  });
  expect(about(await inbox(bob), 'bookingId', approval.bookingId)[0]).toMatchObject({
    key: 'coworking.expired',
    title: 'Бронь коворкинга истекла',
    body: 'Бронь коворкинга «Орбита» (корпус 8) с 10 марта в 20:00 до 22:00 истекла: ключ так и не взяли. Вы можете подать новую заявку.',
  });
  for (const staff of [educator, head]) expect(about(await inbox(staff), 'bookingId', approval.bookingId)).toEqual([]);
});
