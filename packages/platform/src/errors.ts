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
  | 'INTERNAL'
  /** The request (body, file, batch) is larger than accepted; retrying it as it is never helps. */
  | 'TOO_LARGE'
  /** The HTTP method is not served on this path. */
  | 'METHOD_NOT_ALLOWED'
  /** A proxy could not reach the service behind it (HTTP 502); retrying later may help. */
  | 'BAD_GATEWAY';

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
  TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  BAD_GATEWAY: 'BAD_GATEWAY',
} as const satisfies Record<ErrorKind, string>;

/** Whether `value` names an error kind (e.g. one read back from gRPC trailers). */
export const isErrorKind = (value: unknown): value is ErrorKind =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(ErrorCodes, value);

export const validationError = (message: string, details: ErrorDetails = {}, code: string = ErrorCodes.VALIDATION) =>
  new DomainError('VALIDATION', code, message, details);
export const unauthenticated = (
  message = 'Authentication required',
  details: ErrorDetails = {},
  code: string = ErrorCodes.UNAUTHENTICATED,
) => new DomainError('UNAUTHENTICATED', code, message, details);
export const forbidden = (message = 'You are not allowed to do this', details: ErrorDetails = {}) =>
  new DomainError('FORBIDDEN', ErrorCodes.FORBIDDEN, message, details);
export const notFound = (message: string, details: ErrorDetails = {}, code: string = ErrorCodes.NOT_FOUND) =>
  new DomainError('NOT_FOUND', code, message, details);
export const conflict = (message: string, details: ErrorDetails = {}, code: string = ErrorCodes.CONFLICT) =>
  new DomainError('CONFLICT', code, message, details);
export const unavailable = (message: string, details: ErrorDetails = {}, code: string = ErrorCodes.UNAVAILABLE) =>
  new DomainError('UNAVAILABLE', code, message, details);
export const tooLarge = (message: string, details: ErrorDetails = {}, code: string = ErrorCodes.TOO_LARGE) =>
  new DomainError('TOO_LARGE', code, message, details);
export const methodNotAllowed = (
  message = 'This method is not allowed here',
  details: ErrorDetails = {},
  code: string = ErrorCodes.METHOD_NOT_ALLOWED,
) => new DomainError('METHOD_NOT_ALLOWED', code, message, details);

/** Turns a zod failure into VALIDATION_ERROR with per-field messages in details.fields. */
export function fromZodError(error: ZodError, message = 'Invalid input'): DomainError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message;
  }
  return validationError(message, { fields });
}

/**
 * PostgreSQL SQLSTATEs that mean "busy or briefly unreachable, the same call may succeed later":
 * connection failures (08…), too many connections, statement timeout / cancel, shutdown, lock
 * timeout, serialization failure, deadlock and a session ended for idling in a transaction.
 */
const TRANSIENT_SQLSTATE = /^(08...|53300|57014|57P0[1-3]|55P03|40001|40P01|25P03)$/;
/** Prisma codes for the same: pool timeout, interactive transaction expired, server unreachable/closed. */
const TRANSIENT_PRISMA = new Set(['P1001', 'P1002', 'P1017', 'P2024', 'P2028', 'P2034']);
/** Messages of node-postgres's pool and socket when no connection could be had in time. */
const TRANSIENT_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|connection timeout|ECONNREFUSED|ECONNRESET/i;

/**
 * True when `error` (or anything in its cause chain, including a Prisma driver-adapter error) says
 * the database was busy or briefly unreachable rather than that the request was wrong.
 */
export function isTransientInfrastructureError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
    originalCode?: unknown;
  };
  for (const code of [e.code, e.originalCode]) {
    if (typeof code === 'string' && (TRANSIENT_SQLSTATE.test(code) || TRANSIENT_PRISMA.has(code))) return true;
  }
  if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return true;
  return (
    isTransientInfrastructureError(e.cause, depth + 1) ||
    isTransientInfrastructureError(e.meta?.driverAdapterError, depth + 1)
  );
}

/** Seconds a client is asked to wait before retrying a call refused as busy. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/** The answer to a call the service could not serve in time because it is busy: retryable. */
export const serviceBusy = () =>
  unavailable('The service is busy; retry the request shortly', {
    retryable: true,
    retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
  });

/**
 * What a client may see of any thrown value. A busy or briefly unreachable database becomes the
 * retryable UNAVAILABLE; other unknown errors become INTERNAL_ERROR, with no internals.
 */
export function toPublicError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof ZodError) return fromZodError(error);
  if (isTransientInfrastructureError(error)) return serviceBusy();
  return new DomainError('INTERNAL', ErrorCodes.INTERNAL, 'Internal server error');
}

/** An unexpected failure (a bug): logged with its stack, answered as INTERNAL_ERROR. */
export const isInternal = (error: unknown): boolean =>
  !(error instanceof DomainError) && !(error instanceof ZodError) && !isTransientInfrastructureError(error);

const HTTP_STATUS: Record<ErrorKind, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  TOO_LARGE: 413,
  METHOD_NOT_ALLOWED: 405,
  BAD_GATEWAY: 502,
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
  // What gRPC itself answers for a message over the size limit. The kind also travels in the
  // trailers, so a client restores TOO_LARGE, not the TOO_MANY_REQUESTS this status maps back to.
  TOO_LARGE: GrpcStatus.RESOURCE_EXHAUSTED,
  METHOD_NOT_ALLOWED: GrpcStatus.UNIMPLEMENTED,
  BAD_GATEWAY: GrpcStatus.UNAVAILABLE,
};

export const grpcStatusOf = (error: DomainError): GrpcStatus => GRPC_STATUS[error.kind];

/**
 * Inverse mapping, for a gRPC failure that carried no kind of its own (a transport failure, or a
 * server without these trailers). UNIMPLEMENTED stays INTERNAL: a dependency missing a method is
 * our fault, not the caller's.
 */
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
