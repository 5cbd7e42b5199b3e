import { AsyncLocalStorage } from 'node:async_hooks';
import {
  contextOfIncomingTrace,
  currentTraceId,
  currentTraceparent,
  incomingOrNewTraceparent,
  type HttpStep,
} from '@campus/platform';
import { context } from '@opentelemetry/api';

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
  const traceId = traceparent.split('-')[1] ?? '';
  res.setHeader('traceparent', traceparent);
  res.setHeader(TRACE_ID_HEADER, traceId);
  context.with(contextOfIncomingTrace(traceparent), () =>
    currentTraceId() === traceId ? next() : requestTraces.run({ traceId }, next),
  );
};

/** The trace id of the request being served (for error extensions), if inside one. */
export function requestTraceId(): string | undefined {
  return requestTraces.getStore()?.traceId ?? currentTraceId() ?? undefined;
}
