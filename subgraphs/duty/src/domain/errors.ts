import { defineErrorCodes } from '@campus/platform';

/**
 * Every rule of the duty service fails with its own stable code, so clients can react to the
 * exact reason (docs/errors.md is generated from this catalog: `npm run docs:errors`).
 * Authorization denials are not listed here: they are always the shared FORBIDDEN (with
 * `details.rule`); optimistic-concurrency losses are the shared CONFLICT.
 */
export const DutyErrors = defineErrorCodes('DUTY', {
  NOT_FOUND: { kind: 'NOT_FOUND', description: 'No duty schedule has this id.' },
  ROSTER_NOT_FOUND: { kind: 'NOT_FOUND', description: 'No roster has this id.' },
  REPORT_NOT_FOUND: { kind: 'NOT_FOUND', description: 'No report has this id.' },
  PHOTO_NOT_FOUND: { kind: 'NOT_FOUND', description: 'The photo is not part of this report.' },
  SANCTION_NOT_FOUND: { kind: 'NOT_FOUND', description: 'No sanction has this id.' },
  SWAP_NOT_FOUND: { kind: 'NOT_FOUND', description: 'No swap request has this id.' },
  UNKNOWN_ROOM: { kind: 'NOT_FOUND', description: 'Identity knows no room with this id (details.roomId).' },
  UNKNOWN_ENTRANCE: {
    kind: 'NOT_FOUND',
    description: 'The campus has no such building or entrance (details.building, details.entrance).',
  },
  INVALID_MONTH: {
    kind: 'VALIDATION',
    description:
      'The month is not YYYY-MM, lies wholly in the past, has no day left to plan, or (generating a roster) is more ' +
      'than 12 months after the current one (details.month; details.latestMonth names the latest allowed).',
  },
  INVALID_DATE: { kind: 'VALIDATION', description: 'The date is not a real calendar date YYYY-MM-DD.' },
  ROSTER_EXISTS: {
    kind: 'CONFLICT',
    description: 'The entrance already has a roster for this month (details.rosterId); move single dates instead.',
  },
  NO_OCCUPIED_ROOMS: {
    kind: 'VALIDATION',
    description: 'The entrance has no occupied room, so there is nobody to put on duty.',
  },
  NOT_YOUR_ROOM: {
    kind: 'FORBIDDEN',
    description: "The duty belongs to another room: only that room's residents report or swap it.",
  },
  DATE_IN_PAST: {
    kind: 'VALIDATION',
    description: 'The date is before today (campus time), or its deadline has passed (details.date).',
  },
  DATE_OUTSIDE_MONTH: {
    kind: 'VALIDATION',
    description: "A duty is moved only within its roster's month (details.month).",
  },
  DATE_TAKEN: {
    kind: 'CONFLICT',
    description: 'The room already has a duty on that date (details.scheduleId).',
  },
  DUTY_CLOSED: {
    kind: 'CONFLICT',
    description: 'The duty is already reported, accepted or overdue (details.status) and cannot change that way.',
  },
  DEADLINE_PASSED: {
    kind: 'CONFLICT',
    description:
      "The duty's deadline (23:00 campus time of the duty day, or of the next day after a late rejection; details.deadlineAt) has passed.",
  },
  NOT_DUTY_DAY: {
    kind: 'VALIDATION',
    description:
      'Photos are uploaded and reports submitted on the duty day only, or up to the deadline a late rejection moved (details.dutyDate).',
  },
  REPORT_INCOMPLETE: {
    kind: 'VALIDATION',
    description: 'A required checklist category has no photo yet (details.missing lists them).',
  },
  REPORT_NOT_SUBMITTED: {
    kind: 'CONFLICT',
    description:
      "Only a submitted report is accepted or rejected (details.status: the latest report's, null when none was submitted).",
  },
  REJECTION_REASON_REQUIRED: { kind: 'VALIDATION', description: 'A rejection gives no reason.' },
  TOO_MANY_PHOTOS: {
    kind: 'VALIDATION',
    description: 'The report already has the most photos it may have (details.max).',
  },
  PHOTO_TOO_LARGE: { kind: 'TOO_LARGE', description: 'A photo may be at most 5 MB (details.maxBytes); HTTP 413.' },
  PHOTO_EMPTY: { kind: 'VALIDATION', description: 'The uploaded file is empty.' },
  PHOTO_TYPE_NOT_ALLOWED: {
    kind: 'VALIDATION',
    description: "The file's content is not JPEG or PNG (details.detected), whatever its name says.",
  },
  UPLOAD_LINK_INVALID: {
    kind: 'FORBIDDEN',
    description: 'The upload link is unknown, used or expired (details.reason); ask for a new one.',
  },
  FILE_LINK_INVALID: {
    kind: 'FORBIDDEN',
    description: 'The photo link is altered or expired (details.reason); read the report again for a new one.',
  },
  FILE_NOT_FOUND: { kind: 'NOT_FOUND', description: "The photo's file no longer exists." },
  CALENDAR_LINK_INVALID: {
    kind: 'FORBIDDEN',
    description: 'The calendar feed link is unknown or was replaced by a newer one.',
  },
  SWAP_ACROSS_ENTRANCES: {
    kind: 'VALIDATION',
    description: 'Duties are swapped only within one entrance (details.from, details.to).',
  },
  SWAP_SAME_ROOM: { kind: 'VALIDATION', description: 'A room cannot swap a duty with itself.' },
  SWAP_NOT_OPEN: {
    kind: 'CONFLICT',
    description: 'The swap request is no longer in a state that allows this step (details.status).',
  },
  SWAP_PENDING: {
    kind: 'CONFLICT',
    description: 'One of the two duties already has an open swap request (details.swapId).',
  },
  SWAP_SAME_DATE: {
    kind: 'VALIDATION',
    description: 'The two duties are on the same date (details.date): there is nothing to exchange.',
  },
  SWAP_OUTDATED: {
    kind: 'CONFLICT',
    description:
      'A duty of the swap was moved since it was asked (details.scheduleId, details.askedDate, details.currentDate); ask again.',
  },
  SANCTION_RESOLVED: { kind: 'CONFLICT', description: 'The sanction was already resolved.' },
  RESOLUTION_NOTE_REQUIRED: { kind: 'VALIDATION', description: 'Resolving a sanction needs a note.' },
  DEPENDENCY_UNAVAILABLE: {
    kind: 'UNAVAILABLE',
    description: 'A service the request needs (details.dependency, e.g. identity) is unavailable; retry shortly.',
  },
});

/** The name of a duty code in the catalog, e.g. 'NOT_FOUND' for DUTY_NOT_FOUND. */
export type DutyErrorName = keyof typeof DutyErrors.codes;
