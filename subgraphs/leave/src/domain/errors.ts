import { DomainError, conflict, notFound, unavailable, validationError, type ErrorDetails } from '@campus/platform';

/**
 * Every rule of the leave service fails with its own stable code, so clients can react to the
 * exact reason. Authorization denials are not listed here: they are always the shared FORBIDDEN
 * (with `details.rule` naming the rule that denied); neither are optimistic-concurrency losses,
 * which are the shared CONFLICT (see `concurrentModification`).
 */
export const LeaveErrorCode = {
  NOT_FOUND: 'LEAVE_NOT_FOUND',
  INVALID_PERIOD: 'LEAVE_INVALID_PERIOD',
  PERIOD_IN_PAST: 'LEAVE_PERIOD_IN_PAST',
  REASON_REQUIRED: 'LEAVE_REASON_REQUIRED',
  INVALID_PHONE: 'LEAVE_INVALID_PHONE',
  APPLICANT_NOT_FOUND: 'LEAVE_APPLICANT_NOT_FOUND',
  APPLICANT_INACTIVE: 'LEAVE_APPLICANT_INACTIVE',
  APPLICATION_FINAL: 'LEAVE_APPLICATION_FINAL',
  VOICE_MESSAGE_REQUIRED: 'LEAVE_VOICE_MESSAGE_REQUIRED',
  REJECTION_REASON_REQUIRED: 'LEAVE_REJECTION_REASON_REQUIRED',
  DOCUMENT_NOT_FOUND: 'LEAVE_DOCUMENT_NOT_FOUND',
  TOO_MANY_DOCUMENTS: 'LEAVE_TOO_MANY_DOCUMENTS',
  DEPENDENCY_UNAVAILABLE: 'LEAVE_DEPENDENCY_UNAVAILABLE',
  DOCUMENT_TOO_LARGE: 'LEAVE_DOCUMENT_TOO_LARGE',
  DOCUMENT_EMPTY: 'LEAVE_DOCUMENT_EMPTY',
  DOCUMENT_TYPE_NOT_ALLOWED: 'LEAVE_DOCUMENT_TYPE_NOT_ALLOWED',
  DOCUMENT_UNREADABLE: 'LEAVE_DOCUMENT_UNREADABLE',
  VOICE_MESSAGE_TOO_LONG: 'LEAVE_VOICE_MESSAGE_TOO_LONG',
  UPLOAD_LINK_INVALID: 'LEAVE_UPLOAD_LINK_INVALID',
  FILE_LINK_INVALID: 'LEAVE_FILE_LINK_INVALID',
  FILE_NOT_FOUND: 'LEAVE_FILE_NOT_FOUND',
} as const;
export type LeaveErrorCode = (typeof LeaveErrorCode)[keyof typeof LeaveErrorCode];

export const applicationNotFound = (applicationId: string): DomainError =>
  notFound('The leave application does not exist', { applicationId }, LeaveErrorCode.NOT_FOUND);

/** A decided or withdrawn application never changes again. */
export const applicationFinal = (applicationId: string, status: string): DomainError =>
  conflict(`The application is ${status.toLowerCase()} and can no longer change`, { applicationId, status }, LeaveErrorCode.APPLICATION_FINAL);

export const documentNotFound = (applicationId: string, documentId: string): DomainError =>
  notFound('The document is not attached to this application', { applicationId, documentId }, LeaveErrorCode.DOCUMENT_NOT_FOUND);

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
  unavailable(`The ${dependency} service is unavailable; try again shortly`, { dependency, ...details }, LeaveErrorCode.DEPENDENCY_UNAVAILABLE);

export const ruleViolation = (code: LeaveErrorCode, message: string, details: ErrorDetails = {}): DomainError =>
  validationError(message, details, code);
