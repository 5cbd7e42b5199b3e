import { pipeline } from 'node:stream/promises';
import type { Express, Request, Response } from 'express';
import { DomainError, notFound, route, toHttpErrorBody, type Logger, type Metrics } from '@campus/platform';
import { LeaveErrorCode } from '../../domain/errors';
import type { DocumentDownloads } from '../../services/document-downloads';
import type { DocumentUploads } from '../../services/document-uploads';

export interface DocumentRoutesDeps {
  uploads: DocumentUploads;
  downloads: DocumentDownloads;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Plain HTTP routes for document bytes, reached through the router unchanged:
 *   PUT /uploads/leave/:token   body = the raw file (a link from requestLeaveDocumentUpload)
 *   GET /files/leave/:token     a signed link from LeaveDocument.downloadUrl
 * Errors use the platform shape {"error_code","message","details"}.
 */
export function mountDocumentRoutes(app: Express, deps: DocumentRoutesDeps): void {
  app.put('/uploads/leave/:token', timed(deps.metrics, 'PUT /uploads/leave', (req, res) => upload(deps, req, res)));
  app.get('/files/leave/:token', timed(deps.metrics, 'GET /files/leave', (req, res) => download(deps, req, res)));
  app.all(['/uploads/leave', '/uploads/leave/*rest', '/files/leave', '/files/leave/*rest'], (_req, res) => {
    const error = notFound('No such upload or download route');
    res.status(404).json(toHttpErrorBody(error));
  });
}

async function upload({ uploads }: DocumentRoutesDeps, req: Request, res: Response): Promise<void> {
  const length = req.header('content-length');
  try {
    const { applicationId, document } = await uploads.receive(String(req.params.token), req, length ? Number(length) : undefined);
    const { storageKey: _internal, ...published } = document;
    res.status(201).json({ applicationId, document: published });
  } catch (error) {
    // The rest of a refused body is not wanted: close the connection after answering instead
    // of reading it (Node discards what still arrives; nothing is buffered).
    if (!req.complete) res.setHeader('Connection', 'close');
    if (error instanceof DomainError && error.code === LeaveErrorCode.DOCUMENT_TOO_LARGE) {
      res.status(413).json(toHttpErrorBody(error));
      return;
    }
    throw error;
  }
}

async function download({ downloads, logger }: DocumentRoutesDeps, req: Request, res: Response): Promise<void> {
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
