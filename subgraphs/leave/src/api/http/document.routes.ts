import { pipeline } from 'node:stream/promises';
import type { Express, Request, Response } from 'express';
import { DomainError, notFound, route, sendError, type Logger, type Metrics } from '@campus/platform';
import { LeaveErrors } from '../../domain/errors';
import type { LeaveServices } from '../../services';

export interface DocumentRoutesDeps {
  services: Pick<LeaveServices, 'uploads' | 'downloads'>;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Plain HTTP routes for document bytes, reached through the router unchanged:
 *   PUT /uploads/leave/:token   body = the raw file (a link from requestLeaveDocumentUpload);
 *                               POST is accepted the same way for clients that cannot PUT
 *   GET /files/leave/:token     a signed link from LeaveDocument.downloadUrl
 * Errors are answered by the platform's HTTP error handler, {"error_code","message","details"} with
 * the status of the error's kind (LEAVE_DOCUMENT_TOO_LARGE is a TOO_LARGE: 413).
 */
export function mountDocumentRoutes(app: Express, deps: DocumentRoutesDeps): void {
  app.put(
    '/uploads/leave/:token',
    timed(deps.metrics, 'PUT /uploads/leave', (req, res) => upload(deps, req, res)),
  );
  app.post(
    '/uploads/leave/:token',
    timed(deps.metrics, 'POST /uploads/leave', (req, res) => upload(deps, req, res)),
  );
  app.get(
    '/files/leave/:token',
    timed(deps.metrics, 'GET /files/leave', (req, res) => download(deps, req, res)),
  );
  app.all(['/uploads/leave', '/uploads/leave/*rest', '/files/leave', '/files/leave/*rest'], (_req, res) => {
    sendError(res, notFound('No such upload or download route'));
  });
}

async function upload({ services: { uploads } }: DocumentRoutesDeps, req: Request, res: Response): Promise<void> {
  const length = req.header('content-length');
  try {
    const { applicationId, document } = await uploads.receive(
      String(req.params.token),
      req,
      length ? Number(length) : undefined,
    );
    const { storageKey: _internal, ...published } = document;
    res.status(201).json({ applicationId, document: published });
  } catch (error) {
    if (error instanceof DomainError && error.code === LeaveErrors.codes.UPLOAD_LINK_INVALID) {
      // Nobody entitled to upload: answer at once and read none of what they send.
      cutOffUnread(req, res);
    } else if (!(await discardRestOfBody(req))) {
      res.setHeader('Connection', 'close');
    }
    throw error;
  }
}

/** How long the connection of a refused link stays open, unread, after the answer before it is cut. */
export const REFUSED_LINK_GRACE_MS = 1_000;

/**
 * A request whose link is refused (unknown, used, expired: nobody holding a valid link) is
 * answered before its body is read, and none of the rest is read: once the answer is out, reading
 * stops and the connection is cut after a short grace. The grace lets the answer reach the sender
 * first (the router reads it and drops its upstream request itself); cutting at once would let a
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
 * A refused upload (too large, say) of a valid link's holder is often refused before its body has arrived. It is
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

async function download(
  { services: { downloads }, logger }: DocumentRoutesDeps,
  req: Request,
  res: Response,
): Promise<void> {
  const document = await downloads.open(String(req.params.token));
  res.status(200);
  res.setHeader('Content-Type', document.contentType);
  res.setHeader('Content-Length', String(document.sizeBytes));
  res.setHeader('Content-Disposition', `attachment; filename="${document.fileName}"`);
  // Personal documents: never cached by a shared cache, never sniffed or rendered as a page.
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  try {
    await pipeline(document.stream, res);
  } catch (error) {
    // Headers are out: all that is left is to cut the response (the client sees a short body).
    logger.warn({ err: error }, 'document download interrupted');
    res.destroy();
  }
}

/** One metric sample per request, labelled with the outcome (an error code or "ok"). */
function timed(metrics: Metrics, operation: string, handler: (req: Request, res: Response) => Promise<void>) {
  return route(async (req, res) => {
    const started = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      await handler(req, res);
      if (res.statusCode >= 400) outcome = `HTTP_${res.statusCode}`;
    } catch (error) {
      outcome = error instanceof DomainError ? error.code : 'INTERNAL_ERROR';
      throw error;
    } finally {
      metrics.observeRequest('http', operation, outcome, Number(process.hrtime.bigint() - started) / 1e9);
    }
  });
}
