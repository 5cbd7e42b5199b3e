import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { eventContracts } from '@campus/contracts';
import type { CloudEvent } from '@campus/platform';
import { NOTIFICATION_RULES, type NotificationRule } from '../../src/services/notification-rules.service';
import { EventNotifier, NOTIFICATION_CONSUMER } from '../../src/services/notifier.service';
import { LEAVE_APPROVED, LEAVE_SUBMITTED, PATROL_COMPLETED, STUDENT_CHECK_OUT_FAILED } from '../support/events';
import { MemoryDirectory, MemoryStore, RecordingLive, user } from '../support/fakes';

const logger = pino({ level: 'silent' });
const educator = user('Смирнова Анна', ['educator']);
const student = user('Иванов Иван', ['student']);

function event<T>(type: string, data: T, id = randomUUID()): CloudEvent<T> {
  return {
    specversion: '1.0',
    id,
    source: '/campus/leave',
    type,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}

const approved = (applicantId = student.id) =>
  event(LEAVE_APPROVED, {
    applicationId: randomUUID(),
    applicantId,
    decidedBy: educator.id,
    leaveAt: '2026-11-25T15:00:00.000Z',
    returnAt: '2026-11-25T19:00:00.000Z',
    isMinor: true,
    residence: null,
  });

function setup() {
  const store = new MemoryStore();
  const directory = new MemoryDirectory([educator, student]);
  const live = new RecordingLive();
  const notifier = new EventNotifier({ rules: NOTIFICATION_RULES, directory, store, live, timeZone: 'Europe/Moscow' });
  return { store, directory, live, notifier };
}

describe('EventNotifier', () => {
  it('binds exactly the event types of the rules table', () => {
    expect(setup().notifier.eventTypes.sort()).toEqual([...NOTIFICATION_RULES.keys()].sort());
  });

  it('the rules table is exactly the contracts naming notification among their x-consumers', () => {
    // Producers declare and bind this service's queue from the contracts (so that an event published
    // before the consumer first ran is kept): a row without the contract's x-consumers would lose
    // those events, and a contract naming notification without a row would fill the queue for nothing.
    const consumed = [...eventContracts().values()]
      .filter((contract) => contract.consumers.includes('notification'))
      .map((contract) => contract.type);
    expect([...NOTIFICATION_RULES.keys()].sort()).toEqual(consumed.sort());
  });

  it('stores one notification per recipient and pushes them live after storing', async () => {
    const { notifier, store, live } = setup();
    const e = approved();
    await expect(notifier.handle(e, logger)).resolves.toEqual({ outcome: 'stored', count: 1 });
    expect(store.notifications).toHaveLength(1);
    expect(store.notifications[0]).toMatchObject({
      userId: student.id,
      key: 'leave.approved',
      eventId: e.id,
      title: 'Заявление на выход одобрено',
    });
    expect(live.published).toEqual([store.notifications]);
    expect(await store.wasProcessed(NOTIFICATION_CONSUMER, e.id)).toBe(true);
  });

  it('changes nothing for a duplicate, without asking identity again', async () => {
    const { notifier, store, live, directory } = setup();
    const e = event(LEAVE_SUBMITTED, {
      applicationId: randomUUID(),
      applicantId: student.id,
      leaveAt: '2026-11-25T15:00:00.000Z',
      returnAt: '2026-11-25T19:00:00.000Z',
      reason: 'Кружок',
      contactPhone: '89001234567',
      isMinor: false,
      residence: null,
    });
    await notifier.handle(e, logger);
    const calls = directory.calls.length;
    await expect(notifier.handle(e, logger)).resolves.toEqual({ outcome: 'duplicate' });
    expect(directory.calls).toHaveLength(calls);
    expect(store.notifications).toHaveLength(1);
    expect(live.published).toHaveLength(1);
    expect(store.notifications[0]!.body).toMatch(/^Иванов Иван просит/);
  });

  it('treats a concurrent duplicate (inbox insert lost the race) as processed', async () => {
    const { notifier, store, live } = setup();
    const e = approved();
    jest.spyOn(store, 'wasProcessed').mockResolvedValueOnce(false);
    await store.recordEvent(NOTIFICATION_CONSUMER, e.id, []); // the other instance won
    await expect(notifier.handle(e, logger)).resolves.toEqual({ outcome: 'duplicate' });
    expect(live.published).toHaveLength(0);
  });

  it('records an event that concerns nobody, so a redelivery is a duplicate', async () => {
    const { notifier, live } = setup();
    const e = event(PATROL_COMPLETED, {
      patrolId: randomUUID(),
      date: '2026-11-25',
      building: '8',
      entrance: 1,
      completedBy: educator.id,
      total: 3,
      present: 3,
      absent: [],
    });
    await expect(notifier.handle(e, logger)).resolves.toEqual({ outcome: 'stored', count: 0 });
    expect(live.published).toHaveLength(0);
    await expect(notifier.handle(e, logger)).resolves.toEqual({ outcome: 'duplicate' });
  });

  it('stores each audience its own message in one record (a check-out blocked by a key)', async () => {
    const { notifier, store, live } = setup();
    const e = event(STUDENT_CHECK_OUT_FAILED, {
      checkoutId: randomUUID(),
      batchId: randomUUID(),
      studentId: student.id,
      studentName: student.fullName,
      requestedBy: educator.id,
      reason: 'Окончание смены',
      step: 'release_bookings',
      failureCode: 'CHECKOUT_KEY_HELD',
      failureReason: 'Ключ от коворкинга «Орбита» не сдан',
      compensated: [],
      at: '2026-03-10T12:00:00.000Z',
    });
    await expect(notifier.handle(e, logger)).resolves.toEqual({ outcome: 'stored', count: 2 });
    expect(store.notifications.map((n) => [n.userId, n.key])).toEqual([
      [student.id, 'checkout.key_held'],
      [educator.id, 'checkout.failed'],
    ]);
    expect(live.published).toEqual([store.notifications]);
  });

  it('tells a person in several audiences only the first one’s message; names resolved in one call', async () => {
    const store = new MemoryStore();
    const directory = new MemoryDirectory([educator, student]);
    const audience = (key: string, ids: string[]): NotificationRule<unknown> => ({
      key,
      recipients: async () => ids,
      mentions: () => [student.id],
      render: (_data, { names }) => ({ title: key, body: names.get(student.id) ?? '?', data: {} }),
    });
    const rules = new Map([
      [LEAVE_APPROVED, [audience('first', [student.id, student.id]), audience('second', [student.id, educator.id])]],
    ]);
    const notifier = new EventNotifier({ rules, directory, store, live: new RecordingLive(), timeZone: 'UTC' });
    await expect(notifier.handle(approved(), logger)).resolves.toEqual({ outcome: 'stored', count: 2 });
    expect(store.notifications.map((n) => [n.userId, n.key, n.body])).toEqual([
      [student.id, 'first', 'Иванов Иван'],
      [educator.id, 'second', 'Иванов Иван'],
    ]);
    expect(directory.calls).toEqual([`ids:${student.id}`]);
  });

  it('renders a grouped audience once per group, told once each, after earlier audiences', async () => {
    const store = new MemoryStore();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const rendered: Array<string | undefined> = [];
    const rules = new Map<string, NotificationRule<unknown>[]>([
      [
        LEAVE_APPROVED,
        [
          { key: 'plain', recipients: async () => [a], render: () => ({ title: 'plain', body: '-', data: {} }) },
          {
            key: 'grouped',
            recipients: async () => [
              { about: '301', userIds: [a, b, b] }, // a was told by the first audience
              { about: '302', userIds: [c, b] }, // b by the group before
              { about: '303', userIds: [a] }, // nobody left: not rendered
            ],
            render: (_data, _context, about) => {
              rendered.push(about);
              return { title: 'grouped', body: `room ${about}`, data: { room: about } };
            },
          },
        ],
      ],
    ]);
    const directory = new MemoryDirectory([]);
    const notifier = new EventNotifier({ rules, directory, store, live: new RecordingLive(), timeZone: 'UTC' });
    await expect(notifier.handle(approved(), logger)).resolves.toEqual({ outcome: 'stored', count: 3 });
    expect(store.notifications.map((n) => [n.userId, n.key, n.body, n.data])).toEqual([
      [a, 'plain', '-', {}],
      [b, 'grouped', 'room 301', { room: '301' }],
      [c, 'grouped', 'room 302', { room: '302' }],
    ]);
    expect(rendered).toEqual(['301', '302']);
  });

  it('ignores a valid event type it has no rule for', async () => {
    const { notifier, store } = setup();
    const e = event('campus.leave.application.document_attached.v1', { applicationId: randomUUID() });
    await expect(notifier.handle(e, logger)).resolves.toEqual({ outcome: 'ignored' });
    expect(store.inbox.size).toBe(0);
  });

  it('keeps the stored notifications when live delivery fails', async () => {
    const { notifier, store, live } = setup();
    live.failWith = new Error('broker gone');
    await expect(notifier.handle(approved(), logger)).resolves.toEqual({ outcome: 'stored', count: 1 });
    expect(store.notifications).toHaveLength(1);
  });

  it('fails (so the consumer retries) when identity cannot answer, storing nothing', async () => {
    const { notifier, store, directory } = setup();
    jest.spyOn(directory, 'usersWithRole').mockRejectedValue(new Error('identity unavailable'));
    const e = event(PATROL_COMPLETED, {
      patrolId: randomUUID(),
      date: '2026-11-25',
      building: '8',
      entrance: 1,
      completedBy: educator.id,
      total: 3,
      present: 2,
      absent: [{ studentId: student.id, reason: 'Не найден', leaveApplicationId: null }],
    });
    await expect(notifier.handle(e, logger)).rejects.toThrow('identity unavailable');
    expect(store.inbox.size).toBe(0);
    expect(store.notifications).toHaveLength(0);
  });
});
