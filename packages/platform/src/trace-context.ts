import { context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';

/**
 * The ambient OpenTelemetry trace of the work in progress (a request, a gRPC call, a message), for
 * what must carry it beyond spans: event metadata, CloudEvents, audit records.
 */

/** The current trace context as a `traceparent` value, if a span is active. */
export function currentTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The trace id (32 hex digits) of the active span context, or null outside any trace. */
export function currentTraceId(): string | null {
  const spanContext = trace.getSpanContext(context.active());
  return spanContext && isSpanContextValid(spanContext) ? spanContext.traceId : null;
}
