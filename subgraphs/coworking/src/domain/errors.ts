import { defineErrorCodes, type DomainError, type ErrorDetails } from '@campus/platform';

/**
 * Every rule of the coworking service fails with its own stable code (prefix COWRK_), so clients can
 * react to the exact reason (docs/errors.md is generated from this catalog: `npm run docs:errors`).
 * Authorization denials are the shared FORBIDDEN (details.rule); stale edits the shared CONFLICT.
 */
export const CoworkingErrors = defineErrorCodes('COWRK', {
  NOT_FOUND: { kind: 'NOT_FOUND', description: 'No coworking has this id.' },
  BOOKING_NOT_FOUND: { kind: 'NOT_FOUND', description: 'No booking has this id.' },
  NAME_TAKEN: { kind: 'CONFLICT', description: 'The building already has a coworking with this name.' },
  BUILDING_NOT_FOUND: {
    kind: 'NOT_FOUND',
    description: "The campus layout (identity's) has no building with this code (details.building).",
  },
  UNAVAILABLE_COWORKING: {
    kind: 'CONFLICT',
    description: 'The coworking is marked unavailable and takes no bookings (details.coworkingId).',
  },
  SLOT_IN_PAST: { kind: 'VALIDATION', description: 'The slot starts in the past.' },
  SLOT_END_BEFORE_START: { kind: 'VALIDATION', description: 'The slot ends before (or when) it starts.' },
  SLOT_TOO_LONG: { kind: 'VALIDATION', description: 'The slot is longer than allowed (details.maxMinutes).' },
  SLOT_TOO_FAR_AHEAD: { kind: 'VALIDATION', description: 'The slot starts too far ahead (details.maxDaysAhead).' },
  OUTSIDE_OPENING_HOURS: {
    kind: 'VALIDATION',
    description: 'The slot is not within the opening hours (details.opensAt, details.closesAt, campus time).',
  },
  PURPOSE_REQUIRED: { kind: 'VALIDATION', description: 'A booking gives no purpose.' },
  REJECTION_REASON_REQUIRED: { kind: 'VALIDATION', description: 'A rejection gives no reason.' },
  SLOT_TAKEN: {
    kind: 'CONFLICT',
    description: 'The slot overlaps an approved booking of the same coworking (enforced by the database).',
  },
  ACTIVE_BOOKING_EXISTS: {
    kind: 'CONFLICT',
    description: 'The student already has an active booking (details.bookingId); one at a time.',
  },
  KEY_ALREADY_OUT: {
    kind: 'CONFLICT',
    description: "Another booking holds the coworking's key (details.bookingId); it must come back first.",
  },
  INVALID_TRANSITION: {
    kind: 'CONFLICT',
    description: 'The booking is not in a state that allows this step (details.status, details.action).',
  },
  SLOT_PASSED: {
    kind: 'CONFLICT',
    description:
      'The slot has ended (details.endsAt): the booking can no longer be approved or its key handed over (details.action).',
  },
  KEY_HELD: {
    kind: 'CONFLICT',
    description:
      'The student holds a coworking key (details.bookingId, details.coworkingId): a check-out waits until it is back.',
  },
  DEPENDENCY_UNAVAILABLE: {
    kind: 'UNAVAILABLE',
    description: 'A service the request needs (details.dependency, e.g. identity) is unavailable; retry shortly.',
  },
  STUDENT_NOT_FOUND: { kind: 'NOT_FOUND', description: 'Identity does not know the student who asks for a slot.' },
  STUDENT_INACTIVE: {
    kind: 'VALIDATION',
    description:
      "The student's account is not active (e.g. checked out): it books nothing until the campus office reactivates it.",
  },
});

/** The name of a coworking code in the catalog, e.g. 'NOT_FOUND' for COWRK_NOT_FOUND. */
export type CoworkingErrorName = keyof typeof CoworkingErrors.codes;

/** COWRK_DEPENDENCY_UNAVAILABLE (kind UNAVAILABLE: retryable) naming the service that could not answer. */
export const dependencyUnavailable = (dependency: string, details: ErrorDetails = {}): DomainError =>
  CoworkingErrors.error('DEPENDENCY_UNAVAILABLE', `The ${dependency} service is unavailable; try again shortly`, {
    dependency,
    ...details,
  });

/** COWRK_BUILDING_NOT_FOUND: identity's layout lacks the building a coworking would be filed under. */
export const buildingNotFound = (building: string): DomainError =>
  CoworkingErrors.error('BUILDING_NOT_FOUND', `The campus has no building "${building}"`, { building });
