import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { currentTraceId, currentTraceparent, type HttpStep } from '@campus/platform';
import { context, trace } from '@opentelemetry/api';

/**
 * Every response names the trace of its request (`traceparent` and `x-trace-id` headers, and
 * extensions.traceId of GraphQL errors), so an integrator can quote it and an operator find the
 * request's log lines: it is the request's trace, the one every log line of it carries as trace_id.
 */

export const TRACE_ID_HEADER = 'x-trace-id';

interface RequestTrace {
  traceId: string;
}

const requestTraces = new AsyncLocalStorage<RequestTrace>();

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;
const ALL_ZEROS = /^0+$/;

/** The caller's W3C traceparent if it is well-formed, otherwise a new sampled root. */
function incomingOrNewTraceparent(header: string | undefined): string {
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

/**
 * Mount first. With spans recorded (an exporter or a sampler configured) the HTTP instrumentation's
 * span for the request is already active here. Otherwise the request gets the caller's trace, or a
 * new one: forwarded to the subgraphs as the traceparent header, and, where a context is kept (the
 * router preloads one), made the active trace, so log lines and subgraph calls carry it without an
 * SDK recording spans nobody exports. In-process tests keep no context: the id lives in
 * `requestTraces` instead.
 */
export const traceResponses: HttpStep = (req, res, next) => {
  const active = currentTraceparent();
  if (active) {
    res.setHeader('traceparent', active);
    res.setHeader(TRACE_ID_HEADER, active.split('-')[1] ?? '');
    next();
    return;
  }
  const given = req.headers.traceparent;
  const traceparent = incomingOrNewTraceparent(typeof given === 'string' ? given : undefined);
  req.headers.traceparent = traceparent;
  const [, traceId = '', spanId = '', flags = '01'] = traceparent.split('-');
  res.setHeader('traceparent', traceparent);
  res.setHeader(TRACE_ID_HEADER, traceId);
  const traced = trace.setSpanContext(context.active(), { traceId, spanId, traceFlags: parseInt(flags, 16) });
  context.with(traced, () => (currentTraceId() === traceId ? next() : requestTraces.run({ traceId }, next)));
};

/** The trace id of the request being served (for error extensions), if inside one. */
export function requestTraceId(): string | undefined {
  return requestTraces.getStore()?.traceId ?? currentTraceId() ?? undefined;
}
