import type { CloudEvent } from '@campus/platform';
import { TestClock } from '@campus/testkit';
import {
  DEFAULT_NIGHT_WINDOW,
  dueNightReminders,
  isKeyOutAt,
  isNightAt,
  isStaleFiring,
} from '../../src/domain/night-reminders';
import type { Booking, BookingStatus } from '../../src/domain/records';
import type { BookingEventData } from '../../src/events/booking-events';
import type { KeyOutBooking, NightReminderStore } from '../../src/services/ports';
import { NightReminders } from '../../src/services/night-reminders.service';

const MOSCOW = 'Europe/Moscow'; // UTC+3, no DST
const VLADIVOSTOK = 'Asia/Vladivostok'; // UTC+10
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function booking(n: number, status: BookingStatus, keyTakenAt: string | null = '2026-03-10T17:00:00.000Z'): Booking {
  return {
    id: id(n),
    coworkingId: id(100 + n),
    studentId: id(200 + n),
    purpose: 'Проект',
    startsAt: new Date('2026-03-10T17:00:00.000Z'),
    endsAt: new Date('2026-03-10T19:00:00.000Z'),
    status,
    createdAt: new Date('2026-03-09T10:00:00.000Z'),
    decidedBy: id(300),
    decidedAt: new Date('2026-03-09T11:00:00.000Z'),
    rejectionReason: null,
    keyTakenAt: keyTakenAt === null ? null : new Date(keyTakenAt),
    keyTakenBy: keyTakenAt === null ? null : id(300),
    keyReturnRequestedAt: null,
    keyReturnRequestedBy: null,
    keyReturnedAt: null,
    completedAt: null,
    completedBy: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelledByCheckoutId: null,
    lastNightReminderAt: null,
    nightReminderCount: 0,
    version: 3,
  };
}

describe('the night window', () => {
  it.each([
    ['2026-03-10T20:59:59.000Z', false], // 23:59:59 Moscow
    ['2026-03-10T21:00:00.000Z', true], // 00:00
    ['2026-03-10T21:30:00.000Z', true], // 00:30
    ['2026-03-11T02:59:59.000Z', true], // 05:59:59
    ['2026-03-11T03:00:00.000Z', false], // 06:00: the window's end is exclusive
    ['2026-03-11T09:00:00.000Z', false], // noon
  ])('Moscow: %s is night: %s', (at, night) => {
    expect(isNightAt(new Date(at), DEFAULT_NIGHT_WINDOW, MOSCOW)).toBe(night);
  });

  it('is read on the campus wall clock of the configured zone', () => {
    // 00:30 in Vladivostok is 17:30 in Moscow, and 00:30 in Moscow is 07:30 in Vladivostok.
    expect(isNightAt(new Date('2026-03-10T14:30:00.000Z'), DEFAULT_NIGHT_WINDOW, VLADIVOSTOK)).toBe(true);
    expect(isNightAt(new Date('2026-03-10T14:30:00.000Z'), DEFAULT_NIGHT_WINDOW, MOSCOW)).toBe(false);
    expect(isNightAt(new Date('2026-03-10T21:30:00.000Z'), DEFAULT_NIGHT_WINDOW, VLADIVOSTOK)).toBe(false);
    expect(isNightAt(new Date('2026-03-10T19:59:00.000Z'), DEFAULT_NIGHT_WINDOW, VLADIVOSTOK)).toBe(true); // 05:59
  });

  it('wraps midnight when it starts later than it ends, and 24:00 is the end of the day', () => {
    const late = { from: '22:00', until: '06:00' };
    expect(isNightAt(new Date('2026-03-10T19:00:00.000Z'), late, MOSCOW)).toBe(true); // 22:00
    expect(isNightAt(new Date('2026-03-10T18:59:00.000Z'), late, MOSCOW)).toBe(false); // 21:59
    expect(isNightAt(new Date('2026-03-11T02:00:00.000Z'), late, MOSCOW)).toBe(true); // 05:00
    const always = { from: '00:00', until: '24:00' };
    expect(isNightAt(new Date('2026-03-10T20:59:00.000Z'), always, MOSCOW)).toBe(true); // 23:59
    expect(isNightAt(new Date('2026-03-10T09:00:00.000Z'), always, MOSCOW)).toBe(true); // noon
  });
});

describe('which bookings a firing reminds', () => {
  const dueAt = new Date('2026-03-10T21:30:00.000Z'); // 00:30 Moscow
  const all = [
    booking(1, 'key_taken'),
    booking(2, 'key_return_requested'),
    booking(3, 'key_returned'),
    booking(4, 'approved', null),
    booking(5, 'completed'),
    booking(6, 'key_taken', '2026-03-10T21:31:00.000Z'), // taken after the firing
  ];

  it('every booking whose key is out at the firing, at night', () => {
    expect(dueNightReminders(all, dueAt, DEFAULT_NIGHT_WINDOW, MOSCOW).map((b) => b.id)).toEqual([id(1), id(2)]);
  });

  it('none by day', () => {
    expect(dueNightReminders(all, new Date('2026-03-10T12:00:00.000Z'), DEFAULT_NIGHT_WINDOW, MOSCOW)).toEqual([]);
  });

  it('a key counts as out from the moment it was taken', () => {
    expect(isKeyOutAt(booking(7, 'key_taken', dueAt.toISOString()), dueAt)).toBe(true);
    expect(isKeyOutAt(booking(8, 'key_taken', null), dueAt)).toBe(false);
  });

  it('a firing running more than 30 minutes late is stale', () => {
    expect(isStaleFiring(dueAt, new Date(dueAt.getTime() + 30 * 60_000))).toBe(false);
    expect(isStaleFiring(dueAt, new Date(dueAt.getTime() + 30 * 60_000 + 1))).toBe(true);
  });
});

/** In memory: one reminder per (booking, firing), like night_reminders' primary key. */
class FakeNightReminderStore implements NightReminderStore {
  readonly reminders = new Set<string>();
  readonly events: CloudEvent[] = [];
  keysOutCalls = 0;
  constructor(readonly bookings: Booking[]) {}

  keysOut(dueAt: Date): Promise<KeyOutBooking[]> {
    this.keysOutCalls += 1;
    return Promise.resolve(
      this.bookings
        .filter((b) => isKeyOutAt(b, dueAt) && !this.reminders.has(`${b.id}|${dueAt.toISOString()}`))
        .map((b) => ({ booking: b, coworking: { id: b.coworkingId, name: 'Орбита', building: 'A' } })),
    );
  }

  remind(
    bookingId: string,
    dueAt: Date,
    _sentAt: Date,
    events: (reminded: KeyOutBooking) => readonly CloudEvent[],
  ): Promise<Booking | null> {
    const key = `${bookingId}|${dueAt.toISOString()}`;
    const index = this.bookings.findIndex((b) => b.id === bookingId);
    const current = this.bookings[index];
    if (this.reminders.has(key) || !current || !isKeyOutAt(current, dueAt)) return Promise.resolve(null);
    this.reminders.add(key);
    const updated = { ...current, nightReminderCount: current.nightReminderCount + 1, lastNightReminderAt: dueAt };
    this.bookings[index] = updated;
    this.events.push(
      ...events({ booking: updated, coworking: { id: updated.coworkingId, name: 'Орбита', building: 'A' } }),
    );
    return Promise.resolve(updated);
  }
}

describe('NightReminders.run', () => {
  const dueAt = new Date('2026-03-10T21:30:00.000Z'); // 00:30 Moscow

  function setup(clockAt: string, bookings: Booking[], timeZone = MOSCOW) {
    const store = new FakeNightReminderStore(bookings);
    const clock = new TestClock(clockAt);
    const reminders = new NightReminders({ store, clock, window: DEFAULT_NIGHT_WINDOW, timeZone });
    return { store, clock, reminders };
  }

  it('reminds every key holder once per firing, with a night_reminder event counting it', async () => {
    const { store, reminders } = setup('2026-03-10T21:30:02.000Z', [
      booking(1, 'key_taken'),
      booking(2, 'key_return_requested'),
      booking(3, 'key_returned'),
    ]);
    expect(await reminders.run(dueAt)).toBe(2);
    expect(await reminders.run(dueAt)).toBe(0); // the same firing again (a retried job)
    expect(store.events.map((e) => [e.type, (e.data as BookingEventData).bookingId])).toEqual([
      ['campus.coworking.booking.night_reminder.v1', id(1)],
      ['campus.coworking.booking.night_reminder.v1', id(2)],
    ]);
    expect(store.events[0]).toMatchObject({
      time: dueAt.toISOString(),
      data: { status: 'key_taken', actorId: null, nightReminderCount: 1, at: dueAt.toISOString(), studentId: id(201) },
    });
    // The next firing, 30 minutes later, reminds again.
    expect(await reminders.run(new Date('2026-03-10T22:00:00.000Z'))).toBe(2);
    expect(store.bookings[0]).toMatchObject({
      nightReminderCount: 2,
      lastNightReminderAt: new Date('2026-03-10T22:00:00.000Z'),
    });
  });

  it('a firing outside the night reminds no one and reads nothing', async () => {
    const { store, reminders } = setup('2026-03-10T18:00:00.000Z', [booking(1, 'key_taken')]);
    expect(await reminders.run(new Date('2026-03-10T18:00:00.000Z'))).toBe(0); // 21:00 Moscow
    expect(store.keysOutCalls).toBe(0);
    expect(store.events).toEqual([]);
  });

  it('in another campus zone the night is that zone’s', async () => {
    const { store, reminders } = setup(
      '2026-03-10T14:30:00.000Z',
      [booking(1, 'key_taken', '2026-03-10T10:00:00.000Z')],
      VLADIVOSTOK,
    );
    expect(await reminders.run(new Date('2026-03-10T14:30:00.000Z'))).toBe(1); // 00:30 Vladivostok
    expect(await reminders.run(new Date('2026-03-10T21:30:00.000Z'))).toBe(0); // 07:30 there
    expect(store.events).toHaveLength(1);
  });

  it('skips a firing that runs too late (after an outage) rather than remind in the morning', async () => {
    const { store, clock, reminders } = setup('2026-03-10T21:30:00.000Z', [booking(1, 'key_taken')]);
    clock.set('2026-03-11T05:00:00.000Z'); // 08:00 Moscow: the 00:30 firing only now runs
    expect(await reminders.run(dueAt)).toBe(0);
    expect(store.events).toEqual([]);
  });
});
