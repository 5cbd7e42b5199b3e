import { LeaveErrors } from '../../src/domain/errors';

// The codes are a public contract (clients switch on them): renaming one breaks them.
describe('LeaveErrors', () => {
  test('keeps every published code', () => {
    expect(Object.values(LeaveErrors.codes)).toEqual([
      'LEAVE_NOT_FOUND',
      'LEAVE_INVALID_PERIOD',
      'LEAVE_PERIOD_IN_PAST',
      'LEAVE_REASON_REQUIRED',
      'LEAVE_INVALID_PHONE',
      'LEAVE_APPLICANT_NOT_FOUND',
      'LEAVE_APPLICANT_INACTIVE',
      'LEAVE_APPLICATION_FINAL',
      'LEAVE_VOICE_MESSAGE_REQUIRED',
      'LEAVE_REJECTION_REASON_REQUIRED',
      'LEAVE_DOCUMENT_NOT_FOUND',
      'LEAVE_TOO_MANY_DOCUMENTS',
      'LEAVE_DEPENDENCY_UNAVAILABLE',
      'LEAVE_DOCUMENT_TOO_LARGE',
      'LEAVE_DOCUMENT_EMPTY',
      'LEAVE_DOCUMENT_TYPE_NOT_ALLOWED',
      'LEAVE_DOCUMENT_UNREADABLE',
      'LEAVE_VOICE_MESSAGE_TOO_LONG',
      'LEAVE_UPLOAD_LINK_INVALID',
      'LEAVE_FILE_LINK_INVALID',
      'LEAVE_FILE_NOT_FOUND',
      'LEAVE_PERIOD_TOO_LONG',
      'LEAVE_PERIOD_TOO_FAR',
      'LEAVE_TOO_MANY_PENDING',
      'LEAVE_NOT_WITHDRAWN_BY_CHECKOUT',
      'LEAVE_PERIOD_PASSED',
    ]);
  });

  test('answers each code with the status of its kind (a too-large document is 413)', () => {
    const status = Object.fromEntries(LeaveErrors.entries.map((e) => [e.code, e.httpStatus]));
    expect(status).toMatchObject({
      LEAVE_NOT_FOUND: 404,
      LEAVE_INVALID_PERIOD: 400,
      LEAVE_APPLICATION_FINAL: 409,
      LEAVE_DEPENDENCY_UNAVAILABLE: 503,
      LEAVE_DOCUMENT_TOO_LARGE: 413,
      LEAVE_UPLOAD_LINK_INVALID: 403,
      LEAVE_PERIOD_PASSED: 409,
    });
  });
});
