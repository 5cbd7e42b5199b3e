import type { IncomingMessage } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import {
  formatErrorsAsApollo,
  recordOperation,
  sha256Hex,
  type DirectAnswer,
  type Logger,
  type Metrics,
} from '@campus/platform';
import {
  GraphQLError,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { LRUCache } from 'lru-cache';
import Negotiator from 'negotiator';
import { fieldsDeniedToAnonymous } from './auth';
import type { RouterContext } from './context';
import { rootFieldNames } from './document';
import { overloadedRetryAfter } from './load-shedding';
import type { PersistedOperations } from './persisted-operations';
import { createPlanExecutor } from './plan-execution';
import { LOGIN_FIELD } from './rate-limits';
import { stringifyResult } from './single-fetch';

/**
 * Queries Apollo Server has already accepted, run again without its request pipeline. Per request
 * that pipeline hashes the query text (its document cache's key), negotiates the Accept header,
 * builds a request context and a gateway context around it and walks eight plugins' hooks: 14–25 %
 * of the router's CPU per 2-subgraph query (docs/performance.md, "Queries without Apollo Server's
 * pipeline").
 *
 * Nothing is decided here that Apollo has not decided first. The first time a query text (with its
 * operationName) comes, Apollo Server answers it: it parses it within the token limit, validates it
 * with every rule (depth, aliases, recursive selections, no introspection), resolves the operation
 * and runs every plugin's didResolveOperation (trusted documents, the operation guard, the
 * anonymous-access and login checks). Only when all of that let it execute does AcceptedQueries'
 * plugin remember the document. From then on `directQueries` takes the same text and does what
 * remains per request: makes the context (a token refused: Apollo answers), repeats the one check
 * that depends on the caller (an anonymous caller's root fields), runs the gateway's executor with
 * the request context Apollo would give it (the same query plan cache key), and answers as Apollo
 * would: its error formatting (formatRouterError), 503 with Retry-After for an operation shedding
 * left without data, the operation's log line and metric.
 *
 * Taken: queries and mutations (not one that signs in: the sign-in limit counts its attempts in a
 * plugin), sent as a JSON POST body of `query` (or a trusted document's `documentId`) with at most
 * `operationName` and `variables`, asking nothing of the schema itself. Not taken, Apollo's:
 * everything else (APQ requests, an Accept of neither JSON type, the gateway's query plan header).
 *
 * The gateway answers without data only when the variables do not coerce (before any subgraph
 * call) or when shaping the result failed. A query then goes to Apollo too, which at most reads
 * again. A mutation never goes to Apollo once a subgraph may have run it: its variables are
 * coerced first (those that do not coerce are Apollo's, before any call), and an answer without
 * data, or an executor that throws, is answered here as Apollo answers it (its status 400 for an
 * answer without data, its sendErrorResponse's 500 for a throw, unless an error sets the status).
 * test/integration/direct-queries.test.ts compares both paths byte for byte, and counts the
 * mutations the subgraph ran.
 */
export interface DirectQueriesOptions {
  /** The queries Apollo has accepted (AcceptedQueries.plugin is one of its plugins). */
  accepted: AcceptedQueries;
  gateway: ApolloGateway;
  apollo: ApolloServer<RouterContext>;
  context: (req: IncomingMessage) => Promise<RouterContext>;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Whether introspection is on (an anonymous caller may then ask `__schema`). */
  introspection: boolean;
  /** The trusted documents, whose ids a request may send instead of a text. */
  manifest?: PersistedOperations;
  /** Joins run in the router's plan executor (plan-execution.ts) rather than the gateway's. */
  planExecution: boolean;
  metrics: Metrics;
  logger: Logger;
}

/** An operation Apollo accepted: what the gateway's executor needs, and its root fields for the anonymous check. */
interface KnownQuery {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** Apollo's queryHash: the gateway's query plan cache key is made from it. */
  queryHash: string;
  rootFields: string[];
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const BODY_FIELDS = new Set(['query', 'documentId', 'operationName', 'variables']);
/** Apollo Server's content types for one result (its MEDIA_TYPES). */
const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
const CALLBACK_TYPE = 'application/json; callbackSpec=1.0; charset=utf-8';
/** Outside production the gateway adds the query plan to an answer whose request asks with this header. */
const QUERY_PLAN_HEADER = 'apollo-query-plan-experimental';
const SCHEMA_FIELDS = new Set(['__schema', '__type']);
type ExecutionResult = Awaited<ReturnType<ApolloGateway['executor']>>;
/** What Apollo Server 4+ puts in a gateway request context's schemaHash (an opaque type of a string). */
const APOLLO_SCHEMA_HASH = 'schemaHash no longer exists since Apollo Server 4' as unknown as Parameters<
  ApolloGateway['executor']
>[0]['schemaHash'];

// The key holds no ambiguity: an operationName is checked against NAME (no newline) before it is used.
const keyOf = (query: string, operationName: string | undefined | null) => `${operationName ?? ''}\n${query}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The queries Apollo Server let execute, by text and operationName, against the schema it served. */
export class AcceptedQueries {
  private readonly known: LRUCache<string, KnownQuery>;
  private served: GraphQLSchema | undefined;

  constructor(
    gateway: ApolloGateway,
    limits: {
      /** Documents remembered (least recently used first out); default 1000. */
      maxDocuments?: number;
      /** Characters of query text remembered in all; default 1 Mi. */
      maxDocumentChars?: number;
    } = {},
  ) {
    this.known = new LRUCache<string, KnownQuery>({
      max: limits.maxDocuments ?? 1000,
      maxSize: limits.maxDocumentChars ?? 1024 * 1024,
      sizeCalculation: (_entry, key) => key.length,
    });
    gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
      this.served = apiSchema;
      this.known.clear(); // accepted against another schema
    });
  }

  /** The API schema Apollo serves (the executor is given it). */
  get schema(): GraphQLSchema | undefined {
    return this.served;
  }

  get(query: string, operationName: string | undefined): KnownQuery | undefined {
    return this.known.get(keyOf(query, operationName));
  }

  /** Remembers each query Apollo lets execute (list it last: every other plugin has had its say). */
  plugin(): ApolloServerPlugin<RouterContext> {
    return {
      requestDidStart: async () => ({
        executionDidStart: async ({ request, document, operation }) => {
          if (
            operation.operation === 'subscription' ||
            request.http?.method !== 'POST' ||
            typeof request.query !== 'string'
          )
            return;
          if (request.operationName != null && !NAME.test(request.operationName)) return;
          const rootFields = rootFieldNames(operation.selectionSet, document);
          if (rootFields.some((field) => SCHEMA_FIELDS.has(field))) return;
          if (operation.operation === 'mutation' && rootFields.includes(LOGIN_FIELD)) return; // counted per request
          const key = keyOf(request.query, request.operationName);
          if (this.known.has(key)) return;
          this.known.set(key, { document, operation, queryHash: sha256Hex(request.query), rootFields });
        },
      }),
    };
  }
}

/** Answers an operation Apollo accepted before, or returns undefined: Apollo's to answer. */
export function directQueries(
  options: DirectQueriesOptions,
): (req: IncomingMessage, body: unknown) => Promise<DirectAnswer | undefined> {
  const { accepted, gateway, apollo } = options;
  const plans = options.planExecution ? createPlanExecutor(gateway, options.logger) : undefined;
  // Clients send few distinct Accept headers (packages/client: "application/graphql-response+json,
  // application/json"); each is negotiated once.
  const contentTypes = new LRUCache<string, { type: string | null }>({ max: 100 });
  /** Apollo Server's chooseContentTypeForSingleResultResponse; null: not a JSON answer, Apollo's. */
  const contentTypeFor = (accept: string | undefined): string | null => {
    if (!accept) return JSON_TYPE;
    let known = contentTypes.get(accept);
    if (!known) {
      const preferred = new Negotiator({ headers: { accept } }).mediaType([
        JSON_TYPE,
        GRAPHQL_RESPONSE_TYPE,
        CALLBACK_TYPE,
      ]);
      known = { type: preferred === JSON_TYPE || preferred === GRAPHQL_RESPONSE_TYPE ? preferred : null };
      contentTypes.set(accept, known);
    }
    return known.type;
  };

  const documentTextOf = (body: Record<string, unknown>, documentId: unknown): string | undefined =>
    typeof documentId === 'string' && body.query === undefined ? options.manifest?.get(documentId) : undefined;

  return async (req, body) => {
    const started = process.hrtime.bigint();
    const contentType = contentTypeFor(req.headers.accept);
    if (!contentType || req.headers[QUERY_PLAN_HEADER] !== undefined || !isRecord(body)) return undefined;
    for (const field in body) if (!BODY_FIELDS.has(field)) return undefined;
    const { documentId, operationName, variables } = body;
    // A trusted document's id stands for its text, as persistedOperationsPlugin resolves it; an
    // unknown id, or one beside a query, is that plugin's to refuse.
    const query = documentId === undefined ? body.query : documentTextOf(body, documentId);
    if (typeof query !== 'string') return undefined;
    if (operationName != null && (typeof operationName !== 'string' || !NAME.test(operationName))) return undefined;
    if (variables != null && !isRecord(variables)) return undefined;
    const known = accepted.get(query, operationName ?? undefined);
    const schema = accepted.schema;
    if (!known || !schema) return undefined;

    let context: RouterContext;
    try {
      context = await options.context(req);
    } catch {
      return undefined; // Apollo makes it again, answers its error and counts the refusal
    }
    if (!context.auth && fieldsDeniedToAnonymous(known.rootFields, options.introspection).length) return undefined; // Apollo's 401

    const name = known.operation.name?.value ?? null;
    const operationType = known.operation.operation;
    const mutation = operationType === 'mutation';
    const { variableDefinitions } = known.operation;
    if (
      mutation &&
      variableDefinitions?.length &&
      getVariableValues(schema, variableDefinitions, variables ?? {}).errors
    )
      return undefined; // Apollo's 400, and no subgraph has been called
    const answered = (result: ExecutionResult, status: number | undefined): DirectAnswer => {
      const formatted = result.errors?.length ? formatErrorsAsApollo(result.errors, options.formatError) : undefined;
      const headers = formatted?.headers ?? new Map<string, string>();
      headers.set('content-type', contentType);
      status = formatted?.status ?? status ?? 200;
      const retryAfter = overloadedRetryAfter(result.data, formatted?.errors);
      if (retryAfter !== undefined) {
        status = 503;
        headers.set('retry-after', String(retryAfter));
      }
      recordOperation(options.metrics, options.logger, {
        operation: name ?? 'anonymous',
        operationType,
        errors: result.errors,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
      // Apollo's order of the fields (orderExecutionResultFields) and its stringifyResult.
      return {
        status,
        headers,
        body: stringifyResult({ errors: formatted?.errors, data: result.data, extensions: result.extensions }),
      };
    };
    let result: ExecutionResult;
    try {
      // What Apollo Server's makeGatewayGraphQLRequestContext gives the executor, less the HTTP
      // request (read only for the query plan header, not taken) and response (no data source sets it).
      const requestContext: Parameters<ApolloGateway['executor']>[0] = {
        request: {
          query,
          ...(operationName != null ? { operationName } : {}),
          ...(variables != null ? { variables } : {}),
        },
        logger: apollo.logger,
        schema,
        schemaHash: APOLLO_SCHEMA_HASH,
        context,
        cache: apollo.cache,
        queryHash: known.queryHash,
        document: known.document,
        source: query,
        operationName: name,
        operation: known.operation,
        metrics: {},
        debug: false,
        overallCachePolicy: undefined, // read only by RemoteGraphQLDataSource.process, which SubgraphDataSource replaces
        requestIsBatched: false,
      };
      result = await (plans?.execute(known, requestContext) ?? gateway.executor(requestContext));
    } catch (error) {
      // A query: Apollo runs it again and answers the failure as it does. A mutation may have run.
      return mutation ? answered({ errors: [asGraphQLError(error)] }, 500) : undefined;
    }
    if (result.data === undefined && !mutation) return undefined;
    return answered(result, result.data === undefined ? 400 : undefined);
  };
}

/** Apollo Server's ensureGraphQLError of its ensureError, for what an executor threw. */
function asGraphQLError(thrown: unknown): GraphQLError {
  if (!(thrown instanceof Error)) return new GraphQLError(`Unexpected error value: ${String(thrown)}`);
  return thrown instanceof GraphQLError ? thrown : new GraphQLError(thrown.message, { originalError: thrown });
}
