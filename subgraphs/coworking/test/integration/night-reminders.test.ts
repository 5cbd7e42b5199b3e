// The night reminders against real PostgreSQL: two replicas (two pools, two stores) running the
// same firing at once remind each key holder exactly once; a re-run reminds no one; a returned key
// is not reminded. Events go to the outbox with the bookkeeping, in one transaction.
import { randomUUID } from 'node:crypto';
import { validateEvent } from '@campus/contracts';
import { createDatabasePool, createPrismaClient, type CloudEvent, type DatabasePool } from '@campus/platform';
import { createTestDatabase, TestClock, type TestDatabase } from '@campus/testkit';
import { DEFAULT_NIGHT_WINDOW } from '../../src/domain/night-reminders';
import type { BookingStatus } from '../../src/domain/records';
import type { BookingEventData } from '../../src/events/booking-events';
import { PrismaClient } from '../../src/repository/database';
import { PrismaNightReminders } from '../../src/repository/night-reminders.repository';
import { NightReminders } from '../../src/services/night-reminders.service';

jest.setTimeout(60_000);

const MOSCOW = 'Europe/Moscow';
const firing = (iso: string) => new Date(iso);
const FIRST = firing('2026-03-10T21:00:00.000Z'); // 00:00 Moscow
const SECOND = firing('2026-03-10T21:30:00.000Z'); // 00:30

let database: TestDatabase;
const replicas: { reminders: NightReminders; clock: TestClock; close: () => Promise<void> }[] = [];
let testPool: DatabasePool;
let db: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase('coworking');
  for (let i = 0; i < 2; i++) {
    const pool = createDatabasePool(database.url, 4);
    const prisma = createPrismaClient(PrismaClient, pool);
    const clock = new TestClock(FIRST);
    replicas.push({
      clock,
      reminders: new NightReminders({
        store: new PrismaNightReminders(prisma),
        clock,
        window: DEFAULT_NIGHT_WINDOW,
        timeZone: MOSCOW,
      }),
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    });
  }
  testPool = createDatabasePool(database.url, 2);
  db = createPrismaClient(PrismaClient, testPool);
});

afterAll(async () => {
  await db?.$disconnect();
  await testPool?.end();
  for (const r of replicas) await r.close();
  await database?.drop();
});

const setClocks = (at: Date) => replicas.forEach((r) => r.clock.set(new Date(at.getTime() + 1_000)));
const both = (dueAt: Date) => Promise.all([replicas[0]!.reminders.run(dueAt), replicas[1]!.reminders.run(dueAt)]);

/** A coworking with one booking in `status` (its own coworking and student: no invariant in the way). */
async function seed(n: number, status: BookingStatus, keyTaken: boolean) {
  const coworking = await db.coworking.create({
    data: { id: randomUUID(), building: 'A', name: `Коворкинг ${n}`, capacity: 6 },
  });
  return db.booking.create({
    data: {
      id: randomUUID(),
      coworkingId: coworking.id,
      studentId: randomUUID(),
      purpose: 'Хакатон',
      startsAt: new Date('2026-03-10T17:00:00.000Z'),
      endsAt: new Date('2026-03-10T20:00:00.000Z'),
      status,
      ...(keyTaken ? { keyTakenAt: new Date('2026-03-10T16:55:00.000Z'), keyTakenBy: randomUUID() } : {}),
    },
  });
}

async function reminderEvents() {
  const rows = await db.outboxEvent.findMany({
    where: { type: 'campus.coworking.booking.night_reminder.v1' },
    orderBy: { seq: 'asc' },
  });
  return rows.map((r) => r.payload as unknown as CloudEvent<BookingEventData>);
}

it('two replicas running the same firings together remind each key holder once per firing', async () => {
  const out = await Promise.all(
    [1, 2, 3, 4, 5].map((n) => seed(n, n % 2 ? 'key_taken' : 'key_return_requested', true)),
  );
  const returned = await seed(6, 'key_returned', true);
  const approved = await seed(7, 'approved', false);

  setClocks(FIRST);
  const [a, b] = await both(FIRST);
  expect(a + b).toBe(5);
  setClocks(SECOND);
  const [c, d] = await both(SECOND);
  expect(c + d).toBe(5);

  for (const booking of out) {
    expect(await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({
      nightReminderCount: 2,
      lastNightReminderAt: SECOND,
      version: booking.version, // bookkeeping, not an edit: a concurrent command's version check holds
    });
  }
  for (const quiet of [returned, approved]) {
    expect(await db.booking.findUniqueOrThrow({ where: { id: quiet.id } })).toMatchObject({ nightReminderCount: 0 });
  }
  expect(await db.nightReminder.count()).toBe(10);

  const events = await reminderEvents();
  expect(events).toHaveLength(10);
  expect(events.map((e) => `${e.data.bookingId}@${e.data.at}#${e.data.nightReminderCount}`).sort()).toEqual(
    out.flatMap((o) => [`${o.id}@${FIRST.toISOString()}#1`, `${o.id}@${SECOND.toISOString()}#2`]).sort(),
  );
  for (const event of events) {
    expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
    expect(event.data.actorId).toBeNull();
  }
});

it('a re-run of a firing already done reminds no one', async () => {
  const before = (await reminderEvents()).length;
  setClocks(SECOND);
  expect(await both(SECOND)).toEqual([0, 0]);
  expect(await reminderEvents()).toHaveLength(before);
});

it('a key returned before the firing is not reminded; the others still are', async () => {
  const keyOut = await db.booking.findMany({ where: { status: { in: ['key_taken', 'key_return_requested'] } } });
  const back = keyOut[0]!;
  await db.booking.update({
    where: { id: back.id },
    data: { status: 'key_returned', keyReturnedAt: new Date('2026-03-10T21:45:00.000Z') },
  });
  const third = firing('2026-03-10T22:00:00.000Z'); // 01:00 Moscow
  setClocks(third);
  const [a, b] = await both(third);
  expect(a + b).toBe(keyOut.length - 1);
  expect(await db.booking.findUniqueOrThrow({ where: { id: back.id } })).toMatchObject({ nightReminderCount: 2 });
  expect(await db.nightReminder.count({ where: { bookingId: back.id } })).toBe(2);
  const thirdEvents = (await reminderEvents()).filter((e) => e.data.at === third.toISOString());
  expect(thirdEvents.map((e) => e.data.bookingId)).not.toContain(back.id);
});

it('a firing at 06:00 (the end of the night) reminds no one', async () => {
  const morning = firing('2026-03-11T03:00:00.000Z');
  setClocks(morning);
  expect(await both(morning)).toEqual([0, 0]);
});
