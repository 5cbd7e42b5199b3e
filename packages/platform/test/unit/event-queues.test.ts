import { eventContracts } from '@campus/contracts';
import { EVENT_QUEUE_OPTIONS, eventQueuesFromContracts, topicMatches } from '../../src/messaging/topology';

describe('event queues from the contracts', () => {
  it('binds each consuming service’s queue to exactly the types whose x-consumers name it', () => {
    const queues = eventQueuesFromContracts([
      { type: 'campus.leave.application.submitted.v1', consumers: ['notification'] },
      { type: 'campus.leave.application.document_attached.v1', consumers: [] },
      { type: 'campus.duty.swap.requested.v1', consumers: ['notification', 'audit'] },
    ]);
    expect(queues).toEqual([
      { queue: 'audit.events', bindings: ['campus.duty.swap.requested.v1'] },
      {
        queue: 'notification.events',
        bindings: ['campus.duty.swap.requested.v1', 'campus.leave.application.submitted.v1'],
      },
    ]);
  });

  it('takes configured queue names (NOTIFICATION_QUEUE, a test’s own queue)', () => {
    const queues = eventQueuesFromContracts([{ type: 'campus.a.b.c.v1', consumers: ['notification'] }], {
      notification: 'notification.events.test.1',
    });
    expect(queues).toEqual([{ queue: 'notification.events.test.1', bindings: ['campus.a.b.c.v1'] }]);
  });

  it('covers every consumed type of the real contracts and none of the unconsumed ones', () => {
    const contracts = [...eventContracts().values()];
    const bound = new Set(eventQueuesFromContracts(contracts).flatMap((q) => q.bindings));
    const consumed = contracts.filter((c) => c.consumers.length > 0).map((c) => c.type);
    const unconsumed = contracts.filter((c) => c.consumers.length === 0).map((c) => c.type);
    expect(consumed.length).toBeGreaterThan(0);
    expect(unconsumed.length).toBeGreaterThan(0);
    expect([...bound].sort()).toEqual(consumed.sort());
    for (const type of unconsumed) expect(bound.has(type)).toBe(false);
  });

  it('declares the main queue the one way (RabbitMQ refuses other arguments for an existing queue)', () => {
    expect(EVENT_QUEUE_OPTIONS).toEqual({ durable: true });
    expect(Object.isFrozen(EVENT_QUEUE_OPTIONS)).toBe(true);
  });
});

describe('topic matching', () => {
  it.each([
    ['campus.leave.application.submitted.v1', 'campus.leave.application.submitted.v1', true],
    ['campus.leave.application.submitted.v1', 'campus.leave.application.approved.v1', false],
    ['campus.leave.*.submitted.v1', 'campus.leave.application.submitted.v1', true],
    ['campus.*', 'campus.leave.application.submitted.v1', false],
    ['campus.#', 'campus.leave.application.submitted.v1', true],
    ['campus.#', 'campus', true],
    ['#', 'anything.at.all', true],
    ['campus.#.v1', 'campus.leave.application.submitted.v1', true],
    ['campus.#.v2', 'campus.leave.application.submitted.v1', false],
    ['campus.leave.#', 'campus.duty.swap.requested.v1', false],
  ])('%s matches %s: %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});
