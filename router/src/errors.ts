import { defineErrorCodes, sharedErrors } from '@campus/platform';

/**
 * The router's own codes, answered before (or instead of) any subgraph call: on plain HTTP routes
 * as {"error_code","message","details"}, in GraphQL as extensions.code. Every other GraphQL code
 * comes from the subgraphs' catalogs or the shared one.
 */
export const RouterErrors = defineErrorCodes('', {
  UPSTREAM_UNAVAILABLE: {
    kind: 'BAD_GATEWAY',
    description:
      'The router could not reach the service behind a proxied route (uploads, downloads, streams); retry later.',
  },
  RATE_LIMITED: {
    kind: 'TOO_MANY_REQUESTS',
    description:
      'Too many requests (details.limit "requests") or sign-in attempts (details.limit "login") from this client; retry after details.retryAfterSeconds (also the Retry-After header).',
  },
  OVERLOADED: {
    kind: 'UNAVAILABLE',
    description:
      'The service named in details.service already has as many requests in flight as the router lets through; nothing was sent to it. Retryable: retry after details.retryAfterSeconds (also the Retry-After header when the whole operation was refused).',
  },
  OPERATION_NOT_FOUND: {
    kind: 'VALIDATION',
    description:
      'The document has no operation of the given operationName, or has several and no operationName says which.',
  },
  PERSISTED_QUERY_NOT_ALLOWED: {
    kind: 'VALIDATION',
    description:
      'This router runs only trusted documents (ONLY_PERSISTED_OPERATIONS): send an operation of packages/client by its id (documentId "sha256:…", from persisted-operations.json). details.documentId: the id sent, if any.',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    kind: 'NOT_FOUND',
    description:
      'No trusted document has this documentId (details.documentId): send the operation in full (query). Apollo answers an unknown APQ hash with the same code (HTTP 200): resend with the query.',
  },
  SUBSCRIPTIONS_NOT_SUPPORTED: {
    kind: 'VALIDATION',
    description: 'GraphQL subscriptions are not served; live updates come from the server-sent event streams.',
  },
});

/** The limits a client can run into (the `limit` of RATE_LIMITED). */
export type RateLimitName = 'requests' | 'login';

export const routerErrors = {
  noSuchRoute: () => sharedErrors.error('NOT_FOUND', 'No such route'),
  noSuchAsset: () => sharedErrors.error('NOT_FOUND', 'No such playground asset'),
  invalidPath: () => sharedErrors.error('VALIDATION_ERROR', 'The path is not valid'),
  methodNotAllowed: (method: string) => sharedErrors.error('METHOD_NOT_ALLOWED', `${method} is not allowed here`),
  originNotAllowed: (origin: string) =>
    sharedErrors.error('FORBIDDEN', 'This origin may not call the router from a browser', { origin }),
  upstreamUnavailable: () => RouterErrors.error('UPSTREAM_UNAVAILABLE', 'The upstream service is unavailable'),
  rateLimited: (limit: RateLimitName, retryAfterSeconds: number) =>
    RouterErrors.error(
      'RATE_LIMITED',
      limit === 'login' ? 'Too many sign-in attempts; try again later' : 'Too many requests; slow down',
      { limit, retryAfterSeconds },
    ),
  overloaded: (service: string, retryAfterSeconds: number) =>
    RouterErrors.error('OVERLOADED', `The ${service} service is busy; retry in ${retryAfterSeconds} s`, {
      service,
      retryable: true,
      retryAfterSeconds,
    }),
  operationNotFound: (operationName: string | null) =>
    RouterErrors.error(
      'OPERATION_NOT_FOUND',
      operationName === null
        ? 'The document has several operations: send operationName to say which one to run'
        : `The document has no operation named "${operationName}"`,
      { operationName },
    ),
  persistedQueryNotAllowed: (documentId: string | null) =>
    RouterErrors.error(
      'PERSISTED_QUERY_NOT_ALLOWED',
      documentId === null
        ? 'Only trusted documents run here: send a documentId of the generated client instead of a query'
        : 'No trusted document has this id, and only trusted documents run here',
      { documentId },
    ),
  persistedQueryNotFound: (documentId: string) =>
    RouterErrors.error('PERSISTED_QUERY_NOT_FOUND', 'No trusted document has this id: send the query in full', {
      documentId,
    }),
  invalidDocumentId: () =>
    sharedErrors.error(
      'VALIDATION_ERROR',
      'documentId must be a string, sent without query or extensions.persistedQuery',
      { field: 'documentId' },
    ),
  invalidPersistedQuery: (problem: string) =>
    sharedErrors.error('VALIDATION_ERROR', problem, { field: 'extensions.persistedQuery' }),
  subscriptionsNotSupported: () =>
    RouterErrors.error('SUBSCRIPTIONS_NOT_SUPPORTED', 'Subscriptions are not supported; use the event streams'),
};
