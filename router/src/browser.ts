import { REQUEST_ID_HEADER, sendError, type HttpStep } from '@campus/platform';
import { routerErrors } from './errors';
import { TRACE_ID_HEADER } from './trace';

/** What browsers are told about every response: the router is an API, never to be framed or sniffed. */

/** For everything but the playground page (which sets its own): no content of any kind may load or frame it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export const securityHeaders: HttpStep = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', API_CSP);
  next();
};

/** Methods and request headers a cross-origin browser client may use (GraphQL, uploads, streams). */
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  REQUEST_ID_HEADER,
  'traceparent',
  'tracestate',
].join(', ');
/** Response headers a cross-origin script may read: ids to quote, and when to retry. */
const EXPOSED_HEADERS = [REQUEST_ID_HEADER, TRACE_ID_HEADER, 'traceparent', 'retry-after'].join(', ');

/**
 * CORS for an explicit allow-list of origins. Tokens travel in the Authorization header, never in
 * cookies, so credentials are not allowed. A preflight from any other origin is refused (403) so the
 * browser reports why; a simple request from one is served without CORS headers, which keeps its
 * answer from that origin's scripts.
 */
export function cors(allowedOrigins: readonly string[]): HttpStep {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const { origin } = req.headers;
    if (!origin) return next();
    res.appendHeader('Vary', 'Origin');
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!allowed.has(origin)) {
      if (preflight) return sendError(res, routerErrors.originNotAllowed(origin));
      return next();
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (!preflight) return next();
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.statusCode = 204;
    res.end();
  };
}
