import { randomUUID } from 'node:crypto';
import { context, isSpanContextValid, propagation, trace, type Context } from '@opentelemetry/api';

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

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const ALL_ZEROS = /^0+$/;

/** The caller's W3C traceparent if it is well-formed, otherwise a new sampled root. */
export function incomingOrNewTraceparent(header: string | undefined): string {
  const match = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (match && !ALL_ZEROS.test(match[1] ?? '') && !ALL_ZEROS.test(match[2] ?? '')) return match[0];
  // Ids from randomUUID: Node draws its bytes from a cached batch, while randomBytes asked OpenSSL
  // twice per request (~1 % of the router's CPU in a mutation's profile). A UUID's fixed version and
  // variant digits leave 122 random bits; the span id is 64 bits of a second one.
  const traceId = randomUUID().replaceAll('-', '');
  const second = randomUUID();
  const spanId = second.slice(0, 8) + second.slice(24, 32);
  return `00-${traceId}-${spanId}-01`;
}

/** The active context with `traceparent` (well-formed, see incomingOrNewTraceparent) as its span. */
export function contextOfIncomingTrace(traceparent: string): Context {
  const [, traceId = '', spanId = '', flags = '01'] = traceparent.split('-');
  return trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true });
}

/**
 * Runs the handling of an incoming HTTP request in its caller's trace (the `traceparent` header) or
 * a new one, unless a span is active already: where spans are recorded, the HTTP instrumentation
 * has started the request's own. Where they are not, that instrumentation is not loaded (see
 * startTelemetry) and this is all a request needs for its log lines and outgoing calls to carry the
 * trace.
 */
export function inIncomingTrace<T>(traceparentHeader: string | string[] | undefined, handle: () => T): T {
  if (trace.getSpanContext(context.active())) return handle();
  const given = typeof traceparentHeader === 'string' ? traceparentHeader : undefined;
  return context.with(contextOfIncomingTrace(incomingOrNewTraceparent(given)), handle);
}
