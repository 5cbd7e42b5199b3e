import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import fs from 'node:fs';
import path from 'node:path';
import {
  GraphQLError,
  type GraphQLFormattedError,
  type ValidationRule,
  Kind,
  type ASTNode,
  type DocumentNode,
  parse,
} from 'graphql';
import type { Logger } from 'pino';
import { DomainError, ErrorCodes, isInternal, isTransientInfrastructureError, toPublicError } from './errors';
import type { Metrics } from './metrics';

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
 * Apollo re-codes every validation error GRAPHQL_VALIDATION_FAILED and keeps the rule's error as
 * originalError; a rule's own code (QUERY_TOO_DEEP, QUERY_TOO_COMPLEX) tells the client more.
 */
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

function ownCodeOfRuleError(error: unknown): string | undefined {
  const inner = error instanceof GraphQLError ? error.originalError : undefined;
  const code = inner instanceof GraphQLError ? inner.extensions.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function outcomeOf(ctx: GraphQLRequestContextWillSendResponse<object>): string {
  const errors = ctx.errors ?? [];
  if (!errors.length) return 'ok';
  const first = unwrapResolverError(errors[0]);
  if (first instanceof DomainError || isTransientInfrastructureError(first)) return toPublicError(first).code;
  const code = errors[0]?.extensions?.code;
  return typeof code === 'string' ? code : ErrorCodes.INTERNAL;
}

/** One log line and one metric sample per GraphQL operation, labelled by name and outcome. */
export function operationMetricsPlugin(metrics: Metrics, logger: Logger): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(ctx) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const operation = ctx.operationName ?? ctx.operation?.name?.value ?? 'anonymous';
          const outcome = outcomeOf(ctx);
          metrics.observeRequest('graphql', operation, outcome, seconds);
          logger.info(
            { operation, operationType: ctx.operation?.operation, outcome, durationMs: Math.round(seconds * 1000) },
            'graphql operation',
          );
        },
      };
    },
  };
}

/** Refuses documents nested deeper than `maxDepth` (fragments followed). */
export function depthLimit(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d] as const),
    );
    const depthOf = (node: ASTNode, depth: number, seen: Set<string>): number => {
      if (depth > maxDepth) return depth;
      if (node.kind === Kind.FIELD) {
        if (!node.selectionSet) return depth;
        return Math.max(depth, ...node.selectionSet.selections.map((s) => depthOf(s, depth + 1, seen)));
      }
      if (node.kind === Kind.INLINE_FRAGMENT) {
        return Math.max(depth, ...node.selectionSet.selections.map((s) => depthOf(s, depth, seen)));
      }
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(node.name.value);
        if (!fragment || seen.has(node.name.value)) return depth;
        const next = new Set(seen).add(node.name.value);
        return Math.max(depth, ...fragment.selectionSet.selections.map((s) => depthOf(s, depth, next)));
      }
      return depth;
    };
    return {
      OperationDefinition(operation) {
        const depth = Math.max(0, ...operation.selectionSet.selections.map((s) => depthOf(s, 1, new Set())));
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`The query is nested ${depth} levels deep; at most ${maxDepth} are allowed`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP', details: { maxDepth } },
            }),
          );
        }
      },
    };
  };
}

/** Refuses documents with more than `maxAliases` aliased fields (alias-based batching attacks). */
export function aliasLimit(maxAliases: number): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: {
        leave(node) {
          if (aliases > maxAliases) {
            context.reportError(
              new GraphQLError(`The query uses ${aliases} aliases; at most ${maxAliases} are allowed`, {
                nodes: [node],
                extensions: { code: 'QUERY_TOO_COMPLEX', details: { maxAliases } },
              }),
            );
          }
        },
      },
    };
  };
}

/**
 * Reads a subgraph's SDL: `src/api/graphql/schema.graphql`, the very file supergraph.yaml composes.
 * Pass `__dirname` of the module beside it; compiled code (dist/…, which tsc does not copy .graphql
 * files to) reads the package's src/ copy.
 */
export function loadSchemaFile(dir: string, file = 'schema.graphql'): DocumentNode {
  const candidates = [path.join(dir, file), path.join(dir.replace(/([\\/])dist(?=[\\/]|$)/, '$1src'), file)];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`${file} not found (looked in ${candidates.join(', ')})`);
  return parse(fs.readFileSync(found, 'utf8'));
}
