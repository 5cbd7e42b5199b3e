import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { currentTraceId, currentTraceparent } from '@campus/platform';
import type { RequestHandler } from 'express';

/**
 * Every response names the trace of its request (`traceparent` and `x-trace-id` headers, and
 * extensions.traceId of GraphQL errors), so an integrator can quote it and an operator find the
 * request's log lines: it is the trace of the span the HTTP instrumentation opened for the request,
 * the one every log line carries as trace_id.
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
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}

/**
 * Mount first. With tracing preloaded (as the router always runs) the request's span exists here;
 * without it (in-process tests, a bare `node dist/main.js`) the caller's trace, or a new one, is
 * forwarded to the subgraphs instead, so their log lines still share the id the client sees.
 */
export const traceResponses: RequestHandler = (req, res, next) => {
  const active = currentTraceparent();
  const traceparent = active ?? incomingOrNewTraceparent(req.header('traceparent'));
  if (!active) req.headers.traceparent = traceparent;
  const traceId = currentTraceId() ?? traceparent.split('-')[1] ?? '';
  res.setHeader('traceparent', traceparent);
  res.setHeader(TRACE_ID_HEADER, traceId);
  requestTraces.run({ traceId }, next);
};

/** The trace id of the request being served (for error extensions), if inside one. */
export function requestTraceId(): string | undefined {
  return requestTraces.getStore()?.traceId ?? currentTraceId() ?? undefined;
}
