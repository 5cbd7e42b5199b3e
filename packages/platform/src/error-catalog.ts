import { status as GrpcStatus } from '@grpc/grpc-js';
import { DomainError, grpcStatusOf, httpStatusOf, type ErrorDetails, type ErrorKind } from './errors';

/**
 * Error-code catalogs: every stable code a service can answer, defined once with its kind and a
 * description, so that errors are built from the catalog and the docs are printed from it.
 *
 *   export const leaveErrors = defineErrorCodes('LEAVE', {
 *     NOT_FOUND: { kind: 'NOT_FOUND', description: 'No leave application with this id.' },
 *   });
 *   leaveErrors.codes.NOT_FOUND                          // 'LEAVE_NOT_FOUND'
 *   throw leaveErrors.error('NOT_FOUND', 'Leave application not found', { id });
 */

export interface ErrorCodeSpec {
  kind: ErrorKind;
  /** When a client gets this code, in one or two sentences (printed in the error docs). */
  description: string;
}

/** The stable code of `name` in a catalog with `prefix` ('' for the shared, unprefixed codes). */
export type PrefixedCode<P extends string, K extends string> = P extends '' ? K : `${P}_${K}`;

/** One row of the error docs. */
export interface ErrorCatalogEntry {
  code: string;
  kind: ErrorKind;
  description: string;
  httpStatus: number;
  /** The gRPC status name, e.g. "NOT_FOUND". */
  grpcStatus: string;
}

export interface ErrorCatalog<P extends string, S extends Record<string, ErrorCodeSpec>> {
  readonly prefix: P;
  readonly codes: { readonly [K in keyof S & string]: PrefixedCode<P, K> };
  /** Every code with its transport statuses, in definition order. */
  readonly entries: readonly ErrorCatalogEntry[];
  /** The DomainError of entry `name`: its kind and code, this message and details. */
  error(name: keyof S & string, message: string, details?: ErrorDetails): DomainError;
}

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

export function defineErrorCodes<const P extends string, S extends Record<string, ErrorCodeSpec>>(
  prefix: P,
  specs: S,
): ErrorCatalog<P, S> {
  if (prefix !== '' && !UPPER_SNAKE.test(prefix)) throw new Error(`error code prefix "${prefix}" is not UPPER_SNAKE`);
  const codes: Record<string, string> = {};
  const entries: ErrorCatalogEntry[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    if (!UPPER_SNAKE.test(name)) throw new Error(`error code name "${name}" is not UPPER_SNAKE`);
    const code = prefix ? `${prefix}_${name}` : name;
    const sample = new DomainError(spec.kind, code, spec.description);
    codes[name] = code;
    entries.push({
      code,
      kind: spec.kind,
      description: spec.description,
      httpStatus: httpStatusOf(sample),
      grpcStatus: GrpcStatus[grpcStatusOf(sample)],
    });
  }
  const frozenCodes = Object.freeze(codes) as ErrorCatalog<P, S>['codes'];
  return {
    prefix,
    codes: frozenCodes,
    entries: Object.freeze(entries),
    error(name, message, details = {}) {
      const spec = specs[name];
      if (!spec) throw new Error(`no error code "${name}" in the ${prefix || 'shared'} catalog`);
      return new DomainError(spec.kind, codes[name]!, message, details);
    },
  };
}

/** The shared, unprefixed codes: one per kind (ErrorCodes), answered by every process. */
export const sharedErrors = defineErrorCodes('', {
  VALIDATION_ERROR: {
    kind: 'VALIDATION',
    description: 'The input is malformed or out of bounds; details.fields names each offending field.',
  },
  UNAUTHENTICATED: {
    kind: 'UNAUTHENTICATED',
    description: 'No valid access token: missing, malformed, expired (details.reason says which) or not ours.',
  },
  FORBIDDEN: { kind: 'FORBIDDEN', description: 'The caller is signed in but their role or scope does not allow this.' },
  NOT_FOUND: {
    kind: 'NOT_FOUND',
    description: 'The requested thing does not exist (or the caller may not know it does).',
  },
  CONFLICT: { kind: 'CONFLICT', description: 'The request clashes with the current state; re-read and decide again.' },
  TOO_MANY_REQUESTS: {
    kind: 'TOO_MANY_REQUESTS',
    description: 'Too many requests or attempts; wait (details.retryAfterSeconds when known) before retrying.',
  },
  UNAVAILABLE: {
    kind: 'UNAVAILABLE',
    description:
      'The service or one of its dependencies is busy or down; retry shortly (details.retryAfterSeconds when known).',
  },
  INTERNAL_ERROR: {
    kind: 'INTERNAL',
    description: 'An unexpected failure on our side; it is logged with the trace id, and no internals are shown.',
  },
  PAYLOAD_TOO_LARGE: { kind: 'TOO_LARGE', description: 'The request body or file is larger than accepted.' },
  METHOD_NOT_ALLOWED: { kind: 'METHOD_NOT_ALLOWED', description: 'This HTTP method is not served on this path.' },
  BAD_GATEWAY: { kind: 'BAD_GATEWAY', description: 'A proxy could not reach the service behind it; try again later.' },
});
