import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';
import type { Express, Request, Response } from 'express';
import { sendError, type Logger, type Metrics } from '@campus/platform';
import { RouterErrors, routerErrors } from './errors';

/**
 * A small streaming reverse proxy for the plain HTTP routes a subgraph owns (uploads, downloads,
 * server-sent events). Bodies flow through in both directions without buffering, so a 10 MB upload
 * never sits in router memory and an SSE stream reaches the client event by event. The request
 * path is forwarded unchanged to the target's origin: "/uploads/leave/42" → "<leave>/uploads/leave/42".
 */

export const PROXY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const DEFAULT_METHODS = PROXY_METHODS.filter((m) => m !== 'OPTIONS');

/** Paths the router serves itself; a proxy route may not shadow them. */
const RESERVED_PREFIXES = ['/graphql', '/health', '/metrics', '/playground'];

export interface ProxyRouteSpec {
  /** Path prefix, e.g. "/uploads/leave" (matches it and everything below it). */
  prefix: string;
  /** A subgraph name (resolved against the supergraph) or an http(s) origin. */
  target: string;
  methods: string[];
}

const overlaps = (a: string, b: string): boolean => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * Parses PROXY_ROUTES: entries separated by ",", ";" or newlines, each
 * "<prefix> -> <subgraph|http(s) origin> [METHOD|METHOD…]" ("=" may stand for "->"); methods
 * default to all but OPTIONS. E.g. "/uploads/leave -> leave GET|POST, /files=http://127.0.0.1:4005".
 */
export function parseProxyRoutes(text: string): ProxyRouteSpec[] {
  const routes: ProxyRouteSpec[] = [];
  const entries = text
    .split(/[,;\n]/)
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const match = /^([^\s=]+?)\s*(?:->|=)\s*(\S+)(?:\s+([A-Za-z|]+))?$/.exec(entry);
    const [, rawPrefix = '', target = '', rawMethods] = match ?? [];
    if (!match) throw new Error(`"${entry}" is not "<prefix> -> <subgraph|url> [METHOD|METHOD]"`);
    if (!/^(\/[A-Za-z0-9._~-]+)+\/?$/.test(rawPrefix))
      throw new Error(`"${rawPrefix}" is not a path prefix like /uploads/leave`);
    const prefix = rawPrefix.replace(/\/$/, '');
    const reserved = RESERVED_PREFIXES.find((r) => overlaps(prefix, r));
    if (reserved) throw new Error(`"${prefix}" overlaps the router's own ${reserved}`);
    const clash = routes.find((r) => overlaps(prefix, r.prefix));
    if (clash) throw new Error(`"${prefix}" overlaps the route "${clash.prefix}"`);
    if (!/^[a-z][a-z0-9_-]*$/.test(target)) checkOrigin(target);
    const methods = rawMethods
      ? [...new Set(rawMethods.toUpperCase().split('|').filter(Boolean))]
      : [...DEFAULT_METHODS];
    const unknown = methods.filter((m) => !(PROXY_METHODS as readonly string[]).includes(m));
    if (unknown.length) throw new Error(`unsupported method(s) ${unknown.join(', ')} in "${entry}"`);
    routes.push({ prefix, target, methods });
  }
  return routes;
}

function checkOrigin(target: string): void {
  const url = URL.canParse(target) ? new URL(target) : undefined;
  if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search !== '') {
    throw new Error(`target "${target}" must be a subgraph name or an http(s) origin without a path`);
  }
}

export interface ProxyOptions {
  prefix: string;
  /** The upstream origin (its path, if any, is ignored: paths are forwarded unchanged). */
  target: string | URL;
  methods?: readonly string[];
  /** Bound on connecting to the upstream; a stream itself may stay open indefinitely (SSE). */
  connectTimeoutMs?: number;
  logger?: Logger;
  metrics?: Metrics;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Drops hop-by-hop headers (RFC 9110 §7.6.1), including those the Connection header names. */
function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const result: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP.has(name) && !named.has(name)) result[name] = value;
  }
  return result;
}

/** Every end-to-end header (authorization, x-request-id, traceparent, content-*) plus X-Forwarded-*. */
function upstreamRequestHeaders(req: Request): OutgoingHttpHeaders {
  const { host, ...headers } = endToEndHeaders(req.headers);
  const forwardedFor = [req.header('x-forwarded-for'), req.socket.remoteAddress].filter(Boolean).join(', ');
  return {
    ...headers,
    ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
    'x-forwarded-proto': req.protocol,
    ...(host ? { 'x-forwarded-host': host } : {}),
  };
}

/** Dot segments ("..", "%2e%2e") could climb out of the prefix on an upstream that normalizes paths. */
export function hasDotSegments(url: string): boolean {
  const pathname = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(pathname)
      .split(/[/\\]/)
      .some((segment) => segment === '.' || segment === '..');
  } catch {
    return true; // malformed percent-encoding: refuse rather than guess
  }
}

const isEventStream = (contentType: string | undefined): boolean => /^text\/event-stream\b/i.test(contentType ?? '');

/** How much of a body the upstream did not want (it answered early, e.g. 413) is read and dropped. */
const MAX_DISCARDED_BYTES = 32 * 1024 * 1024;

/**
 * The upstream answered before the request body was complete (a refused upload). Piping on would
 * stall on back-pressure that never drains, hanging the client's connection; so stop forwarding
 * and read the rest to keep the connection usable, up to a bound past which it is cut.
 */
function discardRestOfBody(req: Request, upstreamReq: http.ClientRequest): void {
  req.unpipe(upstreamReq);
  upstreamReq.destroy();
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) req.socket.destroy();
  });
  req.resume();
}

/** Mounts one proxied prefix. Mount it before any body parser: the body must stay unread. */
export function mountProxy(app: Express, options: ProxyOptions): void {
  const target = new URL(String(options.target));
  const client = target.protocol === 'https:' ? https : http;
  const methods = new Set((options.methods ?? DEFAULT_METHODS).map((m) => m.toUpperCase()));
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const { logger, metrics, prefix } = options;

  app.use(prefix, (req: Request, res: Response) => {
    if (hasDotSegments(req.originalUrl)) {
      sendError(res, routerErrors.invalidPath());
      return;
    }
    if (!methods.has(req.method)) {
      res.setHeader('Allow', [...methods].join(', '));
      sendError(res, routerErrors.methodNotAllowed(req.method));
      return;
    }
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const status = res.statusCode;
      const outcome = status === 502 ? RouterErrors.codes.UPSTREAM_UNAVAILABLE : status < 400 ? 'ok' : `HTTP_${status}`;
      metrics?.observeRequest('http', `proxy ${prefix}`, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    });

    const upstreamReq = client.request({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port || undefined,
      method: req.method,
      path: req.originalUrl,
      headers: upstreamRequestHeaders(req),
    });
    const connectTimer = setTimeout(
      () => upstreamReq.destroy(new Error(`no connection within ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    );
    upstreamReq.once('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => clearTimeout(connectTimer));
      else clearTimeout(connectTimer); // a reused keep-alive connection
    });
    upstreamReq.once('close', () => clearTimeout(connectTimer));

    let failed = false;
    upstreamReq.on('error', (error) => {
      if (failed) return;
      failed = true;
      req.unpipe(upstreamReq);
      if (res.headersSent) {
        // Mid-stream: cut the client off so it sees a truncated body, not a clean end.
        if (!res.writableFinished) res.destroy();
        return;
      }
      logger?.warn({ err: error, prefix, target: target.origin }, 'proxy upstream unavailable');
      sendError(res, routerErrors.upstreamUnavailable());
    });

    upstreamReq.once('response', (upstreamRes) => {
      const headers = endToEndHeaders(upstreamRes.headers);
      if (isEventStream(upstreamRes.headers['content-type'])) {
        headers['x-accel-buffering'] = 'no'; // tell any buffering proxy in front of us not to hold events
        req.socket.setNoDelay(true);
      }
      res.writeHead(upstreamRes.statusCode ?? 502, headers);
      res.flushHeaders();
      // pipeline tears both sides down when either ends early (client gone, upstream died).
      pipeline(upstreamRes, res, () => undefined);
      upstreamRes.once('end', () => {
        if (req.complete) return;
        failed = true; // the exchange is over: tearing the upstream request down is not a failure
        discardRestOfBody(req, upstreamReq);
      });
    });

    // The client went away before the exchange finished: stop the upstream work too.
    res.once('close', () => {
      if (!res.writableFinished) upstreamReq.destroy();
    });
    // pipe (not pipeline): an upstream failure must not destroy the client's socket before the 502.
    req.pipe(upstreamReq);
  });
}
