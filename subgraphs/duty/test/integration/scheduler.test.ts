// The duty-sweep as the service runs it: the durable scheduler fires it on DUTY_SWEEP_CRON (here
// every second) with the service clock, and an overdue duty is marked within seconds, its
// sanctions published through the outbox relay. Readiness includes the scheduler.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@campus/testkit';
import { dutyMoments } from '../../src/domain/duty-times';
import { toDateColumn } from '../../src/repository/schedule.mapper';
import { startDutyHarness, type DutyHarness } from '../support/harness';

jest.setTimeout(60_000);

let h: DutyHarness;

beforeAll(async () => {
  // The clock stands at 23:00:01 Moscow on 2026-03-05 (just past that day's deadline).
  h = await startDutyHarness('2026-03-05T20:00:01.000Z', { env: { DUTY_SWEEP_CRON: '*/1 * * * * *' } });
});
afterAll(() => h?.stop());

it('marks a duty past its deadline overdue within a few seconds, with its sanctions, and reports the scheduler ready', async () => {
  const db = h.duty.internals.db;
  const room = h.campus.addRoom('S', 1, '501');
  const resident = h.campus.moveIn(room);
  const roster = await db.roster.create({
    data: {
      id: randomUUID(),
      building: 'S',
      entrance: 1,
      month: '2026-03',
      generatedBy: randomUUID(),
      generatedAt: new Date('2026-02-25T10:00:00.000Z'),
    },
  });
  const duty = (date: string) => ({
    id: randomUUID(),
    rosterId: roster.id,
    roomId: room.roomId,
    building: 'S',
    entrance: 1,
    floor: room.floor,
    roomNumber: '501',
    dutyDate: toDateColumn(date),
    month: '2026-03',
    ...dutyMoments(date, h.config.times, h.config.campusTimeZone),
  });
  const overdue = await db.dutySchedule.create({ data: duty('2026-03-05') });
  const tomorrow = await db.dutySchedule.create({ data: duty('2026-03-06') });

  const started = Date.now();
  await waitFor(
    async () => (await db.dutySchedule.findUniqueOrThrow({ where: { id: overdue.id } })).status === 'overdue',
    'the scheduled sweep to mark the duty overdue',
    10_000,
  );
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(await db.sanction.findMany({ where: { scheduleId: overdue.id } })).toEqual([
    expect.objectContaining({ userId: resident.id, status: 'open' }),
  ]);
  // Tomorrow's duty got its evening reminder (18:00 passed), once, however many firings ran.
  await waitFor(
    async () => (await db.dutySchedule.findUniqueOrThrow({ where: { id: tomorrow.id } })).eveningRemindedAt,
    'the evening reminder',
  );
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // a few more firings
  const events = await db.outboxEvent.findMany({ where: { type: { startsWith: 'campus.duty.' } } });
  expect(events.map((e) => e.type).sort()).toEqual([
    'campus.duty.sanction.created.v1',
    'campus.duty.schedule.overdue.v1',
    'campus.duty.schedule.reminder_due.v1',
  ]);
  // The relay publishes them.
  await waitFor(async () => (await db.outboxEvent.count({ where: { publishedAt: null } })) === 0, 'the relay');

  const health = (await (await fetch(`${h.baseUrl}/health/readiness`)).json()) as unknown;
  expect(health).toMatchObject({ status: 'ok', checks: { scheduler: 'up' } });
});
