// The duty-sweep against real PostgreSQL (and the outbox relay to RabbitMQ): overdue duties get
// exactly one set of sanctions and events however many sweeps run, at once or again; reminders
// go out once. The scheduler's own cron is pushed out of the way: these tests call the sweep.
import { randomUUID } from 'node:crypto';
import { createDatabasePool, createPrismaClient, type CloudEvent } from '@campus/platform';
import { dutyMoments } from '../../src/domain/duty-times';
import type { DutyStatus, RoomRef } from '../../src/domain/records';
import { PrismaClient } from '../../src/repository/database';
import { PrismaDeadlineStore } from '../../src/repository/deadlines.repository';
import { toDateColumn } from '../../src/repository/schedule.mapper';
import { DutySweep } from '../../src/services/deadlines.service';
import { startDutyHarness, type DutyHarness } from '../support/harness';

jest.setTimeout(60_000);

let h: DutyHarness;

beforeAll(async () => {
  // Never during a test run (Jan 1st, midnight): only the sweeps the tests start.
  h = await startDutyHarness('2026-03-01T09:00:00.000Z', { env: { DUTY_SWEEP_CRON: '0 0 1 1 *' } });
});
afterAll(() => h?.stop());

const db = () => h.duty.internals.db;

async function insertDuty(room: RoomRef, date: string, status: DutyStatus = 'pending') {
  const month = date.slice(0, 7);
  const roster = await db().roster.upsert({
    where: { building_entrance_month: { building: room.building, entrance: room.entrance, month } },
    create: {
      id: randomUUID(),
      building: room.building,
      entrance: room.entrance,
      month,
      generatedBy: randomUUID(),
      generatedAt: new Date('2026-02-25T10:00:00.000Z'),
    },
    update: {},
  });
  return db().dutySchedule.create({
    data: {
      id: randomUUID(),
      rosterId: roster.id,
      roomId: room.roomId,
      building: room.building,
      entrance: room.entrance,
      floor: room.floor,
      roomNumber: room.number,
      dutyDate: toDateColumn(date),
      month,
      status,
      ...dutyMoments(date, h.config.times, h.config.campusTimeZone),
    },
  });
}

const outboxOf = async (subject: string) =>
  (await db().outboxEvent.findMany({ orderBy: { seq: 'asc' } }))
    .map((row) => row.payload as unknown as CloudEvent)
    .filter((e) => e.subject === subject || (e.data as { scheduleId?: string }).scheduleId === subject);

const sweepAt = (iso: string) => h.duty.internals.sweep.run(new Date(iso));

describe('overdue duties', () => {
  it('one sweep: overdue, one sanction per current resident, the events in the outbox; submitted and accepted untouched', async () => {
    const [room, other] = h.campus.addRooms('A', 1, 301, 2) as [RoomRef, RoomRef];
    const [alice, bob] = [h.campus.moveIn(room), h.campus.moveIn(room)];
    const gone = h.campus.moveIn(room);
    h.campus.moveOut(gone.id); // moved out before the deadline: not sanctioned
    h.campus.moveIn(other);
    const duty = await insertDuty(room, '2026-03-05');
    const submitted = await insertDuty(other, '2026-03-05', 'report_submitted');
    const accepted = await insertDuty(other, '2026-03-04', 'accepted');
    const future = await insertDuty(room, '2026-03-20');

    // 23:00:30 Moscow on the duty day.
    expect(await sweepAt('2026-03-05T20:00:30.000Z')).toMatchObject({ overdue: 1, sanctions: 2 });

    const after = await db().dutySchedule.findUniqueOrThrow({ where: { id: duty.id } });
    expect(after).toMatchObject({ status: 'overdue', overdueAt: new Date('2026-03-05T20:00:30.000Z'), version: 2 });
    for (const untouched of [submitted, accepted, future]) {
      expect(await db().dutySchedule.findUniqueOrThrow({ where: { id: untouched.id } })).toEqual(untouched);
    }
    const sanctions = await db().sanction.findMany({ where: { scheduleId: duty.id }, orderBy: { userId: 'asc' } });
    expect(sanctions.map((s) => s.userId)).toEqual([alice.id, bob.id].sort());
    expect(sanctions[0]).toMatchObject({
      status: 'open',
      roomId: room.roomId,
      building: 'A',
      entrance: 1,
      floor: room.floor,
      roomNumber: '301',
      dutyDate: new Date('2026-03-05T00:00:00.000Z'),
      invitedAt: new Date('2026-03-06T06:00:00.000Z'), // 09:00 Moscow, the next day
    });

    const events = await outboxOf(duty.id);
    expect(events.map((e) => e.type)).toEqual([
      'campus.duty.schedule.overdue.v1',
      'campus.duty.sanction.created.v1',
      'campus.duty.sanction.created.v1',
    ]);
    expect(events[0]!.data).toMatchObject({
      scheduleId: duty.id,
      residentIds: expect.arrayContaining([alice.id, bob.id]),
      sanctionIds: expect.arrayContaining(sanctions.map((s) => s.id)),
      deadlineAt: '2026-03-05T20:00:00.000Z',
    });
    expect(new Set(events.slice(1).map((e) => (e.data as { userId: string }).userId))).toEqual(
      new Set([alice.id, bob.id]),
    );
  });

  it('a second sweep and two concurrent sweeps (two replicas) still leave exactly one set', async () => {
    const room = h.campus.addRoom('B', 2, '410');
    h.campus.moveIn(room);
    h.campus.moveIn(room);
    const duty = await insertDuty(room, '2026-03-06');

    // A second replica: its own Prisma client and pool, its own sweep.
    const replicaPool = createDatabasePool(h.config.databaseUrl, 3);
    const replicaDb = createPrismaClient(PrismaClient, replicaPool);
    try {
      const replica = new DutySweep({
        store: new PrismaDeadlineStore(replicaDb),
        rooms: h.campus,
        times: h.config.times,
        timeZone: h.config.campusTimeZone,
      });
      const at = '2026-03-06T20:05:00.000Z';
      const results = await Promise.all([sweepAt(at), replica.run(new Date(at)), sweepAt(at)]);
      expect(results.reduce((n, r) => n + r.overdue, 0)).toBe(1);
      expect(results.reduce((n, r) => n + r.sanctions, 0)).toBe(2);
      expect(await sweepAt('2026-03-06T20:06:00.000Z')).toMatchObject({ overdue: 0, sanctions: 0 });
    } finally {
      await replicaDb.$disconnect();
      await replicaPool.end();
    }
    expect(await db().sanction.count({ where: { scheduleId: duty.id } })).toBe(2);
    expect((await outboxOf(duty.id)).map((e) => e.type)).toEqual([
      'campus.duty.schedule.overdue.v1',
      'campus.duty.sanction.created.v1',
      'campus.duty.sanction.created.v1',
    ]);
  });

  it('identity down: the run fails and writes nothing; the retry does it all', async () => {
    const room = h.campus.addRoom('C', 1, '101');
    h.campus.moveIn(room);
    const duty = await insertDuty(room, '2026-03-07');
    h.campus.down = true;
    try {
      await expect(sweepAt('2026-03-07T20:01:00.000Z')).rejects.toMatchObject({ code: 'DUTY_DEPENDENCY_UNAVAILABLE' });
    } finally {
      h.campus.down = false;
    }
    expect((await db().dutySchedule.findUniqueOrThrow({ where: { id: duty.id } })).status).toBe('pending');
    expect(await outboxOf(duty.id)).toEqual([]);
    expect(await sweepAt('2026-03-07T20:02:00.000Z')).toMatchObject({ overdue: 1, sanctions: 1 });
  });
});

describe('reminders', () => {
  it('each once, even with sweeps racing; after downtime only the morning one', async () => {
    const room = h.campus.addRoom('D', 1, '201');
    const [alice, bob] = [h.campus.moveIn(room), h.campus.moveIn(room)];
    const duty = await insertDuty(room, '2026-03-12');
    const late = await insertDuty(room, '2026-03-13');

    // 18:00:05 Moscow the evening before the 12th, three sweeps at once.
    const evening = '2026-03-11T15:00:05.000Z';
    const runs = await Promise.all([sweepAt(evening), sweepAt(evening), sweepAt(evening)]);
    expect(runs.reduce((n, r) => n + r.reminders.tomorrow, 0)).toBe(1);
    // 09:00 Moscow on the 12th, twice.
    expect((await sweepAt('2026-03-12T06:00:00.000Z')).reminders).toEqual({ tomorrow: 0, today: 1 });
    expect((await sweepAt('2026-03-12T06:01:00.000Z')).reminders).toEqual({ tomorrow: 0, today: 0 });
    // Nothing ran between the 12th, 18:00 and the 13th, 10:00: the 13th gets only "today" (and
    // the 12th, never reported, is caught up as overdue).
    expect(await sweepAt('2026-03-13T07:00:00.000Z')).toEqual({
      overdue: 1,
      sanctions: 2,
      reminders: { tomorrow: 0, today: 1 },
    });

    const sent = [...(await outboxOf(duty.id)), ...(await outboxOf(late.id))].filter(
      (e) => e.type === 'campus.duty.schedule.reminder_due.v1',
    );
    expect(sent.map((e) => [e.subject, (e.data as { when: string }).when])).toEqual([
      [duty.id, 'tomorrow'],
      [duty.id, 'today'],
      [late.id, 'today'],
    ]);
    expect(new Set((sent[0]!.data as { residentIds: string[] }).residentIds)).toEqual(new Set([alice.id, bob.id]));
    expect(await db().dutySchedule.findUniqueOrThrow({ where: { id: duty.id } })).toMatchObject({
      eveningRemindedAt: new Date(evening),
      morningRemindedAt: new Date('2026-03-12T06:00:00.000Z'),
      status: 'overdue',
    });
    expect((await db().dutySchedule.findUniqueOrThrow({ where: { id: late.id } })).eveningRemindedAt).toBeNull();
  });
});
