// Photo-checklist reports of a duty: single-use photo upload links, receiving the photo bytes
// (size and format judged from the bytes), removing photos, submitting, staff review, the review
// list, and signed photo downloads.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  detectFileFormat,
  forbidden,
  hasRole,
  requireAuth,
  UploadLinks,
  uploadLinkRefusalMessage,
  type AuthContext,
  type Clock,
  type EntranceRef,
  type FileLinks,
  type Logger,
  type Page,
  type PageRequest,
  type UploadLinkStore,
  type UploadSpool,
} from '@campus/platform';
import { afterRejection } from '../domain/deadline';
import { DutyErrors } from '../domain/errors';
import { MAX_PHOTO_BYTES } from '../domain/limits';
import { REPORT_REVIEW_SCOPE, requireResidentOf, requireScope } from '../domain/policy';
import type { ChecklistCategory, DutyReport, DutySchedule, DutyTimes, LocalDate, ReportPhoto } from '../domain/records';
import {
  assertComplete,
  assertPhotoFits,
  assertReportable,
  assertReviewable,
  checkPhotoSize,
  latestReport,
  openDraft,
  PHOTO_FORMATS,
  photoFormatOf,
  photoTooLarge,
  rejectionReason,
  type ReportClock,
} from '../domain/reports';
import { reportAccepted, reportRejected, reportSubmitted } from '../events/duty-events';
import type { PhotoStorage, ReportReviewQuery, ReportStore, RoomDirectory } from './ports';

/** Where upload links point (the router proxies it here): `<publicBaseUrl>/uploads/duty/<token>`. */
export const UPLOAD_PATH = '/uploads/duty';
/** Where photo download links point: `<publicBaseUrl>/files/duty/<token>`. */
export const DOWNLOAD_PATH = '/files/duty';

export interface PhotoUploadTicket {
  uploadUrl: string;
  method: 'PUT';
  expiresAt: Date;
  maxBytes: number;
  acceptedContentTypes: string[];
  scheduleId: string;
  category: ChecklistCategory;
}

export interface ReceivedPhoto {
  scheduleId: string;
  report: DutyReport;
  photo: ReportPhoto;
}

export interface OpenedPhoto {
  stream: Readable;
  contentType: string;
  sizeBytes: number;
  fileName: string;
}

export interface ReportReviewFilter {
  building?: string;
  entrance?: number;
  from?: LocalDate;
  to?: LocalDate;
}

export interface DutyReportsDeps {
  store: ReportStore;
  rooms: RoomDirectory;
  /** Single-use upload links (platform PgUploadLinkStore): subject = the duty, kind = the category. */
  uploadLinks: UploadLinkStore<ChecklistCategory>;
  spool: UploadSpool;
  storage: PhotoStorage;
  /** Signed photo download links (platform FileLinks on DOWNLOAD_PATH). */
  fileLinks: FileLinks;
  clock: Clock;
  /** The duty rules' campus clock times (a late rejection's new deadline is `times.deadline`). */
  times: DutyTimes;
  timeZone: string;
  publicBaseUrl: string;
  uploadLinkTtlMs: number;
  logger: Logger;
  newId?: () => string;
}

const notFound = (scheduleId: string) => DutyErrors.error('NOT_FOUND', 'No duty has this id', { scheduleId });

export class DutyReports {
  private readonly links: UploadLinks<ChecklistCategory>;
  private readonly newId: () => string;

  constructor(private readonly deps: DutyReportsDeps) {
    this.newId = deps.newId ?? randomUUID;
    this.links = new UploadLinks(deps.uploadLinks, {
      publicBaseUrl: deps.publicBaseUrl,
      path: UPLOAD_PATH,
      ttlMs: deps.uploadLinkTtlMs,
      clock: deps.clock,
    });
  }

  private reportClock(): ReportClock {
    return { now: this.deps.clock.now(), timeZone: this.deps.timeZone };
  }

  private async schedule(id: string): Promise<DutySchedule> {
    const schedule = await this.deps.store.schedule(id);
    if (!schedule) throw notFound(id);
    return schedule;
  }

  // ── the room's side ──────────────────────────────────────────────────────────────────────────

  /** A single-use link for one photo: the room's residents, while the duty may still be reported. */
  async requestPhotoUpload(
    auth: AuthContext | null | undefined,
    input: { scheduleId: string; category: ChecklistCategory },
  ): Promise<PhotoUploadTicket> {
    const schedule = await this.schedule(input.scheduleId);
    const caller = requireResidentOf(auth, schedule.room, { scheduleId: input.scheduleId });
    assertReportable(schedule, this.reportClock());
    assertPhotoFits(openDraft(await this.deps.store.reportsOfSchedules([schedule.id])));
    const { url, expiresAt } = await this.links.issue({
      subjectId: schedule.id,
      kind: input.category,
      requestedBy: caller.userId,
      requesterRoles: caller.roles,
    });
    return {
      uploadUrl: url,
      method: 'PUT',
      expiresAt,
      maxBytes: MAX_PHOTO_BYTES,
      acceptedContentTypes: PHOTO_FORMATS.map((f) => f.contentType),
      scheduleId: schedule.id,
      category: input.category,
    };
  }

  /**
   * Receives the body of an upload link (spent by this attempt whatever its outcome). The rules
   * are checked again when the photo is recorded: the deadline may have passed, the report may
   * have been submitted meanwhile.
   */
  async receive(token: string, body: Readable, declaredLength: number | undefined): Promise<ReceivedPhoto> {
    const claim = await this.links.redeem(token);
    if (claim.status !== 'claimed') {
      throw DutyErrors.error('UPLOAD_LINK_INVALID', uploadLinkRefusalMessage(claim.status), { reason: claim.status });
    }
    const { subjectId: scheduleId, kind: category, requestedBy } = claim.link;
    if (declaredLength !== undefined && declaredLength > MAX_PHOTO_BYTES) throw photoTooLarge(declaredLength);

    const file = await this.deps.spool.receive(body, MAX_PHOTO_BYTES, () => photoTooLarge());
    try {
      checkPhotoSize(file.sizeBytes);
      const format = photoFormatOf(await detectFileFormat(file.path));
      assertReportable(await this.schedule(scheduleId), this.reportClock()); // before storing anything
      const photoId = this.newId();
      const photo = {
        id: photoId,
        category,
        contentType: format.contentType,
        sizeBytes: file.sizeBytes,
        storageKey: `photos/${scheduleId}/${photoId}.${format.ext}`,
        uploadedBy: requestedBy,
        uploadedAt: this.deps.clock.now(),
      };
      await this.deps.storage.put(photo.storageKey, file.path, photo.contentType);
      try {
        const report = await this.deps.store.addPhoto(
          scheduleId,
          { photo, newReportId: this.newId() },
          (s, reports) => {
            assertReportable(s, this.reportClock());
            assertPhotoFits(openDraft(reports));
          },
        );
        return { scheduleId, report, photo: report.photos.find((p) => p.id === photoId)! };
      } catch (error) {
        await this.discard(photo.storageKey); // refused or failed: keep no orphan bytes
        throw error;
      }
    } finally {
      await file.discard();
    }
  }

  /** Removes a photo of the open draft: the room's residents, while the duty may still be reported. */
  async removePhoto(
    auth: AuthContext | null | undefined,
    input: { scheduleId: string; photoId: string },
  ): Promise<DutyReport> {
    const schedule = await this.schedule(input.scheduleId);
    requireResidentOf(auth, schedule.room, { scheduleId: input.scheduleId });
    const { report, removed } = await this.deps.store.removePhoto(schedule.id, (s, reports) => {
      assertReportable(s, this.reportClock());
      const photo = openDraft(reports)?.photos.find((p) => p.id === input.photoId);
      if (!photo) {
        throw DutyErrors.error('PHOTO_NOT_FOUND', 'The open report has no such photo', { photoId: input.photoId });
      }
      return photo;
    });
    await this.discard(removed.storageKey);
    return report;
  }

  /** Submits the open draft (every required category has a photo): the room's residents, before the deadline. */
  async submit(auth: AuthContext | null | undefined, scheduleId: string): Promise<DutySchedule> {
    const schedule = await this.schedule(scheduleId);
    const caller = requireResidentOf(auth, schedule.room, { scheduleId });
    const { schedule: written } = await this.deps.store.change(scheduleId, (s, reports) => {
      const clock = this.reportClock();
      assertReportable(s, clock);
      const draft = assertComplete(openDraft(reports));
      return {
        report: { ...draft, status: 'submitted', submittedBy: caller.userId, submittedAt: clock.now },
        scheduleStatus: 'report_submitted',
        events: [
          reportSubmitted(
            {
              ...this.where(s),
              reportId: draft.id,
              submittedBy: caller.userId,
              photoCount: draft.photos.length,
            },
            clock.now,
          ),
        ],
      };
    });
    return written;
  }

  // ── the staff's side ─────────────────────────────────────────────────────────────────────────

  /** Accepts the submitted report: educators and the entrance's educator_head (not its student_head). */
  async accept(auth: AuthContext | null | undefined, scheduleId: string): Promise<DutySchedule> {
    const schedule = await this.schedule(scheduleId);
    const caller = requireScope(auth, schedule.room, REPORT_REVIEW_SCOPE, 'report_review', { scheduleId });
    const residentIds = await this.residentIdsOf(schedule);
    const { schedule: written } = await this.deps.store.change(scheduleId, (s, reports) => {
      const report = assertReviewable(latestReport(reports));
      const now = this.deps.clock.now();
      return {
        report: { ...report, status: 'accepted', reviewedBy: caller.userId, reviewedAt: now },
        scheduleStatus: 'accepted',
        events: [
          reportAccepted({ ...this.where(s), reportId: report.id, reviewedBy: caller.userId, residentIds }, now),
        ],
      };
    });
    return written;
  }

  /**
   * Rejects the submitted report with a reason: the duty is pending again, and the room's next
   * photo opens a new report (until the deadline). A rejection at or after the deadline moves the
   * deadline to the next campus day's (domain/deadline.ts afterRejection), in the same change: the
   * room reported in time and is not made overdue by a late review. Same reviewers as accept.
   */
  async reject(
    auth: AuthContext | null | undefined,
    input: { scheduleId: string; reason: string },
  ): Promise<DutySchedule> {
    const schedule = await this.schedule(input.scheduleId);
    const caller = requireScope(auth, schedule.room, REPORT_REVIEW_SCOPE, 'report_review', {
      scheduleId: input.scheduleId,
    });
    const reason = rejectionReason(input.reason);
    const residentIds = await this.residentIdsOf(schedule);
    const { schedule: written } = await this.deps.store.change(schedule.id, (s, reports) => {
      const report = assertReviewable(latestReport(reports));
      const now = this.deps.clock.now();
      const times = afterRejection(s, now, this.deps.times, this.deps.timeZone);
      return {
        report: { ...report, status: 'rejected', reviewedBy: caller.userId, reviewedAt: now, rejectionReason: reason },
        scheduleStatus: 'pending',
        scheduleTimes: times,
        events: [
          reportRejected(
            {
              ...this.where(s),
              reportId: report.id,
              reviewedBy: caller.userId,
              residentIds,
              reason,
              resubmitBy: times.deadlineAt.toISOString(),
            },
            now,
          ),
        ],
      };
    });
    return written;
  }

  /**
   * Submitted reports waiting for review, oldest submission first, of the entrances the caller
   * reviews (REPORT_REVIEW_SCOPE): every entrance for an educator, the assigned ones for an
   * educator_head. A filter naming another entrance is refused, and so is anybody else (a
   * student_head reads their entrance's reports through its duties, but does not review them).
   */
  async toReview(
    auth: AuthContext | null | undefined,
    filter: ReportReviewFilter,
    page: PageRequest,
  ): Promise<Page<DutyReport>> {
    const caller = requireAuth(auth);
    const { building, entrance } = filter;
    if (building !== undefined && entrance !== undefined) {
      requireScope(caller, { building, entrance }, REPORT_REVIEW_SCOPE, 'report_review', { building, entrance });
    }
    if (hasRole(caller, ...(REPORT_REVIEW_SCOPE.campusWide ?? [])))
      return this.deps.store.submittedReports(filter, page);
    const reviewed = reviewedEntrances(caller);
    if (!reviewed.length) throw forbidden('Only reviewers of duty reports list them', { rule: 'report_review' });
    const entrances = reviewed.filter(
      (e) => (building === undefined || e.building === building) && (entrance === undefined || e.entrance === entrance),
    );
    const query: ReportReviewQuery = { ...filter, entrances };
    return this.deps.store.submittedReports(query, page);
  }

  // ── reads for the transports ─────────────────────────────────────────────────────────────────

  /** For DataLoaders: these duties' reports, oldest first. Reached only through a duty the caller may read. */
  reportsOfSchedules(scheduleIds: readonly string[]): Promise<DutyReport[]> {
    return this.deps.store.reportsOfSchedules(scheduleIds);
  }

  /** A short-lived signed link to a photo (handed out with a report the caller may read). */
  photoUrl(photo: Pick<ReportPhoto, 'id'>): { url: string; expiresAt: Date } {
    return this.deps.fileLinks.downloadUrl(photo.id, this.deps.clock.now());
  }

  /** A photo's bytes for a valid signed link (and only then). */
  async openPhoto(token: string): Promise<OpenedPhoto> {
    const link = this.deps.fileLinks.verify(token, this.deps.clock.now());
    if (link.status !== 'valid') {
      throw DutyErrors.error(
        'FILE_LINK_INVALID',
        link.status === 'expired' ? 'The photo link has expired; read the report again' : 'The photo link is not valid',
        { reason: link.status },
      );
    }
    const found = await this.deps.store.photo(link.fileId);
    const stream = found ? await this.deps.storage.open(found.photo.storageKey) : null;
    if (!found || !stream)
      throw DutyErrors.error('FILE_NOT_FOUND', 'The photo no longer exists', { photoId: link.fileId });
    const { photo } = found;
    return {
      stream,
      contentType: photo.contentType,
      sizeBytes: photo.sizeBytes,
      fileName: `${photo.category}-${photo.id.slice(0, 8)}.${photo.storageKey.split('.').pop() ?? 'bin'}`,
    };
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────

  private where(s: DutySchedule) {
    return {
      scheduleId: s.id,
      roomId: s.room.roomId,
      building: s.room.building,
      entrance: s.room.entrance,
      roomNumber: s.room.number,
      dutyDate: s.dutyDate,
    };
  }

  private async residentIdsOf(schedule: DutySchedule): Promise<string[]> {
    const residents = await this.deps.rooms.residentsOf([schedule.room]);
    return (residents.get(schedule.room.roomId) ?? []).map((r) => r.userId);
  }

  /** Deletes a photo's bytes; a failure only leaves an unreachable orphan, so it is logged. */
  private async discard(storageKey: string): Promise<void> {
    await this.deps.storage.delete(storageKey).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, storageKey }, 'could not delete a photo from the storage');
    });
  }
}

/** The entrances a reviewer who is not campus-wide reviews: the ones assigned to them. */
function reviewedEntrances(caller: AuthContext): EntranceRef[] {
  return hasRole(caller, ...(REPORT_REVIEW_SCOPE.assigned ?? [])) ? [...caller.entrances] : [];
}
