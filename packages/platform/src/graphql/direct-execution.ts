import type { IncomingMessage } from 'node:http';
import {
  execute,
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { unsafeTextPaths } from '../validation';
import { asksForSchema, unsafeLiteralPaths } from './edge-guards';
import type { AnsweredOperation } from './errors';

/**
 * A subgraph's queries and mutations executed by graphql-js directly, without Apollo Server's
 * request pipeline: per request that pipeline hashes the query text (SHA-256, its document cache's
 * key), negotiates the Accept header for incremental delivery, walks its plugins' hooks and copies
 * the result for ordering, ~20 µs a request (a micro-benchmark: 24–29 µs through Apollo, 7 µs
 * direct), as much as a small read's SQL. Every call the router makes is such a request, so it is
 * taken here and Apollo keeps everything else.
 *
 * Taken: a POST body of `query` (a string) with at most `operationName` and `variables`, a
 * document that parses, passes the same validation rules as Apollo's and selects a query or a
 * mutation, asks nothing of the schema itself (`__schema`, `__type`, `_service`: the
 * introspection gate stays Apollo's) and holds no unsafe text. Everything else returns undefined
 * and goes to Apollo unchanged: invalid documents, unsafe variables, another Accept, an APQ
 * extension. Two cases go to Apollo after a look, and both before any resolver has run, so
 * nothing runs twice: a context that cannot be made (a bad token) and variables that do not
 * coerce (graphql-js answers those without data). An answer with errors beside its data is
 * formatted as Apollo formats it (normalizeAndFormatErrors: INTERNAL_SERVER_ERROR by default, an
 * `http` extension sets the status and headers, then formatError);
 * test/integration/direct-execution.test.ts compares both paths byte for byte.
 */
export interface DirectExecutionOptions<TContext> {
  schema: GraphQLSchema;
  /** Apollo's validation rules beyond graphql-js's specified rules. */
  validationRules: readonly ValidationRule[];
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  context: (req: IncomingMessage) => Promise<TContext>;
  /** The log line and metric of an answered operation (recordOperation). */
  answered: (operation: AnsweredOperation) => void;
  /** Documents remembered, valid or not (least recently used first out); default 1000. */
  maxDocuments?: number;
  /**
   * Characters of query text remembered in all, default 1 Mi: a body may hold up to 1 MiB of
   * valid document, whose syntax tree is many times that. A longer one is parsed every time.
   */
  maxDocumentChars?: number;
}

export interface DirectAnswer {
  status: number;
  /** Headers the errors' `http` extensions set, as Apollo sets them. */
  headers: Map<string, string>;
  /** JSON, with the newline Apollo Server ends its answers with. */
  body: string;
}

/** A remembered document: the operation to run, or null when Apollo must answer it. */
type Known = { document: DocumentNode; operation: OperationDefinitionNode } | null;

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const BODY_FIELDS = new Set(['query', 'operationName', 'variables']);
// What Apollo answers as application/json; any other Accept is Apollo's to negotiate.
const JSON_ACCEPTS = new Set([undefined, '*/*', 'application/json']);

export function directExecution<TContext>(
  options: DirectExecutionOptions<TContext>,
): (req: IncomingMessage, body: unknown) => Promise<DirectAnswer | undefined> {
  const rules = [...specifiedRules, ...options.validationRules];
  const known = new LRUCache<string, { known: Known }>({
    max: options.maxDocuments ?? 1000,
    maxSize: options.maxDocumentChars ?? 1024 * 1024,
    sizeCalculation: (_entry, key) => key.length,
  });

  const lookUp = (query: string, operationName: string | undefined): Known => {
    // The key holds no ambiguity: a name is checked against NAME (no newline) before it gets here.
    const key = `${operationName ?? ''}\n${query}`;
    const hit = known.get(key);
    if (hit) return hit.known;
    const entry = { known: prepare(query, operationName) };
    known.set(key, entry);
    return entry.known;
  };

  const prepare = (query: string, operationName: string | undefined): Known => {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch {
      return null;
    }
    if (validate(options.schema, document, rules).length) return null;
    const operation = getOperationAST(document, operationName);
    if (
      !operation ||
      operation.operation === 'subscription' ||
      asksForSchema(document) ||
      unsafeLiteralPaths(document).length
    )
      return null;
    return { document, operation };
  };

  return async (req, body) => {
    const started = process.hrtime.bigint();
    if (!JSON_ACCEPTS.has(req.headers.accept) || !isRecord(body)) return undefined;
    for (const field in body) if (!BODY_FIELDS.has(field)) return undefined;
    const { query, operationName, variables } = body;
    if (typeof query !== 'string') return undefined;
    if (operationName != null && (typeof operationName !== 'string' || !NAME.test(operationName))) return undefined;
    if (variables != null && !isRecord(variables)) return undefined;
    const entry = lookUp(query, operationName ?? undefined);
    if (!entry || (variables && unsafeTextPaths(variables, ['variables']).length)) return undefined;

    let contextValue: TContext;
    try {
      contextValue = await options.context(req);
    } catch {
      return undefined; // Apollo makes it again and answers its error
    }
    const result = await execute({
      schema: options.schema,
      document: entry.document,
      operationName: operationName ?? undefined,
      variableValues: variables ?? undefined,
      contextValue,
    });
    // Without data the variables did not coerce: nothing ran, and Apollo answers that (400).
    if (result.data === undefined) return undefined;

    const formatted = result.errors?.length ? formatErrorsAsApollo(result.errors, options.formatError) : undefined;
    const errors = formatted?.errors;
    options.answered({
      operation: entry.operation.name?.value ?? 'anonymous',
      operationType: entry.operation.operation,
      errors: result.errors,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
    });
    // Apollo's order: errors, then data.
    return {
      status: formatted?.status ?? 200,
      headers: formatted?.headers ?? new Map(),
      body: `${JSON.stringify(errors ? { errors, data: result.data } : { data: result.data })}\n`,
    };
  };
}

/** An execution result's errors as Apollo Server answers them, and the HTTP status and headers they set. */
export interface ApolloFormattedErrors {
  errors: GraphQLFormattedError[];
  /** Set by an error's `http` extension; otherwise Apollo's default for the answer stands. */
  status?: number;
  headers: Map<string, string>;
}

/**
 * Apollo Server's normalizeAndFormatErrors for errors beside data: each error enriched (a default
 * code, its `http` extension taken out into the answer's status and headers), then formatError;
 * a formatError that throws gives Apollo's bare internal error.
 */
export function formatErrorsAsApollo(
  errors: readonly GraphQLError[],
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): ApolloFormattedErrors {
  let status: number | undefined;
  const headers = new Map<string, string>();
  const formattedErrors = errors.map((error) => {
    const { formatted, head } = asApolloFormats(error);
    if (head?.status) status = head.status;
    for (const [name, value] of head?.headers ?? []) headers.set(name, value);
    try {
      return formatError(formatted, error);
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  return { errors: formattedErrors, ...(status === undefined ? {} : { status }), headers };
}

interface HttpHead {
  status?: number;
  headers?: Map<string, string>;
}

/** Apollo Server's enrichError: a default code, and an `http` extension (status, headers) taken out. */
function asApolloFormats(error: GraphQLError): { formatted: GraphQLFormattedError; head?: HttpHead } {
  const extensions: Record<string, unknown> = {
    ...error.extensions,
    code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR',
  };
  const head = isHttpHead(extensions.http) ? extensions.http : undefined;
  if (head) delete extensions.http;
  return { formatted: { ...error.toJSON(), extensions }, head };
}

/** Apollo's isPartialHTTPGraphQLHead. */
function isHttpHead(value: unknown): value is HttpHead {
  return (
    isRecord(value) &&
    (!('status' in value) || typeof value.status === 'number') &&
    (!('headers' in value) || value.headers instanceof Map)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
