import { conflict, defineErrorCodes, type DomainError, type ErrorDetails } from '@campus/platform';

/**
 * Every rule of the leave service fails with its own stable code, so clients can react to the
 * exact reason. Authorization denials are not listed here: they are always the shared FORBIDDEN
 * (with `details.rule` naming the rule that denied); neither are optimistic-concurrency losses,
 * which are the shared CONFLICT (see `concurrentModification`).
 */
export const LeaveErrors = defineErrorCodes('LEAVE', {
  NOT_FOUND: { kind: 'NOT_FOUND', description: 'No leave application has this id.' },
  INVALID_PERIOD: { kind: 'VALIDATION', description: 'The return time is not after the leave time.' },
  PERIOD_IN_PAST: { kind: 'VALIDATION', description: 'The leave time is not in the future.' },
  REASON_REQUIRED: { kind: 'VALIDATION', description: 'The application gives no reason for leaving.' },
  INVALID_PHONE: {
    kind: 'VALIDATION',
    description: 'The contact phone is not a Russian number of 10–11 digits, e.g. +7 912 345-67-89.',
  },
  APPLICANT_NOT_FOUND: { kind: 'NOT_FOUND', description: 'Identity does not know the student who submits.' },
  APPLICANT_INACTIVE: {
    kind: 'VALIDATION',
    description: "The student's account is not active; the campus office can reactivate it.",
  },
  APPLICATION_FINAL: {
    kind: 'CONFLICT',
    description:
      'The application was already approved, rejected or withdrawn and never changes again (a withdrawal by a check-out is undone only by that check-out).',
  },
  VOICE_MESSAGE_REQUIRED: {
    kind: 'VALIDATION',
    description: "A minor's application is approved only once a parent's voice message is attached.",
  },
  REJECTION_REASON_REQUIRED: { kind: 'VALIDATION', description: 'A rejection gives no reason.' },
  DOCUMENT_NOT_FOUND: { kind: 'NOT_FOUND', description: 'The document is not attached to this application.' },
  TOO_MANY_DOCUMENTS: {
    kind: 'VALIDATION',
    description: 'The application already has the most documents it may have (details.max).',
  },
  DEPENDENCY_UNAVAILABLE: {
    kind: 'UNAVAILABLE',
    description: 'A service the request needs (details.dependency, e.g. identity) is unavailable; retry shortly.',
  },
  DOCUMENT_TOO_LARGE: {
    kind: 'TOO_LARGE',
    description: 'The file is larger than its kind allows (details.maxBytes); HTTP 413.',
  },
  DOCUMENT_EMPTY: { kind: 'VALIDATION', description: 'The uploaded file is empty.' },
  DOCUMENT_TYPE_NOT_ALLOWED: {
    kind: 'VALIDATION',
    description: "The file's content is not a format its kind accepts (details.allowed), whatever its name says.",
  },
  DOCUMENT_UNREADABLE: { kind: 'VALIDATION', description: 'The length of the voice recording could not be read.' },
  VOICE_MESSAGE_TOO_LONG: {
    kind: 'VALIDATION',
    description: 'The voice message plays longer than allowed (details.maxDurationSeconds).',
  },
  UPLOAD_LINK_INVALID: {
    kind: 'FORBIDDEN',
    description: 'The upload link is unknown, used or expired (details.reason); ask for a new one.',
  },
  FILE_LINK_INVALID: {
    kind: 'FORBIDDEN',
    description: 'The download link is altered or expired (details.reason); read the document again for a new one.',
  },
  FILE_NOT_FOUND: { kind: 'NOT_FOUND', description: "The document's file no longer exists." },
  PERIOD_TOO_LONG: {
    kind: 'VALIDATION',
    description: 'The leave lasts longer than allowed (details.maxDays, LEAVE_MAX_DAYS).',
  },
  PERIOD_TOO_FAR: {
    kind: 'VALIDATION',
    description: 'The leave starts further ahead than allowed (details.maxDaysAhead, LEAVE_MAX_DAYS_AHEAD).',
  },
  TOO_MANY_PENDING: {
    kind: 'CONFLICT',
    description:
      'The student already has the most undecided applications allowed (details.max, LEAVE_MAX_PENDING_PER_STUDENT); withdraw one or wait for a decision. Pending applications whose return time has passed do not count.',
  },
  NOT_WITHDRAWN_BY_CHECKOUT: {
    kind: 'CONFLICT',
    description:
      'Only an application withdrawn by this very check-out (details.checkoutId) can be reinstated by its undo; details.status says where it stands.',
  },
  PERIOD_PASSED: {
    kind: 'CONFLICT',
    description:
      'The leave is already over (its return time, details.returnAt, has passed), so it can no longer be approved; it may still be rejected.',
  },
});

/** The name of a leave code in the catalog, e.g. 'NOT_FOUND' for LEAVE_NOT_FOUND. */
export type LeaveErrorName = keyof typeof LeaveErrors.codes;

export const applicationNotFound = (applicationId: string): DomainError =>
  LeaveErrors.error('NOT_FOUND', 'The leave application does not exist', { applicationId });

/** A decided or withdrawn application never changes again. */
export const applicationFinal = (applicationId: string, status: string): DomainError =>
  LeaveErrors.error('APPLICATION_FINAL', `The application is ${status.toLowerCase()} and can no longer change`, {
    applicationId,
    status,
  });

/** A check-out's undo reinstates only what that check-out withdrew. */
export const notWithdrawnByCheckout = (applicationId: string, checkoutId: string, status: string): DomainError =>
  LeaveErrors.error('NOT_WITHDRAWN_BY_CHECKOUT', 'The application was not withdrawn by this check-out', {
    applicationId,
    checkoutId,
    status,
  });

/** A pending application whose return time has passed can no longer be approved (rejecting stays allowed). */
export const periodPassed = (applicationId: string, returnAt: Date): DomainError =>
  LeaveErrors.error('PERIOD_PASSED', 'The leave is already over and can no longer be approved', {
    applicationId,
    returnAt: returnAt.toISOString(),
  });

export const documentNotFound = (applicationId: string, documentId: string): DomainError =>
  LeaveErrors.error('DOCUMENT_NOT_FOUND', 'The document is not attached to this application', {
    applicationId,
    documentId,
  });

/**
 * Two commands decided on the same version of a stream and the other one committed first. Nothing
 * is wrong with this request except its timing, so it is the shared CONFLICT (as the contract of
 * concurrent decisions says: one wins, the other gets CONFLICT); `details.rule` says why.
 */
export const concurrentModification = (applicationId: string, expectedVersion: number): DomainError =>
  conflict('The application was changed by someone else at the same time; reload it and try again', {
    applicationId,
    expectedVersion,
    rule: 'optimistic_concurrency',
  });

export const dependencyUnavailable = (dependency: string, details: ErrorDetails = {}): DomainError =>
  LeaveErrors.error('DEPENDENCY_UNAVAILABLE', `The ${dependency} service is unavailable; try again shortly`, {
    dependency,
    ...details,
  });
