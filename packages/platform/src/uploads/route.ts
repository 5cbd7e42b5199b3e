import type { Readable } from 'node:stream';
import type { Request, RequestHandler, Response } from 'express';
import { DomainError } from '../errors';
import { route } from '../http';
import type { Metrics } from '../metrics';

/**
 * Receives the body of one upload link: `token` is the link's last path segment, `body` the raw
 * request body (read it as a stream, never whole), `declaredLength` its Content-Length when sent.
 * Resolves with the JSON answer (sent as 201); rejects with a coded error.
 */
export type ReceiveUpload = (token: string, body: Readable, declaredLength: number | undefined) => Promise<unknown>;

export interface UploadRouteOptions {
  metrics: Metrics;
  /**
   * Whether `error` refuses the link itself (unknown, used, expired: e.g. the service's
   * UPLOAD_LINK_INVALID). Such a request comes from nobody entitled to upload: it is answered at
   * once and its body is never read. Any other refusal comes from a valid link's holder and is
   * answered once the rest of the body has been discarded (within bounds).
   */
  isLinkRefusal(error: unknown): boolean;
}

/**
 * The handler of `PUT|POST <prefix>/:token` (a single-use upload link): answers 201 with what
 * `receive` resolves to; on a refusal, cuts off (link refusals) or discards (anything else) the
 * unread rest of the body, then lets the error reach the platform's HTTP error handler
 * ({"error_code","message","details"}, 413 for TOO_LARGE). One metric sample per request, labelled
 * `<METHOD> <prefix>` (the route path without its `/:token`).
 *
 * The service registers it itself, with the path literal and an inline `receive`, so that the
 * route stays greppable and `npm run docs:errors` finds the codes it may answer:
 *   app.put('/uploads/duty/:token', uploadRoute(options, (token, body, length) => …));
 */
export function uploadRoute(options: UploadRouteOptions, receive: ReceiveUpload): RequestHandler {
  return route(async (req, res) => {
    const operation = `${req.method} ${routePrefix(req)}`;
    await observe(options.metrics, operation, res, async () => {
      const token = req.params.token;
      if (typeof token !== 'string') throw new Error('uploadRoute must be mounted on a path ending in /:token');
      const length = req.header('content-length');
      try {
        const answer = await receive(token, req, length ? Number(length) : undefined);
        res.status(201).json(answer);
      } catch (error) {
        if (options.isLinkRefusal(error)) {
          cutOffUnread(req, res);
        } else if (!(await discardRestOfBody(req))) {
          res.setHeader('Connection', 'close');
        }
        throw error;
      }
    });
  });
}

/** The route's path without its trailing parameter: `/uploads/leave/:token` → `/uploads/leave`. */
function routePrefix(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path.replace(/\/:[^/]+$/, '') : req.path;
}

/**
 * A plain HTTP route (downloads, say) with one metric sample per request, labelled with
 * `operation` and the outcome (an error code, `HTTP_<status>` for a 4xx/5xx answered directly, or
 * "ok"). Rejections reach the platform's HTTP error handler, as with `route`.
 */
export function timedRoute(
  metrics: Metrics,
  operation: string,
  handler: (req: Request, res: Response) => Promise<void>,
): RequestHandler {
  return route((req, res) => observe(metrics, operation, res, () => handler(req, res)));
}

async function observe(metrics: Metrics, operation: string, res: Response, run: () => Promise<void>): Promise<void> {
  const started = process.hrtime.bigint();
  let outcome = 'ok';
  try {
    await run();
    if (res.statusCode >= 400) outcome = `HTTP_${res.statusCode}`;
  } catch (error) {
    outcome = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
    throw error;
  } finally {
    metrics.observeRequest('http', operation, outcome, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

/** How long the connection of a refused link stays open, unread, after the answer before it is cut. */
export const REFUSED_LINK_GRACE_MS = 1_000;

/**
 * A request whose link is refused (unknown, used, expired: nobody holding a valid link) is
 * answered before its body is read, and none of the rest is read: once the answer is out, reading
 * stops and the connection is cut after a short grace. The grace lets the answer reach the sender
 * first (a proxy reads it and drops its upstream request itself); cutting at once would let a
 * reset overtake the answer (see discardRestOfBody).
 */
function cutOffUnread(req: Request, res: Response): void {
  if (req.complete) return;
  res.once('finish', () => {
    req.pause(); // after Node's own 'finish' handler, which would read the rest and throw it away
    const timer = setTimeout(() => req.socket.destroy(), REFUSED_LINK_GRACE_MS).unref();
    req.socket.once('close', () => clearTimeout(timer));
  });
}

/** Bounds of reading (and discarding) the rest of a refused upload's body before answering. */
export const DISCARD_MAX_BYTES = 32 * 1024 * 1024;
export const DISCARD_MAX_MS = 15_000;

/**
 * An upload of a valid link's holder refused (too large, say) before its body has arrived is
 * answered only once the rest of the body has been read and thrown away (nothing is buffered or
 * stored), because an answer sent mid-body breaks the way back to the client:
 * - closing the connection right after answering makes the sender's kernel reset it while it is
 *   still sending, and the reset discards the answer it has not read yet: behind the router the
 *   client saw 502 UPSTREAM_UNAVAILABLE instead of 413;
 * - keeping it open makes a proxy built on Node's http client (the router's) stall: once a
 *   response has ended, the client request no longer sees 'drain', so the rest of the body is
 *   never forwarded and the client's keep-alive connection hangs.
 * Resolves true when the body was read to its end; false when the bounds were hit or the client
 * went away (the connection is then closed after the answer).
 */
function discardRestOfBody(req: Request): Promise<boolean> {
  if (req.complete) return Promise.resolve(true);
  const declared = Number(req.header('content-length'));
  if (req.destroyed || (Number.isFinite(declared) && declared > DISCARD_MAX_BYTES)) return Promise.resolve(false);
  return new Promise((resolve) => {
    let discarded = 0;
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_MAX_BYTES) settle(false);
    };
    const onEnd = () => settle(true);
    const onClose = () => settle(req.complete);
    const timer = setTimeout(() => settle(false), DISCARD_MAX_MS);
    function settle(drained: boolean) {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onClose);
      if (!drained) req.pause();
      resolve(drained);
    }
    req.on('data', onData).once('end', onEnd).once('close', onClose).once('error', onClose);
    req.resume();
  });
}
