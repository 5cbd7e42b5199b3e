import type { GetMessage } from 'amqplib';
import { parseCloudEvent } from '../../src/messaging/cloudevents';
import { describeParked } from '../../src/messaging/dead-letters';
import {
  carriedHeaders,
  carriedProperties,
  consumerQueues,
  headerInt,
  parkingQueues,
} from '../../src/messaging/topology';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const valid = {
  specversion: '1.0',
  id: 'e-1',
  source: '/campus/test',
  type: 'campus.test.thing.happened.v1',
  time: '2026-11-25T12:00:00Z',
  datacontenttype: 'application/json',
  data: {},
};

describe('consumer topology names', () => {
  it('derives retry and parking queues from the main queue', () => {
    expect(consumerQueues('notification.events', [1000, 5000])).toEqual({
      main: 'notification.events',
      retries: ['notification.events.retry.1000ms', 'notification.events.retry.5000ms'],
      parked: 'notification.events.parked',
    });
    expect(parkingQueues('notification.events.parked')).toEqual({
      main: 'notification.events',
      parked: 'notification.events.parked',
    });
    expect(parkingQueues('notification.events')).toEqual({
      main: 'notification.events',
      parked: 'notification.events.parked',
    });
  });
});

describe('parseCloudEvent', () => {
  it('accepts a structurally sound envelope', () => {
    expect(parseCloudEvent(body(valid))).toEqual({ event: valid });
  });

  it.each([
    ['{not json', 'not valid JSON'],
    ['[1,2]', 'not a JSON object'],
    [{ ...valid, specversion: '0.3' }, 'specversion'],
    [{ ...valid, id: '' }, 'id is missing'],
    [{ ...valid, type: 'thing.happened' }, 'type is not'],
  ])('refuses %j', (input, problem) => {
    const result = parseCloudEvent(body(input));
    expect('problem' in result && result.problem).toContain(problem);
  });
});

describe('moving messages keeps their identity', () => {
  it('drops the broker’s dead-letter bookkeeping only', () => {
    expect(
      carriedHeaders({ traceparent: 'tp', 'x-death': [{}], 'x-first-death-queue': 'q', 'x-retry-count': 2 }),
    ).toEqual({ traceparent: 'tp', 'x-retry-count': 2 });
    expect(carriedHeaders(undefined)).toEqual({});
  });

  it('copies the message properties that matter', () => {
    const properties = {
      messageId: 'e-1',
      type: 't',
      contentType: 'application/cloudevents+json',
      timestamp: 5,
      headers: {},
    } as unknown as GetMessage['properties'];
    expect(carriedProperties(properties, { a: 1 })).toEqual({
      persistent: true,
      headers: { a: 1 },
      messageId: 'e-1',
      type: 't',
      contentType: 'application/cloudevents+json',
      timestamp: 5,
    });
  });

  it('reads retry counts defensively', () => {
    expect([headerInt(3), headerInt('2'), headerInt(undefined), headerInt(-1), headerInt('x')]).toEqual([
      3, 2, 0, 0, 0,
    ]);
  });
});

describe('describeParked', () => {
  const message = (content: Buffer, properties: Record<string, unknown>) =>
    ({ content, properties, fields: {} }) as unknown as GetMessage;

  it('prefers AMQP properties and falls back to the body', () => {
    const parked = describeParked(
      message(body(valid), {
        headers: {
          'x-failure-reason': 'boom',
          'x-retry-count': 3,
          'x-original-routing-key': valid.type,
          'x-parked-at': 'now',
        },
      }),
    );
    expect(parked).toMatchObject({
      eventId: 'e-1',
      type: valid.type,
      reason: 'boom',
      retryCount: 3,
      routingKey: valid.type,
      parkedAt: 'now',
    });
  });

  it('describes a malformed body', () => {
    expect(describeParked(message(body('{oops'), {}))).toMatchObject({
      eventId: '(none)',
      type: '(unknown)',
      reason: '(no reason recorded)',
      retryCount: 0,
      sizeBytes: 5,
    });
  });
});
