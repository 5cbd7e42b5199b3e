// The photo-checklist report of a duty (domain spec §6): which categories it needs, which files
// count as photos, and when a room may add photos, submit, and staff review. Pure: the caller
// passes "now" and the campus time zone.
import { DomainError } from '@campus/platform';
import { campusToday, lastDutyDay } from './duty-times';
import { DutyErrors } from './errors';
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_REPORT } from './limits';
import {
  CHECKLIST_CATEGORIES,
  OPTIONAL_CATEGORIES,
  type ChecklistCategory,
  type DutyReport,
  type DutySchedule,
  type ReportPhoto,
} from './records';

/** Every category but the optional ones (kitchen_appliances) needs at least one photo. */
export const REQUIRED_CATEGORIES: readonly ChecklistCategory[] = CHECKLIST_CATEGORIES.filter(
  (c) => !OPTIONAL_CATEGORIES.includes(c),
);

export const isChecklistCategory = (value: string): value is ChecklistCategory =>
  (CHECKLIST_CATEGORIES as readonly string[]).includes(value);

/** The photo formats a report takes, told from the bytes (never from a name or a claimed type). */
export const PHOTO_FORMATS = [
  { ext: 'jpg', contentType: 'image/jpeg' },
  { ext: 'png', contentType: 'image/png' },
] as const;
export type PhotoFormat = (typeof PHOTO_FORMATS)[number];

/** "Now" as the report rules see it. */
export interface ReportClock {
  now: Date;
  timeZone: string;
}

/** Required categories without a photo yet, in checklist order. */
export function missingCategories(photos: readonly Pick<ReportPhoto, 'category'>[]): ChecklistCategory[] {
  const present = new Set(photos.map((p) => p.category));
  return REQUIRED_CATEGORIES.filter((c) => !present.has(c));
}

/** The report photos are added to and which is submitted: the latest one, if it is still a draft. */
export function openDraft(reports: readonly DutyReport[]): DutyReport | null {
  const latest = latestReport(reports);
  return latest?.status === 'draft' ? latest : null;
}

/** The newest report of a duty (reports are kept oldest first). */
export const latestReport = (reports: readonly DutyReport[]): DutyReport | null => reports[reports.length - 1] ?? null;

/**
 * A room works on its report (adds or removes photos, submits) only while the duty is pending,
 * from the duty day (campus time) until the deadline. A rejected report puts the duty back to
 * pending: the room reports again until the deadline, which a rejection at or after it moved to
 * the next campus day (so reporting may go on past the duty day, up to that deadline's day).
 */
export function assertReportable(schedule: DutySchedule, clock: ReportClock): void {
  if (schedule.status !== 'pending') {
    throw DutyErrors.error(
      'DUTY_CLOSED',
      `The duty is ${schedule.status.replace('_', ' ')}: its report cannot change`,
      {
        scheduleId: schedule.id,
        status: schedule.status.toUpperCase(),
      },
    );
  }
  const today = campusToday(clock.now, clock.timeZone);
  if (today < schedule.dutyDate || today > lastDutyDay(schedule, clock.timeZone)) {
    throw DutyErrors.error('NOT_DUTY_DAY', 'Photos are uploaded and reports submitted on the duty day only', {
      dutyDate: schedule.dutyDate,
      today,
    });
  }
  if (clock.now.getTime() >= schedule.deadlineAt.getTime()) {
    throw DutyErrors.error('DEADLINE_PASSED', "The duty's deadline has passed", {
      deadlineAt: schedule.deadlineAt.toISOString(),
    });
  }
}

/** One more photo fits into the open draft (none yet: a new draft will hold it). */
export function assertPhotoFits(draft: DutyReport | null): void {
  if (draft && draft.photos.length >= MAX_PHOTOS_PER_REPORT) {
    throw DutyErrors.error('TOO_MANY_PHOTOS', `A report holds at most ${MAX_PHOTOS_PER_REPORT} photos`, {
      max: MAX_PHOTOS_PER_REPORT,
    });
  }
}

export const photoTooLarge = (sizeBytes?: number): DomainError =>
  DutyErrors.error('PHOTO_TOO_LARGE', `A photo may be at most ${MAX_PHOTO_BYTES / (1024 * 1024)} MB`, {
    maxBytes: MAX_PHOTO_BYTES,
    ...(sizeBytes !== undefined ? { sizeBytes } : {}),
  });

/** A photo's size as received: not empty, not above the limit. */
export function checkPhotoSize(sizeBytes: number): void {
  if (sizeBytes === 0) throw DutyErrors.error('PHOTO_EMPTY', 'The uploaded file is empty');
  if (sizeBytes > MAX_PHOTO_BYTES) throw photoTooLarge(sizeBytes);
}

/** The photo format of a file's detected format (from its bytes), or PHOTO_TYPE_NOT_ALLOWED. */
export function photoFormatOf(detected: { ext: string; mime: string } | undefined): PhotoFormat {
  const format = PHOTO_FORMATS.find((f) => f.contentType === detected?.mime);
  if (!format) {
    throw DutyErrors.error('PHOTO_TYPE_NOT_ALLOWED', 'A photo must be a JPEG or PNG image', {
      detected: detected?.mime ?? null,
      allowed: PHOTO_FORMATS.map((f) => f.contentType),
    });
  }
  return format;
}

/**
 * The open draft may be submitted: every required category has a photo. `details.missing` names
 * the missing categories as the API spells them (KITCHEN_STOVE…), the words clients match on.
 */
export function assertComplete(draft: DutyReport | null): DutyReport {
  const missing = missingCategories(draft?.photos ?? []);
  if (!draft || missing.length) {
    throw DutyErrors.error('REPORT_INCOMPLETE', 'Every required checklist category needs a photo', {
      missing: missing.map((c) => c.toUpperCase()),
    });
  }
  return draft;
}

/** Staff review only a submitted report (the latest one); a refusal says whether there is none yet. */
export function assertReviewable(latest: DutyReport | null): DutyReport {
  if (!latest) {
    throw DutyErrors.error('REPORT_NOT_SUBMITTED', 'No report has been submitted for this duty yet', { status: null });
  }
  if (latest.status !== 'submitted') {
    const state = latest.status === 'draft' ? 'still a draft' : `already ${latest.status}`;
    throw DutyErrors.error(
      'REPORT_NOT_SUBMITTED',
      `The report is ${state}; only a submitted report is accepted or rejected`,
      { status: latest.status.toUpperCase() },
    );
  }
  return latest;
}

/** A rejection's reason, trimmed; a blank one is none. */
export function rejectionReason(reason: string): string {
  const trimmed = reason.trim();
  if (!trimmed) throw DutyErrors.error('REJECTION_REASON_REQUIRED', 'A rejection needs a reason');
  return trimmed;
}
