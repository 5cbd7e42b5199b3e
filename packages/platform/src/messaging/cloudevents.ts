import { randomUUID } from 'node:crypto';
import { currentTraceparent } from '../trace-context';

/** A CloudEvents 1.0 event in structured JSON mode, as published on the campus exchange. */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  /** URI-reference of the producer, e.g. "/campus/leave". */
  source: string;
  /** campus.<service>.<entity>.<event>.v<n>; also the AMQP routing key. */
  type: string;
  /** The entity the event is about (e.g. the application id). */
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  /** W3C trace context of the change that produced the event (CloudEvents distributed tracing extension). */
  traceparent?: string;
  data: T;
}

export const CLOUDEVENT_TYPE_PATTERN = /^campus\.[a-z_]+\.[a-z_]+\.[a-z_]+\.v\d+$/;

export interface NewCloudEvent<T> {
  source: string;
  type: string;
  subject?: string;
  data: T;
  id?: string;
  time?: Date;
}

export function cloudEvent<T>(event: NewCloudEvent<T>): CloudEvent<T> {
  if (!CLOUDEVENT_TYPE_PATTERN.test(event.type)) {
    throw new Error(`event type "${event.type}" does not follow campus.<service>.<entity>.<event>.v<n>`);
  }
  const traceparent = currentTraceparent();
  return {
    specversion: '1.0',
    id: event.id ?? randomUUID(),
    source: event.source,
    type: event.type,
    ...(event.subject ? { subject: event.subject } : {}),
    time: (event.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    ...(traceparent ? { traceparent } : {}),
    data: event.data,
  };
}

/** Minimal structural check every consumer needs before its own contract validation. */
export function parseCloudEvent(content: Buffer): { event: CloudEvent } | { problem: string } {
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch {
    return { problem: 'malformed: the body is not valid JSON' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { problem: 'malformed: the body is not a JSON object' };
  }
  const event = body as Partial<CloudEvent>;
  if (event.specversion !== '1.0') return { problem: 'malformed: specversion is not "1.0"' };
  if (typeof event.id !== 'string' || event.id === '') return { problem: 'malformed: id is missing' };
  if (typeof event.type !== 'string' || !CLOUDEVENT_TYPE_PATTERN.test(event.type)) {
    return { problem: 'malformed: type is not campus.<service>.<entity>.<event>.v<n>' };
  }
  return { event: event as CloudEvent };
}
