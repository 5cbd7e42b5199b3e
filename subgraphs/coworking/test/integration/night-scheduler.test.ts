// The night reminders as the service runs them: the durable scheduler fires
// `coworking-night-reminder` on COWORKING_NIGHT_REMINDER_CRON (here every second, with the night
// configured as the whole day so the test does not depend on the hour), a key holder is reminded
// within seconds, once per firing, and the events leave through the outbox relay. The same
// scheduler runs `coworking-booking-expiry` on COWORKING_EXPIRY_CRON (here every second too).
import { randomUUID } from 'node:crypto';
import { waitFor } from '@campus/testkit';
import { startCoworkingHarness, type CoworkingHarness } from '../support/harness';

jest.setTimeout(60_000);

let h: CoworkingHarness;

beforeAll(async () => {
  h = await startCoworkingHarness(new Date().toISOString(), {
    scheduler: true,
    env: {
      COWORKING_NIGHT_REMINDER_CRON: '*/1 * * * * *',
      COWORKING_NIGHT_FROM: '00:00',
      COWORKING_NIGHT_UNTIL: '24:00',
      COWORKING_EXPIRY_CRON: '*/1 * * * * *',
    },
  });
});
afterAll(() => h?.stop());

it('reminds the holder of a key out within seconds, once per firing, and reports the scheduler ready', async () => {
  const db = h.coworking.internals.db;
  const coworking = await db.coworking.create({
    data: { id: randomUUID(), building: 'B', name: 'Ночной', capacity: 4 },
  });
  const now = Date.now();
  const booking = await db.booking.create({
    data: {
      id: randomUUID(),
      coworkingId: coworking.id,
      studentId: randomUUID(),
      purpose: 'Дедлайн',
      startsAt: new Date(now - 3 * 3600_000),
      endsAt: new Date(now - 3600_000),
      status: 'key_taken',
      keyTakenAt: new Date(now - 3 * 3600_000),
      keyTakenBy: randomUUID(),
    },
  });

  const started = Date.now();
  await waitFor(
    async () => (await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).nightReminderCount >= 2,
    'two scheduled firings to remind the key holder',
    10_000,
  );
  expect(Date.now() - started).toBeLessThan(10_000);

  // The key comes back: later firings remind no more.
  const returned = await db.booking.update({
    where: { id: booking.id },
    data: { status: 'key_returned', keyReturnedAt: new Date() },
  });
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // a few more firings
  const final = await db.booking.findUniqueOrThrow({ where: { id: booking.id } });
  expect(final.nightReminderCount).toBe(returned.nightReminderCount);
  const reminders = await db.nightReminder.findMany({ where: { bookingId: booking.id }, orderBy: { dueAt: 'asc' } });
  const events = await db.outboxEvent.findMany({ where: { type: 'campus.coworking.booking.night_reminder.v1' } });
  // One reminder per firing (distinct whole seconds), each with its one event, and the count matches.
  expect(reminders).toHaveLength(final.nightReminderCount);
  expect(new Set(reminders.map((r) => r.dueAt.getTime())).size).toBe(reminders.length);
  expect(reminders.every((r) => r.dueAt.getMilliseconds() === 0)).toBe(true);
  expect(events).toHaveLength(final.nightReminderCount);
  expect(final.lastNightReminderAt).toEqual(reminders.at(-1)?.dueAt);

  // The relay publishes them.
  await waitFor(async () => (await db.outboxEvent.count({ where: { publishedAt: null } })) === 0, 'the relay');
  const health = (await (await fetch(`${h.baseUrl}/health/readiness`)).json()) as unknown;
  expect(health).toMatchObject({ status: 'ok', checks: { scheduler: 'up' } });
});

it('expires a booking whose slot has ended within seconds, once, with its event', async () => {
  const db = h.coworking.internals.db;
  const coworking = await db.coworking.create({
    data: { id: randomUUID(), building: 'B', name: 'Просроченный', capacity: 4 },
  });
  const now = h.clock.now().getTime();
  const booking = await db.booking.create({
    data: {
      id: randomUUID(),
      coworkingId: coworking.id,
      studentId: randomUUID(),
      purpose: 'Никто не рассмотрел',
      startsAt: new Date(now - 3 * 3600_000),
      endsAt: new Date(now - 3600_000),
      status: 'pending',
    },
  });

  await waitFor(
    async () => (await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).status === 'expired',
    'the scheduled expiry',
    10_000,
  );
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // a few more firings
  expect(await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({
    status: 'expired',
    version: booking.version + 1,
  });
  const events = await db.outboxEvent.findMany({ where: { type: 'campus.coworking.booking.expired.v1' } });
  expect(events.map((e) => (e.payload as { subject?: string }).subject)).toEqual([booking.id]);
});
