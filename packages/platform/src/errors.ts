import { status as GrpcStatus } from '@grpc/grpc-js';
import { ZodError } from 'zod';

/**
 * The kind of a failure decides how every transport reports it (HTTP status, gRPC status, GraphQL
 * code family). Services throw DomainError with their own stable code (e.g. PATROL_NOT_FOUND).
 */
export type ErrorKind =
  | 'VALIDATION'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export type ErrorDetails = Record<string, unknown>;

export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: ErrorDetails;

  constructor(kind: ErrorKind, code: string, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'DomainError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export const ErrorCodes = {
  VALIDATION: 'VALIDATION_ERROR',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL_ERROR',
} as const satisfies Record<ErrorKind, string>;

export const validationError = (message: string, details: ErrorDetails = {}, code: string = ErrorCodes.VALIDATION) =>
  new DomainError('VALIDATION', code, message, details);
export const unauthenticated = (message = 'Authentication required', details: ErrorDetails = {}, code: string = ErrorCodes.UNAUTHENTICATED) =>
  new DomainError('UNAUTHENTICATED', code, message, details);
export const forbidden = (message = 'You are not allowed to do this', details: ErrorDetails = {}) =>
  new DomainError('FORBIDDEN', ErrorCodes.FORBIDDEN, message, details);
export const notFound = (message: string, details: ErrorDetails = {}, code: string = ErrorCodes.NOT_FOUND) =>
  new DomainError('NOT_FOUND', code, message, details);
export const conflict = (message: string, details: ErrorDetails = {}, code: string = ErrorCodes.CONFLICT) =>
  new DomainError('CONFLICT', code, message, details);
export const unavailable = (message: string, details: ErrorDetails = {}, code: string = ErrorCodes.UNAVAILABLE) =>
  new DomainError('UNAVAILABLE', code, message, details);

/** Turns a zod failure into VALIDATION_ERROR with per-field messages in details.fields. */
export function fromZodError(error: ZodError, message = 'Invalid input'): DomainError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message;
  }
  return validationError(message, { fields });
}

/** What a client may see of any thrown value. Unknown errors become INTERNAL_ERROR, no internals. */
export function toPublicError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof ZodError) return fromZodError(error);
  return new DomainError('INTERNAL', ErrorCodes.INTERNAL, 'Internal server error');
}

export const isInternal = (error: unknown): boolean => !(error instanceof DomainError) && !(error instanceof ZodError);

const HTTP_STATUS: Record<ErrorKind, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export const httpStatusOf = (error: DomainError): number => HTTP_STATUS[error.kind];

/** The body of a plain HTTP error response: {"error_code","message","details"}. */
export function toHttpErrorBody(error: DomainError): { error_code: string; message: string; details: ErrorDetails } {
  return { error_code: error.code, message: error.message, details: error.details };
}

const GRPC_STATUS: Record<ErrorKind, GrpcStatus> = {
  VALIDATION: GrpcStatus.INVALID_ARGUMENT,
  UNAUTHENTICATED: GrpcStatus.UNAUTHENTICATED,
  FORBIDDEN: GrpcStatus.PERMISSION_DENIED,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  CONFLICT: GrpcStatus.FAILED_PRECONDITION,
  TOO_MANY_REQUESTS: GrpcStatus.RESOURCE_EXHAUSTED,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  INTERNAL: GrpcStatus.INTERNAL,
};

export const grpcStatusOf = (error: DomainError): GrpcStatus => GRPC_STATUS[error.kind];

/** Inverse mapping, for a gRPC failure that carried no domain code of its own. */
export function kindOfGrpcStatus(code: GrpcStatus): ErrorKind {
  switch (code) {
    case GrpcStatus.INVALID_ARGUMENT:
    case GrpcStatus.OUT_OF_RANGE:
      return 'VALIDATION';
    case GrpcStatus.UNAUTHENTICATED:
      return 'UNAUTHENTICATED';
    case GrpcStatus.PERMISSION_DENIED:
      return 'FORBIDDEN';
    case GrpcStatus.NOT_FOUND:
      return 'NOT_FOUND';
    case GrpcStatus.ALREADY_EXISTS:
    case GrpcStatus.FAILED_PRECONDITION:
    case GrpcStatus.ABORTED:
      return 'CONFLICT';
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return 'TOO_MANY_REQUESTS';
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.DEADLINE_EXCEEDED:
      return 'UNAVAILABLE';
    default:
      return 'INTERNAL';
  }
}
