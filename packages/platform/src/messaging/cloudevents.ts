import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';

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

/** The current trace context as a `traceparent` value, if a span is active. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
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
