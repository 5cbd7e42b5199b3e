import { status } from '@grpc/grpc-js';
import { defineErrorCodes, sharedErrors } from '../../src/error-catalog';
import {
  DomainError,
  ErrorCodes,
  grpcStatusOf,
  httpStatusOf,
  kindOfGrpcStatus,
  methodNotAllowed,
  tooLarge,
} from '../../src/errors';

describe('the TOO_LARGE and METHOD_NOT_ALLOWED kinds', () => {
  it('answer 413 / 405 over HTTP and RESOURCE_EXHAUSTED / UNIMPLEMENTED over gRPC', () => {
    const large = tooLarge('The file is too large', { maxBytes: 10 });
    expect(large).toMatchObject({ kind: 'TOO_LARGE', code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: 10 } });
    expect(httpStatusOf(large)).toBe(413);
    expect(grpcStatusOf(large)).toBe(status.RESOURCE_EXHAUSTED);
    const method = methodNotAllowed();
    expect(method).toMatchObject({ kind: 'METHOD_NOT_ALLOWED', code: 'METHOD_NOT_ALLOWED' });
    expect(httpStatusOf(method)).toBe(405);
    expect(grpcStatusOf(method)).toBe(status.UNIMPLEMENTED);
  });

  it('are never inferred from a bare gRPC status (a missing method on a dependency is our failure)', () => {
    expect(kindOfGrpcStatus(status.RESOURCE_EXHAUSTED)).toBe('TOO_MANY_REQUESTS');
    expect(kindOfGrpcStatus(status.UNIMPLEMENTED)).toBe('INTERNAL');
  });
});

describe('defineErrorCodes', () => {
  const leaveErrors = defineErrorCodes('LEAVE', {
    NOT_FOUND: { kind: 'NOT_FOUND', description: 'No leave application with this id.' },
    DOCUMENT_TOO_LARGE: { kind: 'TOO_LARGE', description: 'The document is over the size limit.' },
  });

  it('prefixes every code, typed as the literal', () => {
    const code: 'LEAVE_NOT_FOUND' = leaveErrors.codes.NOT_FOUND;
    expect(code).toBe('LEAVE_NOT_FOUND');
    expect(leaveErrors.codes).toEqual({ NOT_FOUND: 'LEAVE_NOT_FOUND', DOCUMENT_TOO_LARGE: 'LEAVE_DOCUMENT_TOO_LARGE' });
    expect(leaveErrors.prefix).toBe('LEAVE');
  });

  it('lists entries with their transport statuses, for the docs', () => {
    expect(leaveErrors.entries).toEqual([
      {
        code: 'LEAVE_NOT_FOUND',
        kind: 'NOT_FOUND',
        description: 'No leave application with this id.',
        httpStatus: 404,
        grpcStatus: 'NOT_FOUND',
      },
      {
        code: 'LEAVE_DOCUMENT_TOO_LARGE',
        kind: 'TOO_LARGE',
        description: 'The document is over the size limit.',
        httpStatus: 413,
        grpcStatus: 'RESOURCE_EXHAUSTED',
      },
    ]);
  });

  it('builds the DomainError of an entry', () => {
    const error = leaveErrors.error('NOT_FOUND', 'Leave application not found', { id: 'a1' });
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      kind: 'NOT_FOUND',
      code: 'LEAVE_NOT_FOUND',
      message: 'Leave application not found',
      details: { id: 'a1' },
    });
    expect(leaveErrors.error('DOCUMENT_TOO_LARGE', 'Too large').details).toEqual({});
  });

  it('refuses prefixes and names that are not UPPER_SNAKE', () => {
    expect(() => defineErrorCodes('leave', {})).toThrow('prefix');
    expect(() => defineErrorCodes('LEAVE', { notFound: { kind: 'NOT_FOUND', description: '' } })).toThrow('notFound');
  });
});

describe('sharedErrors', () => {
  it('describes, unprefixed, the code of every kind', () => {
    const byCode = new Map(sharedErrors.entries.map((entry) => [entry.code, entry.kind]));
    for (const [kind, code] of Object.entries(ErrorCodes)) expect(byCode.get(code)).toBe(kind);
    expect(sharedErrors.entries).toHaveLength(Object.keys(ErrorCodes).length);
    expect(sharedErrors.codes.PAYLOAD_TOO_LARGE).toBe('PAYLOAD_TOO_LARGE');
    expect(sharedErrors.entries.every((entry) => entry.description.length > 10)).toBe(true);
  });
});
