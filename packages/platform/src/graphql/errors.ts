import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError, ErrorCodes, isInternal, isTransientInfrastructureError, toPublicError } from '../errors';
import { currentDatabaseTime } from '../database-time';
import type { Metrics } from '../metrics';

// What every Campus GraphQL error carries in `extensions` (graphql-yoga types its own the same way).
declare module 'graphql' {
  interface GraphQLErrorExtensions {
    /** The stable error code: a DomainError's code, or GraphQL's own (BAD_USER_INPUT, QUERY_TOO_DEEP…). */
    code?: string;
    /** Machine-readable facts about the error, e.g. `fields` for VALIDATION_ERROR. */
    details?: Record<string, unknown>;
  }
}

/**
 * The one place GraphQL errors are shaped: domain errors → extensions { code, details }; GraphQL's
 * own errors (parse, validation, bad variables) keep their code; anything else is INTERNAL_ERROR
 * with no message, stack or SQL, and is logged with the trace id.
 */
export function formatGraphQLError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = {
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
    };
    if (isTransientInfrastructureError(original))
      logger.warn({ err: original }, 'GraphQL resolver refused: service busy');
    if (
      original instanceof DomainError ||
      (original instanceof Error && original.name === 'ZodError') ||
      isTransientInfrastructureError(original)
    ) {
      const pub = toPublicError(original);
      return { message: pub.message, ...base, extensions: { code: pub.code, details: pub.details } };
    }
    const downstream = downstreamSubgraphError(error);
    if (downstream) return { message: downstream.message, ...base, extensions: downstream.extensions };
    const code = ownCodeOfRuleError(original) ?? formatted.extensions?.code;
    if (original instanceof GraphQLError && typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _drop, exception: _drop2, ...extensions } = formatted.extensions ?? {};
      return { message: formatted.message, ...base, extensions: { details: {}, ...extensions, code } };
    }
    if (isInternal(original)) logger.error({ err: original }, 'GraphQL resolver failed');
    return { message: 'Internal server error', ...base, extensions: { code: ErrorCodes.INTERNAL, details: {} } };
  };
}

/**
 * In the router, a subgraph's error arrives already shaped by that subgraph's formatGraphQLError
 * (the gateway copies its extensions and adds `serviceName`): keep its code and details as they are.
 */
function downstreamSubgraphError(
  error: unknown,
): { message: string; extensions: { code: string; details: unknown } } | undefined {
  if (!(error instanceof GraphQLError) || typeof error.extensions.serviceName !== 'string') return undefined;
  const { code, details } = error.extensions;
  if (typeof code !== 'string') return undefined;
  return { message: error.message, extensions: { code, details: details ?? {} } };
}

/**
 * Apollo re-codes every validation error GRAPHQL_VALIDATION_FAILED and keeps the rule's error as
 * originalError; a rule's own code (QUERY_TOO_DEEP, QUERY_TOO_COMPLEX) tells the client more.
 */
function ownCodeOfRuleError(error: unknown): string | undefined {
  const inner = error instanceof GraphQLError ? error.originalError : undefined;
  const code = inner instanceof GraphQLError ? inner.extensions.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function outcomeOf(errors: readonly unknown[] | undefined): string {
  if (!errors?.length) return 'ok';
  const first = unwrapResolverError(errors[0]);
  if (first instanceof DomainError || isTransientInfrastructureError(first)) return toPublicError(first).code;
  const code = errors[0] instanceof GraphQLError ? errors[0].extensions.code : undefined;
  return typeof code === 'string' ? code : ErrorCodes.INTERNAL;
}

/** What is known of an answered GraphQL operation, for its log line and metric sample. */
export interface AnsweredOperation {
  /** The operation's name, or 'anonymous'. */
  operation: string;
  operationType: string | undefined;
  /** The errors as execution raised them (before formatting). */
  errors: readonly unknown[] | undefined;
  seconds: number;
}

/**
 * One log line and one metric sample per GraphQL operation, labelled by name and outcome; in a
 * subgraph, with the SQL statements it ran and their time (database-time.ts).
 */
export function recordOperation(metrics: Metrics, logger: Logger, answered: AnsweredOperation): void {
  const { operation, operationType, seconds } = answered;
  const outcome = outcomeOf(answered.errors);
  metrics.observeRequest('graphql', operation, outcome, seconds);
  const database = currentDatabaseTime();
  if (database) metrics.observeDatabaseTime('graphql', operation, database);
  logger.info(
    {
      operation,
      operationType,
      outcome,
      durationMs: Math.round(seconds * 1000),
      ...(database && {
        dbStatements: database.statements,
        dbMs: tenthsOfMs(database.seconds),
        dbWaitMs: tenthsOfMs(database.waitSeconds),
      }),
    },
    'graphql operation',
  );
}

const tenthsOfMs = (seconds: number) => Math.round(seconds * 10_000) / 10;

/** recordOperation for every operation Apollo Server answers. */
export function operationMetricsPlugin(metrics: Metrics, logger: Logger): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(ctx: GraphQLRequestContextWillSendResponse<object>) {
          recordOperation(metrics, logger, {
            operation: ctx.operationName ?? ctx.operation?.name?.value ?? 'anonymous',
            operationType: ctx.operation?.operation,
            errors: ctx.errors,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
          });
        },
      };
    },
  };
}

/**
 * The codes GraphQL itself gives a document or its variables that do not fit the schema, before any
 * resolver runs (HTTP 400 from the router): no service catalog holds them, so docs/errors.md lists
 * them from here. The message says what was expected; fix the operation, retrying never helps.
 */
export const GRAPHQL_REQUEST_ERRORS: readonly { code: string; description: string }[] = [
  {
    code: 'GRAPHQL_PARSE_FAILED',
    description:
      'The document is not GraphQL (a syntax error), or has more tokens than the router takes (GRAPHQL_MAX_TOKENS, 2000).',
  },
  {
    code: 'GRAPHQL_VALIDATION_FAILED',
    description:
      'The document does not fit the schema: an unknown field or argument, a missing required argument, a wrong literal, or more field selections once fragments are expanded than the router takes (GRAPHQL_MAX_SELECTIONS).',
  },
  {
    code: 'BAD_USER_INPUT',
    description:
      'A value does not fit its type: a misspelled enum value or input field in variables, a Date that is not YYYY-MM-DD (or no such day), a DateTime without an offset. Bounds and rules of valid-typed values are VALIDATION_ERROR.',
  },
  {
    code: 'QUERY_TOO_DEEP',
    description: 'The selection is nested deeper than allowed (details.maxDepth; GRAPHQL_MAX_DEPTH, 12).',
  },
  {
    code: 'QUERY_TOO_COMPLEX',
    description: 'The document uses more aliases than allowed (details.maxAliases; GRAPHQL_MAX_ALIASES, 30).',
  },
];
