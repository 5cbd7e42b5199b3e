import { ROOT_CONTEXT, context, propagation, trace, type Context } from '@opentelemetry/api';

/**
 * Trace context across AMQP, the same for the outbox relay, the event consumer and the broadcast.
 * The amqplib instrumentation (loaded in every service process while spans are recorded) does the
 * same on the wire, but the platform does not rely on it: processes that record no spans, tests and
 * tools run without it, and the campus messages must stay in their producer's trace either way.
 */

export const messagingTracer = trace.getTracer('campus-messaging');

/** W3C trace context headers (`traceparent`, `tracestate`) of `ctx`, for an AMQP message. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** The trace context a stored `traceparent` (outbox row, CloudEvent extension) names, or none. */
export function contextOfTraceparent(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/**
 * The context a received message is handled in: the producer's, taken from the message headers
 * (or from `fallbackTraceparent`, e.g. the CloudEvent's own extension, for messages published
 * without headers). When the amqplib instrumentation is loaded it has already opened a consumer
 * span parented to those headers and made it current: that span is kept as the parent. An active
 * span of another trace is not (a socket callback may run in whatever context opened the
 * connection), so only one in the message's own trace counts.
 */
export function messageContext(headers: Record<string, unknown> | undefined, fallbackTraceparent?: string): Context {
  const carrier: Record<string, string> = {};
  for (const name of ['traceparent', 'tracestate']) {
    const value = headers?.[name];
    if (typeof value === 'string') carrier[name] = value;
    else if (Buffer.isBuffer(value)) carrier[name] = value.toString('utf8'); // AMQP long strings
  }
  if (!carrier.traceparent && fallbackTraceparent) carrier.traceparent = fallbackTraceparent;
  const active = trace.getActiveSpan()?.spanContext();
  if (!carrier.traceparent) return active ? context.active() : ROOT_CONTEXT;
  const producer = propagation.extract(ROOT_CONTEXT, carrier);
  const producerTraceId = trace.getSpanContext(producer)?.traceId;
  return active && producerTraceId && active.traceId === producerTraceId ? context.active() : producer;
}
