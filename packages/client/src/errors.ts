/**
 * A refusal of the graph, as the router says it: GraphQL's extensions { code, details, traceId }
 * or a plain HTTP route's {"error_code","message","details"}. The codes are listed in docs/errors.md.
 */
export class CampusError extends Error {
  override name = 'CampusError';

  constructor(
    /** The stable code, e.g. UNAUTHENTICATED, LEAVE_APPLICATION_FINAL, PERSISTED_QUERY_NOT_ALLOWED. */
    readonly code: string,
    message: string,
    /** The HTTP status of the answer. */
    readonly status: number,
    readonly details: Record<string, unknown> = {},
    /** The request's trace id (quote it when reporting a problem). */
    readonly traceId?: string,
    /** Where in the result a GraphQL error happened. */
    readonly path?: ReadonlyArray<string | number>,
  ) {
    super(message);
  }
}

export interface GraphQLErrorShape {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: unknown; details?: unknown; traceId?: unknown; [key: string]: unknown };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function fromGraphQLError(error: GraphQLErrorShape, status: number): CampusError {
  const { code, details, traceId } = error.extensions ?? {};
  return new CampusError(
    typeof code === 'string' ? code : 'INTERNAL_ERROR',
    error.message,
    status,
    isRecord(details) ? details : {},
    typeof traceId === 'string' ? traceId : undefined,
    error.path,
  );
}

/** The error of a plain HTTP answer (uploads, the notification stream); any body that is not ours becomes HTTP_<status>. */
export function fromHttpErrorBody(body: unknown, status: number, traceId?: string): CampusError {
  if (isRecord(body) && typeof body.error_code === 'string') {
    return new CampusError(
      body.error_code,
      typeof body.message === 'string' ? body.message : body.error_code,
      status,
      isRecord(body.details) ? body.details : {},
      traceId,
    );
  }
  return new CampusError(`HTTP_${status}`, `The router answered ${status}`, status, {}, traceId);
}
