import type { Readable } from 'node:stream';
import type { Express, Request, Response } from 'express';
import {
  DomainError,
  notFound,
  sendError,
  sendPrivateFile,
  timedRoute,
  uploadRoute,
  type Logger,
  type Metrics,
  type UploadRouteOptions,
} from '@campus/platform';
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
 * The upload route's HTTP handling (refusing a spent link before reading the body, discarding the
 * rest of a refused body) is the platform's uploadRoute. Errors are answered by the platform's HTTP
 * error handler, {"error_code","message","details"} with the status of the error's kind
 * (LEAVE_DOCUMENT_TOO_LARGE is a TOO_LARGE: 413).
 */
export function mountDocumentRoutes(app: Express, deps: DocumentRoutesDeps): void {
  const upload: UploadRouteOptions = { metrics: deps.metrics, isLinkRefusal: isUploadLinkRefusal };
  app.put(
    '/uploads/leave/:token',
    uploadRoute(upload, (token, body, length) => receiveDocument(deps, token, body, length)),
  );
  app.post(
    '/uploads/leave/:token',
    uploadRoute(upload, (token, body, length) => receiveDocument(deps, token, body, length)),
  );
  app.get(
    '/files/leave/:token',
    timedRoute(deps.metrics, 'GET /files/leave', (req, res) => download(deps, req, res)),
  );
  app.all(['/uploads/leave', '/uploads/leave/*rest', '/files/leave', '/files/leave/*rest'], (_req, res) => {
    sendError(res, notFound('No such upload or download route'));
  });
}

const isUploadLinkRefusal = (error: unknown): boolean =>
  error instanceof DomainError && error.code === LeaveErrors.codes.UPLOAD_LINK_INVALID;

/**
 * The answer of an accepted upload: the document in GraphQL's words (LeaveDocument: kind
 * VOICE_MESSAGE, uploadedBy { id }), never its storage key. The link to download it comes from
 * GraphQL (LeaveDocument.downloadUrl), where it is signed for the reader.
 */
async function receiveDocument(
  { services: { uploads } }: DocumentRoutesDeps,
  token: string,
  body: Readable,
  declaredLength: number | undefined,
) {
  const { applicationId, document } = await uploads.receive(token, body, declaredLength);
  return {
    applicationId,
    document: {
      id: document.id,
      kind: document.kind.toUpperCase(), // the LeaveDocumentKind enum value
      contentType: document.contentType,
      sizeBytes: document.sizeBytes,
      durationSeconds: document.durationSeconds,
      uploadedBy: { id: document.uploadedBy },
      uploadedAt: document.uploadedAt,
    },
  };
}

async function download(
  { services: { downloads }, logger }: DocumentRoutesDeps,
  req: Request,
  res: Response,
): Promise<void> {
  const document = await downloads.open(String(req.params.token));
  await sendPrivateFile(res, document, { disposition: 'attachment', logger });
}
