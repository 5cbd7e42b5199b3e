import { status } from '@grpc/grpc-js';
import { z } from 'zod';
import {
  DomainError,
  isInternal,
  isTransientInfrastructureError,
  conflict,
  fromZodError,
  grpcStatusOf,
  httpStatusOf,
  kindOfGrpcStatus,
  notFound,
  toHttpErrorBody,
  toPublicError,
  validationError,
} from '../../src/errors';

describe('error model', () => {
  it('keeps a domain error as it is and hides anything else behind INTERNAL_ERROR', () => {
    const error = notFound('Patrol not found', { id: 'p1' }, 'PATROL_NOT_FOUND');
    expect(toPublicError(error)).toBe(error);
    const hidden = toPublicError(new Error('relation "users" does not exist at character 15'));
    expect(hidden).toMatchObject({ code: 'INTERNAL_ERROR', message: 'Internal server error', details: {} });
  });

  it('turns zod failures into VALIDATION_ERROR with one message per field', () => {
    const parsed = z.object({ email: z.email(), age: z.number().min(18) }).safeParse({ email: 'x', age: 3 });
    const error = fromZodError(parsed.error!);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(Object.keys(error.details.fields as object).sort()).toEqual(['age', 'email']);
  });

  it('maps kinds to HTTP and gRPC statuses and back', () => {
    expect(httpStatusOf(validationError('bad'))).toBe(400);
    expect(httpStatusOf(conflict('taken'))).toBe(409);
    expect(grpcStatusOf(validationError('bad'))).toBe(status.INVALID_ARGUMENT);
    expect(grpcStatusOf(conflict('taken'))).toBe(status.FAILED_PRECONDITION);
    expect(grpcStatusOf(new DomainError('FORBIDDEN', 'FORBIDDEN', 'no'))).toBe(status.PERMISSION_DENIED);
    expect(kindOfGrpcStatus(status.ALREADY_EXISTS)).toBe('CONFLICT');
    expect(kindOfGrpcStatus(status.DEADLINE_EXCEEDED)).toBe('UNAVAILABLE');
    expect(kindOfGrpcStatus(status.NOT_FOUND)).toBe('NOT_FOUND');
    expect(kindOfGrpcStatus(status.DATA_LOSS)).toBe('INTERNAL');
  });

  it('renders the plain HTTP error body', () => {
    expect(toHttpErrorBody(validationError('bad', { fields: { a: 'x' } }))).toEqual({
      error_code: 'VALIDATION_ERROR',
      message: 'bad',
      details: { fields: { a: 'x' } },
    });
  });

  it('answers a busy or briefly unreachable database as the retryable UNAVAILABLE, anything else as INTERNAL_ERROR', () => {
    const poolTimeout = new Error('timeout exceeded when trying to connect');
    const statementTimeout = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    const prismaPool = Object.assign(new Error('Timed out fetching a new connection'), { code: 'P2024' });
    const viaAdapter = Object.assign(new Error('Raw query failed'), {
      code: 'P2010',
      meta: { driverAdapterError: { cause: { originalCode: '40P01' } } },
    });
    const wrapped = new Error('query failed', { cause: poolTimeout });
    for (const error of [poolTimeout, statementTimeout, prismaPool, viaAdapter, wrapped]) {
      expect(isTransientInfrastructureError(error)).toBe(true);
      expect(isInternal(error)).toBe(false);
      expect(toPublicError(error)).toMatchObject({
        kind: 'UNAVAILABLE',
        code: 'UNAVAILABLE',
        details: { retryable: true, retryAfterSeconds: 1 },
      });
    }
    const bug = Object.assign(new Error('null value in column'), { code: '23502' });
    expect(isTransientInfrastructureError(bug)).toBe(false);
    expect(toPublicError(bug).code).toBe('INTERNAL_ERROR');
  });
});
