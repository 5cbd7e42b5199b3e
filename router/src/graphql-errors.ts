import { HeaderMap } from '@apollo/server';
import { formatGraphQLError, httpStatusOf, type DomainError, type Logger } from '@campus/platform';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { requestTraceId } from './trace';

/**
 * A router refusal raised inside the GraphQL pipeline (a plugin): extensions { code, details }, and
 * the HTTP status of its kind, with Retry-After when it says when to retry (as sendError does).
 */
export function toGraphQLError(error: DomainError): GraphQLError {
  const retryAfter = error.details.retryAfterSeconds;
  const headers = new HeaderMap(typeof retryAfter === 'number' ? [['retry-after', String(retryAfter)]] : []);
  return new GraphQLError(error.message, {
    extensions: { code: error.code, details: error.details, http: { status: httpStatusOf(error), headers } },
  });
}

/** graphql-js appends " Did you mean …?" to validation and variable errors; its quoted names never hold "?". */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * The platform's error shaping, plus what the router adds: the request's trace id on every error,
 * and, while introspection is off, no "Did you mean" suggestions (they would leak the schema one
 * name at a time; Apollo strips them from validation errors only, not from variable errors).
 */
export function formatRouterError(logger: Logger, options: { introspection: boolean }) {
  const format = formatGraphQLError(logger);
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const shaped = format(formatted, error);
    const traceId = requestTraceId();
    return {
      ...shaped,
      message: options.introspection ? shaped.message : shaped.message.replace(SUGGESTION, ''),
      extensions: { ...shaped.extensions, ...(traceId ? { traceId } : {}) },
    };
  };
}
