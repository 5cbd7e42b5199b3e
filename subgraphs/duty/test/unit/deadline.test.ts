import { randomUUID } from 'node:crypto';
import { validateEvent } from '@campus/contracts';
import type { CloudEvent } from '@campus/platform';
import { TestClock } from '@campus/testkit';
import { afterRejection, dueReminder, isOverdueAt, sanctionsFor, type SanctionDraft } from '../../src/domain/deadline';
import { dutyMoments, graceDeadlineAfterRejection } from '../../src/domain/duty-times';
import type { DutySchedule, DutyTimes, RoomRef } from '../../src/domain/records';
import { DutySweep } from '../../src/services/deadlines.service';
import type { DeadlineStore, OverdueClaim, ReminderClaim } from '../../src/services/ports';
import { FakeCampus } from '../support/fakes';

const TIMES: DutyTimes = {
  deadline: '23:00',
  eveningReminder: '18:00',
  morningReminder: '09:00',
  sanctionInvitation: '09:00',
};
const MOSCOW = 'Europe/Moscow';

function schedule(room: RoomRef, date: string, timeZone = MOSCOW, patch: Partial<DutySchedule> = {}): DutySchedule {
  const at = new Date('2026-02-20T00:00:00.000Z');
  return {
    id: randomUUID(),
    rosterId: randomUUID(),
    room,
    dutyDate: date,
    month: date.slice(0, 7),
    status: 'pending',
    ...dutyMoments(date, TIMES, timeZone),
    eveningRemindedAt: null,
    morningRemindedAt: null,
    overdueAt: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...patch,
  };
}

/**
 * campus_duty in memory, with the repository's claim conditions (the domain rules, applied at
 * claim time): a claim that no longer qualifies writes nothing.
 */
class FakeDeadlineStore implements DeadlineStore {
  readonly schedules = new Map<string, DutySchedule>();
  readonly sanctions: SanctionDraft[] = [];
  readonly outbox: CloudEvent[] = [];

  add(...schedules: DutySchedule[]): void {
    for (const s of schedules) this.schedules.set(s.id, s);
  }

  async overdueCandidates(now: Date, limit: number) {
    return [...this.schedules.values()].filter((s) => isOverdueAt(s, now)).slice(0, limit);
  }

  async reminderCandidates(now: Date, limit: number) {
    return [...this.schedules.values()].filter((s) => dueReminder(s, now)).slice(0, limit);
  }

  async claimOverdue(claim: OverdueClaim) {
    // Yield first, as a database round trip does: concurrent runs interleave here.
    await Promise.resolve();
    const current = this.schedules.get(claim.scheduleId);
    if (!current || !isOverdueAt(current, claim.at)) return null;
    const updated: DutySchedule = { ...current, status: 'overdue', overdueAt: claim.at, version: current.version + 1 };
    this.schedules.set(updated.id, updated);
    const inserted = claim.sanctions.filter(
      (d) => !this.sanctions.some((s) => s.scheduleId === d.scheduleId && s.userId === d.userId),
    );
    this.sanctions.push(...inserted);
    this.outbox.push(...claim.events(updated, inserted));
    return updated;
  }

  async claimReminder(claim: ReminderClaim) {
    await Promise.resolve();
    const current = this.schedules.get(claim.scheduleId);
    if (!current || dueReminder(current, claim.at) !== claim.kind) return null;
    const updated: DutySchedule =
      claim.kind === 'today'
        ? { ...current, morningRemindedAt: claim.at }
        : { ...current, eveningRemindedAt: claim.at };
    this.schedules.set(updated.id, updated);
    this.outbox.push(...claim.events(updated));
    return updated;
  }
}

describe('deadline rules', () => {
  const campus = new FakeCampus();
  const room = campus.addRoom('A', 1, '305');

  it('a pending duty is overdue from 23:00 campus time of its day, not a second earlier', () => {
    const duty = schedule(room, '2026-03-10');
    const clock = new TestClock('2026-03-10T19:59:59.999Z'); // 22:59:59.999 in Moscow (UTC+3)
    expect(duty.deadlineAt.toISOString()).toBe('2026-03-10T20:00:00.000Z');
    expect(isOverdueAt(duty, clock.now())).toBe(false);
    clock.advance(1);
    expect(isOverdueAt(duty, clock.now())).toBe(true);
  });

  it('a submitted, accepted or already overdue duty never becomes overdue', () => {
    const after = new Date('2026-03-11T00:00:00.000Z');
    for (const status of ['report_submitted', 'accepted', 'overdue'] as const) {
      expect(isOverdueAt(schedule(room, '2026-03-10', MOSCOW, { status }), after)).toBe(false);
    }
  });

  it('reads the clock times in the campus zone: Vladivostok (UTC+10) and Berlin in summer (UTC+2)', () => {
    const vladivostok = schedule(room, '2026-03-10', 'Asia/Vladivostok');
    expect(vladivostok.deadlineAt.toISOString()).toBe('2026-03-10T13:00:00.000Z');
    expect(vladivostok.eveningReminderAt.toISOString()).toBe('2026-03-09T08:00:00.000Z');
    expect(isOverdueAt(vladivostok, new Date('2026-03-10T12:59:59.000Z'))).toBe(false);
    expect(isOverdueAt(vladivostok, new Date('2026-03-10T13:00:00.000Z'))).toBe(true);
    const [sanction] = sanctionsFor(vladivostok, [{ userId: 'u1' }], TIMES, 'Asia/Vladivostok', randomUUID);
    // 09:00 of the next day in Vladivostok is 23:00Z of the duty date itself.
    expect(sanction!.invitedAt.toISOString()).toBe('2026-03-10T23:00:00.000Z');

    const berlin = schedule(room, '2026-07-01', 'Europe/Berlin');
    expect(berlin.deadlineAt.toISOString()).toBe('2026-07-01T21:00:00.000Z');
  });

  it('one sanction per resident (a resident listed twice counts once), invited at 09:00 the next day', () => {
    const duty = schedule(room, '2026-03-31');
    const sanctions = sanctionsFor(
      duty,
      [{ userId: 'a' }, { userId: 'b' }, { userId: 'a' }],
      TIMES,
      MOSCOW,
      randomUUID,
    );
    expect(sanctions.map((s) => s.userId)).toEqual(['a', 'b']);
    expect(sanctions.every((s) => s.scheduleId === duty.id && s.dutyDate === '2026-03-31')).toBe(true);
    // Across the month end: 2026-04-01 09:00 Moscow.
    expect(sanctions[0]!.invitedAt.toISOString()).toBe('2026-04-01T06:00:00.000Z');
    expect(new Set(sanctions.map((s) => s.id)).size).toBe(2);
  });

  describe('reminder windows (duty on 2026-03-10, Moscow)', () => {
    const duty = schedule(room, '2026-03-10');
    const at = (iso: string) => new Date(iso);

    it.each([
      ['before the evening reminder', '2026-03-09T14:59:59.000Z', null],
      ['at 18:00 the evening before', '2026-03-09T15:00:00.000Z', 'tomorrow'],
      ['at night', '2026-03-09T23:00:00.000Z', 'tomorrow'],
      ['at 09:00 of the day (the evening one, unsent, is skipped)', '2026-03-10T06:00:00.000Z', 'today'],
      ['in the afternoon', '2026-03-10T12:00:00.000Z', 'today'],
      ['at the deadline', '2026-03-10T20:00:00.000Z', null],
    ])('%s', (_when, iso, expected) => {
      expect(dueReminder(duty, at(iso))).toBe(expected);
    });

    it('each reminder once', () => {
      const evening = { ...duty, eveningRemindedAt: at('2026-03-09T15:00:00.000Z') };
      expect(dueReminder(evening, at('2026-03-09T20:00:00.000Z'))).toBeNull();
      expect(dueReminder(evening, at('2026-03-10T06:00:00.000Z'))).toBe('today');
      const both = { ...evening, morningRemindedAt: at('2026-03-10T06:00:00.000Z') };
      expect(dueReminder(both, at('2026-03-10T07:00:00.000Z'))).toBeNull();
    });

    it('only a pending duty is reminded', () => {
      expect(dueReminder({ ...duty, status: 'report_submitted' }, at('2026-03-10T06:00:00.000Z'))).toBeNull();
    });
  });
});

describe('a rejection at or after the deadline (a late review)', () => {
  const campus = new FakeCampus();
  const room = campus.addRoom('A', 1, '306');
  // Duty on 2026-03-10: its deadline is 23:00 Moscow (UTC+3) = 20:00Z.
  const duty = schedule(room, '2026-03-10');
  const grace = (iso: string, timeZone = MOSCOW, d = duty) =>
    graceDeadlineAfterRejection(d.deadlineAt, new Date(iso), TIMES, timeZone).toISOString();

  it.each([
    ['in the afternoon of the duty day: the deadline stays', '2026-03-10T12:00:00.000Z', '2026-03-10T20:00:00.000Z'],
    ['a millisecond before 23:00: stays', '2026-03-10T19:59:59.999Z', '2026-03-10T20:00:00.000Z'],
    ['at 23:00 sharp: 23:00 the next day', '2026-03-10T20:00:00.000Z', '2026-03-11T20:00:00.000Z'],
    ['at 23:30 of the duty day: 23:00 the next day', '2026-03-10T20:30:00.000Z', '2026-03-11T20:00:00.000Z'],
    [
      'at 00:30 the next campus day (21:30Z): 23:00 of the day after it',
      '2026-03-10T21:30:00.000Z',
      '2026-03-12T20:00:00.000Z',
    ],
    ['at 10:00 the next morning: 23:00 the day after it', '2026-03-11T07:00:00.000Z', '2026-03-12T20:00:00.000Z'],
  ])('%s', (_when, rejectedAt, deadline) => {
    expect(grace(rejectedAt)).toBe(deadline);
  });

  it('decides in the configured zone and at the configured deadline time', () => {
    const vladivostok = schedule(room, '2026-03-10', 'Asia/Vladivostok'); // 23:00 UTC+10 = 13:00Z
    // 15:30Z is 01:30 on the 11th in Vladivostok (still the 10th in Moscow): 23:00 of the 12th there.
    expect(grace('2026-03-10T15:30:00.000Z', 'Asia/Vladivostok', vladivostok)).toBe('2026-03-12T13:00:00.000Z');
    const at22 = graceDeadlineAfterRejection(
      duty.deadlineAt,
      new Date('2026-03-11T07:00:00.000Z'),
      { deadline: '22:00' },
      MOSCOW,
    );
    expect(at22.toISOString()).toBe('2026-03-12T19:00:00.000Z'); // 22:00 Moscow on the 12th
  });

  it('a repeated late rejection moves the moved deadline again; one before it keeps it', () => {
    const moved = { ...duty, deadlineAt: new Date('2026-03-11T20:00:00.000Z') };
    expect(grace('2026-03-11T19:00:00.000Z', MOSCOW, moved)).toBe('2026-03-11T20:00:00.000Z');
    expect(grace('2026-03-12T07:00:00.000Z', MOSCOW, moved)).toBe('2026-03-13T20:00:00.000Z');
  });

  it('afterRejection: an early one changes nothing; a late one moves the deadline and sends no reminder again', () => {
    const early = new Date('2026-03-10T12:00:00.000Z');
    expect(afterRejection(duty, early, TIMES, MOSCOW)).toEqual({
      deadlineAt: duty.deadlineAt,
      eveningRemindedAt: null,
      morningRemindedAt: null,
    });

    // Reported before 09:00, so the morning reminder was never sent; rejected at 10:00 the next day.
    const late = new Date('2026-03-11T07:00:00.000Z');
    const reminded = { ...duty, eveningRemindedAt: new Date('2026-03-09T15:00:00.000Z') };
    const times = afterRejection(reminded, late, TIMES, MOSCOW);
    expect(times).toEqual({
      deadlineAt: new Date('2026-03-12T20:00:00.000Z'), // 23:00 Moscow the day after the rejection
      eveningRemindedAt: reminded.eveningRemindedAt, // kept as it was
      morningRemindedAt: late, // marked done, not sent
    });
    const rejected = { ...reminded, ...times };
    expect(isOverdueAt(rejected, late)).toBe(false);
    expect(dueReminder(rejected, late)).toBeNull();
    expect(isOverdueAt(rejected, new Date('2026-03-12T19:59:59.999Z'))).toBe(false);
    expect(isOverdueAt(rejected, new Date('2026-03-12T20:00:00.000Z'))).toBe(true);
  });

  it('sanctions of a moved deadline invite at 09:00 the day after the new deadline, never a past day', () => {
    const moved = { ...duty, deadlineAt: new Date('2026-03-11T20:00:00.000Z') };
    const [sanction] = sanctionsFor(moved, [{ userId: 'a' }], TIMES, MOSCOW, randomUUID);
    expect(sanction).toMatchObject({ dutyDate: '2026-03-10', invitedAt: new Date('2026-03-12T06:00:00.000Z') });
  });
});

describe('DutySweep (in-memory store)', () => {
  function setup() {
    const campus = new FakeCampus();
    const store = new FakeDeadlineStore();
    const room = campus.addRoom('A', 1, '305');
    const [alice, bob] = [campus.moveIn(room), campus.moveIn(room)];
    const sweep = new DutySweep({ store, rooms: campus, times: TIMES, timeZone: MOSCOW });
    return { campus, store, room, alice: alice!, bob: bob!, sweep };
  }
  const afterDeadline = new Date('2026-03-10T20:00:30.000Z');

  it('marks a duty past its deadline overdue with one sanction per current resident and its events', async () => {
    const { campus, store, room, alice, bob, sweep } = setup();
    const overdue = schedule(room, '2026-03-10');
    const later = schedule(room, '2026-03-20');
    const submitted = schedule(room, '2026-03-09', MOSCOW, { status: 'report_submitted' });
    const accepted = schedule(room, '2026-03-08', MOSCOW, { status: 'accepted' });
    store.add(overdue, later, submitted, accepted);
    campus.moveOut(bob.id);
    const carol = campus.moveIn(room);

    expect(await sweep.run(afterDeadline)).toEqual({ overdue: 1, sanctions: 2, reminders: { tomorrow: 0, today: 0 } });

    expect(store.schedules.get(overdue.id)).toMatchObject({ status: 'overdue', overdueAt: afterDeadline, version: 2 });
    expect(store.schedules.get(later.id)!.status).toBe('pending');
    expect(store.schedules.get(submitted.id)).toEqual(submitted);
    expect(store.schedules.get(accepted.id)).toEqual(accepted);
    expect(store.sanctions.map((s) => s.userId).sort()).toEqual([alice.id, carol.id].sort());
    expect(store.outbox.map((e) => e.type)).toEqual([
      'campus.duty.schedule.overdue.v1',
      'campus.duty.sanction.created.v1',
      'campus.duty.sanction.created.v1',
    ]);
    expect(store.outbox[0]!.data).toMatchObject({
      scheduleId: overdue.id,
      roomNumber: '305',
      dutyDate: '2026-03-10',
      deadlineAt: '2026-03-10T20:00:00.000Z',
      sanctionIds: store.sanctions.map((s) => s.id),
    });
    expect(store.outbox.every((e) => validateEvent(e).valid)).toBe(true);
    expect(store.outbox[1]!.data).toMatchObject({ invitedAt: '2026-03-11T06:00:00.000Z' });
  });

  it('is idempotent: a second run and two concurrent runs still make exactly one set', async () => {
    const { store, room, sweep, campus } = setup();
    store.add(schedule(room, '2026-03-10'));
    const other = new DutySweep({ store, rooms: campus, times: TIMES, timeZone: MOSCOW });

    const results = await Promise.all([sweep.run(afterDeadline), other.run(afterDeadline)]);
    expect(results.map((r) => r.overdue).sort()).toEqual([0, 1]);
    expect(await sweep.run(new Date(afterDeadline.getTime() + 60_000))).toMatchObject({ overdue: 0, sanctions: 0 });
    expect(store.sanctions).toHaveLength(2);
    expect(store.outbox).toHaveLength(3);
  });

  it('with identity down, the run fails before writing anything, and the retry does the work', async () => {
    const { store, room, sweep, campus } = setup();
    const duty = schedule(room, '2026-03-10');
    store.add(duty);
    campus.down = true;
    await expect(sweep.run(afterDeadline)).rejects.toMatchObject({ code: 'DUTY_DEPENDENCY_UNAVAILABLE' });
    expect(store.schedules.get(duty.id)!.status).toBe('pending');
    expect(store.outbox).toEqual([]);

    campus.down = false;
    expect(await sweep.run(afterDeadline)).toMatchObject({ overdue: 1, sanctions: 2 });
  });

  it('an empty room: overdue without sanctions', async () => {
    const { store, room, sweep, campus } = setup();
    store.add(schedule(room, '2026-03-10'));
    campus.vacate(room.roomId);
    expect(await sweep.run(afterDeadline)).toMatchObject({ overdue: 1, sanctions: 0 });
    expect(store.outbox.map((e) => e.type)).toEqual(['campus.duty.schedule.overdue.v1']);
  });

  it('sends each reminder once, to the current residents, and catches up after downtime with the useful one only', async () => {
    const { store, room, sweep, alice, bob } = setup();
    const duty = schedule(room, '2026-03-10');
    const missed = schedule(room, '2026-03-11');
    store.add(duty, missed);

    const evening = new Date('2026-03-09T15:00:10.000Z');
    expect((await sweep.run(evening)).reminders).toEqual({ tomorrow: 1, today: 0 });
    expect((await sweep.run(new Date(evening.getTime() + 60_000))).reminders).toEqual({ tomorrow: 0, today: 0 });
    const morning = new Date('2026-03-10T06:00:00.000Z');
    expect((await sweep.run(morning)).reminders).toEqual({ tomorrow: 0, today: 1 });
    expect((await sweep.run(morning)).reminders).toEqual({ tomorrow: 0, today: 0 });

    // Down from the evening of the 10th to the morning of the 11th: only "today" for the 11th.
    expect((await sweep.run(new Date('2026-03-11T07:00:00.000Z'))).reminders).toEqual({ tomorrow: 0, today: 1 });

    const reminders = store.outbox.filter((e) => e.type === 'campus.duty.schedule.reminder_due.v1');
    expect(reminders.map((e) => [e.subject, (e.data as { when: string }).when])).toEqual([
      [duty.id, 'tomorrow'],
      [duty.id, 'today'],
      [missed.id, 'today'],
    ]);
    expect((reminders[0]!.data as { residentIds: string[] }).residentIds.sort()).toEqual([alice.id, bob.id].sort());
    expect(reminders.every((e) => validateEvent(e).valid)).toBe(true);
  });

  it('a late rejection: no overdue, sanction or reminder until the moved deadline, then sanctions for the day after it', async () => {
    const { store, room, sweep, alice, bob } = setup();
    // Submitted at 08:00 on the 10th (no morning reminder), rejected at 10:00 on the 11th.
    const rejectedAt = new Date('2026-03-11T07:00:00.000Z');
    const duty = schedule(room, '2026-03-10', MOSCOW, { eveningRemindedAt: new Date('2026-03-09T15:00:00.000Z') });
    store.add({ ...duty, ...afterRejection(duty, rejectedAt, TIMES, MOSCOW) });

    expect(await sweep.run(new Date('2026-03-11T07:01:00.000Z'))).toEqual({
      overdue: 0,
      sanctions: 0,
      reminders: { tomorrow: 0, today: 0 },
    });
    // the moved deadline: 23:00 Moscow on the 12th (the day after the rejection)
    expect(await sweep.run(new Date('2026-03-12T19:59:59.999Z'))).toMatchObject({ overdue: 0, sanctions: 0 });
    expect(store.outbox).toEqual([]);

    expect(await sweep.run(new Date('2026-03-12T20:00:30.000Z'))).toMatchObject({ overdue: 1, sanctions: 2 });
    expect(store.sanctions.map((s) => [s.userId, s.invitedAt.toISOString()]).sort()).toEqual(
      [alice.id, bob.id].sort().map((id) => [id, '2026-03-13T06:00:00.000Z']), // 09:00 Moscow on the 13th
    );
    expect(store.outbox[0]!.data).toMatchObject({ dutyDate: '2026-03-10', deadlineAt: '2026-03-12T20:00:00.000Z' });
    expect(store.outbox.every((e) => validateEvent(e).valid)).toBe(true);
  });

  it('works through more duties than one batch', async () => {
    const campus = new FakeCampus();
    const store = new FakeDeadlineStore();
    const rooms = campus.addRooms('A', 1, 301, 7);
    for (const r of rooms) {
      campus.moveIn(r);
      store.add(schedule(r, '2026-03-10'));
    }
    const sweep = new DutySweep({ store, rooms: campus, times: TIMES, timeZone: MOSCOW, batchSize: 3 });
    expect(await sweep.run(afterDeadline)).toMatchObject({ overdue: 7, sanctions: 7 });
    // One residents call per batch: 3 + 3 + 1 (the reminder pass finds nothing).
    expect(campus.callsTo('residentsOf')).toHaveLength(3);
  });
});
