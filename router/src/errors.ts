import { defineErrorCodes, sharedErrors } from '@campus/platform';

/**
 * The router's own answers on plain HTTP routes (GraphQL errors come from the subgraphs' catalogs).
 * Codes without a prefix are the shared ones; the proxy adds one of its own.
 */
export const RouterErrors = defineErrorCodes('UPSTREAM', {
  UNAVAILABLE: {
    kind: 'BAD_GATEWAY',
    description:
      'The router could not reach the service behind a proxied route (uploads, downloads, streams); retry later.',
  },
});

export const routerErrors = {
  noSuchRoute: () => sharedErrors.error('NOT_FOUND', 'No such route'),
  noSuchAsset: () => sharedErrors.error('NOT_FOUND', 'No such playground asset'),
  invalidPath: () => sharedErrors.error('VALIDATION_ERROR', 'The path is not valid'),
  methodNotAllowed: (method: string) => sharedErrors.error('METHOD_NOT_ALLOWED', `${method} is not allowed here`),
  upstreamUnavailable: () => RouterErrors.error('UNAVAILABLE', 'The upstream service is unavailable'),
};
