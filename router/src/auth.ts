import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  DomainError,
  ErrorCodes,
  authenticate,
  bearerToken,
  unavailable,
  type AuthContext,
  type Logger,
  type Metrics,
  type TokenVerifier,
} from '@campus/platform';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { addressKey, clientKey } from './client';
import { CLIENT_ADDRESS_HEADER, FORWARDED_HEADERS, type RouterContext } from './context';
import { rootFieldNames } from './document';

/**
 * Edge authentication. A request's bearer token is verified here, before any subgraph is called;
 * subgraphs verify it again (defence in depth) and decide authorization themselves.
 */

/** Root fields an anonymous caller may use: signing in and managing the session. */
export const PUBLIC_ROOT_FIELDS: readonly string[] = ['login', 'refreshSession', 'logout'];
const INTROSPECTION_ROOT_FIELDS: readonly string[] = ['__schema', '__type'];

/** The root fields an anonymous caller selected but may not use (empty: allowed). */
export function fieldsDeniedToAnonymous(fields: readonly string[], introspection: boolean): string[] {
  const allowed = new Set(['__typename', ...PUBLIC_ROOT_FIELDS, ...(introspection ? INTROSPECTION_ROOT_FIELDS : [])]);
  return fields.filter((f) => !allowed.has(f));
}

const authenticationRequired = (fields: string[]) =>
  new GraphQLError('Authentication required: sign in and send "Authorization: Bearer <token>"', {
    extensions: { code: ErrorCodes.UNAUTHENTICATED, details: { fields }, http: { status: 401 } },
  });

/**
 * Refuses an anonymous operation that selects any non-public root field, after the operation is
 * known and before the query plan runs, so no subgraph sees the request.
 */
export function anonymousAccessPlugin(options: { introspection: boolean }): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (contextValue.auth) return;
          if (!operation) throw authenticationRequired([]); // always set by now; fail closed regardless
          const denied = fieldsDeniedToAnonymous(
            rootFieldNames(operation.selectionSet, document),
            options.introspection,
          );
          if (denied.length) throw authenticationRequired(denied);
        },
      };
    },
  };
}

/** Counts and logs requests refused at the edge because of their token (they never reach a resolver). */
export function authFailureLogPlugin(logger: Logger, metrics: Metrics): ApolloServerPlugin<RouterContext> {
  const failures = metrics.counter(
    'campus_router_auth_failures_total',
    'GraphQL requests refused at the edge because of their token, by reason',
    ['reason'],
  );
  return {
    async contextCreationDidFail({ error }) {
      const details = error instanceof GraphQLError ? error.extensions.details : undefined;
      const reason =
        typeof details === 'object' && details !== null && 'reason' in details ? String(details.reason) : 'unavailable';
      failures.inc({ reason });
      logger.info({ reason }, 'request refused at the edge');
    },
  };
}

/** Verifies the caller's token; an unreachable key set is a 503, not the caller's fault. */
async function verifyCaller(
  verifier: TokenVerifier,
  authorization: string | undefined,
  logger: Logger,
): Promise<AuthContext | null> {
  try {
    return await authenticate(verifier, authorization);
  } catch (error) {
    if (error instanceof GraphQLError) throw error; // 401 UNAUTHENTICATED with the reason
    logger.error({ err: error }, 'access tokens cannot be verified (key set unavailable)');
    throw new GraphQLError('Sign-in cannot be checked right now; try again shortly', {
      extensions: { code: ErrorCodes.UNAVAILABLE, details: {}, http: { status: 503 } },
    });
  }
}

const verifiedCallers = new WeakMap<IncomingMessage, Promise<AuthContext | null>>();

/**
 * The request's caller, its token verified once however many steps ask (the rate limits, then the
 * GraphQL context). Rejects as verifyCaller does: 401 for a bad token, 503 for an unreachable key set.
 */
export function verifiedCaller(verifier: TokenVerifier, logger: Logger) {
  return (req: IncomingMessage): Promise<AuthContext | null> => {
    let caller = verifiedCallers.get(req);
    if (!caller) {
      caller = verifyCaller(verifier, req.headers.authorization, logger);
      verifiedCallers.set(req, caller);
    }
    return caller;
  };
}

/**
 * Builds the context of each GraphQL request: the verified caller, whom the rate limits count it
 * against and the headers to forward. `addressOf`: the caller's address (TRUST_PROXY honoured).
 */
export function graphqlContext(
  verifier: TokenVerifier,
  logger: Logger,
  addressOf: (req: IncomingMessage) => string | undefined,
) {
  const callerOf = verifiedCaller(verifier, logger);
  return async (req: IncomingMessage): Promise<RouterContext> => {
    const auth = await callerOf(req);
    const forwardHeaders: Record<string, string> = {};
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name]; // Node joins repeats of these into one string
      if (typeof value === 'string' && value) forwardHeaders[name] = value;
    }
    // The caller's address as the router sees it, never a client-sent header: identity's sign-in
    // throttle counts failures per account and client address.
    const address = addressOf(req);
    forwardHeaders[CLIENT_ADDRESS_HEADER] = addressKey(address ?? 'unknown');
    return { auth, requestId: forwardHeaders['x-request-id'] ?? '', forwardHeaders, client: clientKey(auth, address) };
  };
}

/**
 * For proxied plain HTTP routes: a present bearer token must be valid (401 otherwise); anonymous
 * requests pass, the upstream decides what they may do. Errors reach httpErrorHandler.
 */
export function verifyBearerIfPresent(verifier: TokenVerifier, logger: Logger): RequestHandler {
  return (req, _res, next) => {
    const verify = async () => {
      const token = bearerToken(req.header('authorization'));
      if (!token) return;
      try {
        await verifier.verify(token);
      } catch (error) {
        if (error instanceof DomainError) throw error; // 401 UNAUTHENTICATED
        logger.error({ err: error }, 'access tokens cannot be verified (key set unavailable)');
        throw unavailable('Sign-in cannot be checked right now; try again shortly');
      }
    };
    verify().then(() => next(), next);
  };
}
