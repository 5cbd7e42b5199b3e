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
import { DutyErrors } from '../../domain/errors';
import type { ReportPhoto } from '../../domain/records';
import type { DutyServices } from '../../services';

export interface PhotoRoutesDeps {
  services: Pick<DutyServices, 'reports'>;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Plain HTTP routes for duty photos, reached through the router unchanged:
 *   PUT /uploads/duty/:token   body = the raw JPEG/PNG (a link from requestDutyPhotoUpload);
 *                              POST is accepted the same way for clients that cannot PUT
 *   GET /files/duty/:token     a signed link from DutyPhoto.url
 * The upload handling (refusing a spent link before reading the body, discarding the rest of a
 * refused body) is the platform's uploadRoute; errors are answered {"error_code","message","details"}
 * with the status of the error's kind (DUTY_PHOTO_TOO_LARGE: 413).
 */
export function mountPhotoRoutes(app: Express, deps: PhotoRoutesDeps): void {
  const upload: UploadRouteOptions = { metrics: deps.metrics, isLinkRefusal: isUploadLinkRefusal };
  app.put(
    '/uploads/duty/:token',
    uploadRoute(upload, (token, body, length) => receivePhoto(deps, token, body, length)),
  );
  app.post(
    '/uploads/duty/:token',
    uploadRoute(upload, (token, body, length) => receivePhoto(deps, token, body, length)),
  );
  app.get(
    '/files/duty/:token',
    timedRoute(deps.metrics, 'GET /files/duty', (req, res) => download(deps, req, res)),
  );
  app.all(['/uploads/duty', '/uploads/duty/*rest', '/files/duty', '/files/duty/*rest'], (_req, res) => {
    sendError(res, notFound('No such upload or download route'));
  });
}

const isUploadLinkRefusal = (error: unknown): boolean =>
  error instanceof DomainError && error.code === DutyErrors.codes.UPLOAD_LINK_INVALID;

/** A photo in GraphQL's words (DutyPhoto: category KITCHEN_STOVE, uploadedBy { id }), never its storage key. */
const published = (p: ReportPhoto) => ({
  id: p.id,
  category: p.category.toUpperCase(),
  contentType: p.contentType,
  sizeBytes: p.sizeBytes,
  uploadedBy: { id: p.uploadedBy },
  uploadedAt: p.uploadedAt,
});

/** The answer of an accepted upload: the photo and its report's state. */
async function receivePhoto(
  { services: { reports } }: PhotoRoutesDeps,
  token: string,
  body: Readable,
  declaredLength: number | undefined,
) {
  const { scheduleId, report, photo } = await reports.receive(token, body, declaredLength);
  return {
    scheduleId,
    photo: published(photo),
    report: { id: report.id, status: report.status.toUpperCase(), photos: report.photos.map(published) },
  };
}

async function download(
  { services: { reports }, logger }: PhotoRoutesDeps,
  req: Request,
  res: Response,
): Promise<void> {
  const photo = await reports.openPhoto(String(req.params.token));
  await sendPrivateFile(res, photo, { disposition: 'inline', logger });
}
