import fs from 'node:fs';
import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { ConfigError, sha256Hex, type DomainError, type Logger } from '@campus/platform';
import { parse, validate, type GraphQLSchema } from 'graphql';
import type { RouterContext } from './context';
import { routerErrors } from './errors';
import { toGraphQLError } from './graphql-errors';

/**
 * Trusted documents: the allow-list generated from packages/client's documents
 * (packages/client/persisted-operations.json, "sha256:<hex>" → document). A client sends an
 * operation by its id (`documentId`, or Apollo's APQ `extensions.persistedQuery.sha256Hash`) and
 * the router runs the document it holds; with ONLY_PERSISTED_OPERATIONS=true nothing else runs.
 */
export class PersistedOperations {
  private constructor(
    private readonly documents: ReadonlyMap<string, string>,
    readonly file: string,
  ) {}

  get size(): number {
    return this.documents.size;
  }

  /** The document of an id: "sha256:<hex>" (documentId) or a bare hex hash (APQ). */
  get(id: string): string | undefined {
    return this.documents.get(normalizeId(id));
  }

  /** Every trusted document's text. */
  texts(): IterableIterator<string> {
    return this.documents.values();
  }

  /** Whether this exact text is one of the trusted documents. */
  hasText(query: string): boolean {
    return this.documents.has(idOf(query));
  }

  /**
   * Reads and checks a manifest: a JSON object of "sha256:<hex>" → document, each id the sha256
   * of its document (so an id names exactly one text), each document parseable GraphQL.
   */
  static load(file: string): PersistedOperations {
    const problem = (message: string) => new ConfigError([`PERSISTED_OPERATIONS_FILE: ${file}: ${message}`]);
    if (!fs.existsSync(file)) throw problem('does not exist (npm run client:generate writes it)');
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw problem(`not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw problem('expected an object of "sha256:<hash>": "<document>"');
    const documents = new Map<string, string>();
    for (const [id, document] of Object.entries(raw)) {
      if (typeof document !== 'string') throw problem(`${id}: the document is not a string`);
      if (id !== idOf(document)) throw problem(`${id}: not the sha256 of its document`);
      try {
        parse(document);
      } catch (error) {
        throw problem(`${id}: ${error instanceof Error ? error.message : String(error)}`);
      }
      documents.set(id, document);
    }
    return new PersistedOperations(documents, file);
  }

  /** Documents of the manifest that the served schema no longer accepts (a manifest older than the supergraph). */
  invalidAgainst(schema: GraphQLSchema): { id: string; errors: string[] }[] {
    return [...this.documents]
      .map(([id, document]) => ({ id, errors: validate(schema, parse(document)).map((e) => e.message) }))
      .filter((entry) => entry.errors.length > 0);
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const idOf = (document: string): string => `sha256:${sha256Hex(document)}`;

const normalizeId = (id: string): string => (SHA256_HEX.test(id) ? `sha256:${id}` : id);

/** Ids are short; anything longer is not an id and is not echoed back whole. */
const MAX_ECHOED_ID = 100;

function documentIdOf(request: GraphQLRequest): unknown {
  const http = request.http;
  if (!http) return undefined;
  if (http.method === 'GET') return new URLSearchParams(http.search).get('documentId') ?? undefined;
  const body: unknown = http.body;
  return typeof body === 'object' && body !== null && 'documentId' in body ? body.documentId : undefined;
}

function apqHashOf(request: GraphQLRequest): string | undefined {
  const persisted: unknown = request.extensions?.persistedQuery;
  if (typeof persisted !== 'object' || persisted === null || !('sha256Hash' in persisted)) return undefined;
  return typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

/**
 * What is wrong with an APQ extension, if anything. Apollo's own answers to these carry no code
 * (they would reach the client as INTERNAL_ERROR), so they are refused here, coded.
 */
function apqProblem(request: GraphQLRequest, hash: string | undefined): string | undefined {
  const persisted: unknown = request.extensions?.persistedQuery;
  if (persisted === undefined) return undefined;
  if (typeof persisted !== 'object' || persisted === null || !('version' in persisted) || persisted.version !== 1)
    return 'extensions.persistedQuery.version must be 1';
  if (hash === undefined) return 'extensions.persistedQuery.sha256Hash must be a string';
  if (request.query !== undefined && idOf(request.query) !== normalizeId(hash))
    return 'extensions.persistedQuery.sha256Hash is not the sha256 of the query';
  return undefined;
}

export interface PersistedOperationsOptions {
  /** ONLY_PERSISTED_OPERATIONS: refuse every document that is not in the manifest. */
  only: boolean;
}

/**
 * Stands in for a refused document: Apollo answers errors thrown from requestDidStart as internal
 * errors, so the refusal is raised at didResolveOperation, and this keeps the client's text from
 * being parsed and validated meanwhile (refusing cheaply is the point of an allow-list).
 */
const REFUSED_PLACEHOLDER = '{ __typename }';

/**
 * Resolves documents sent by id from the manifest and, when enforcing, refuses the others with
 * 400 PERSISTED_QUERY_NOT_ALLOWED, calling no subgraph. APQ hashes the manifest does not hold are
 * left to Apollo's APQ cache (development; off when enforcing). List it first among the plugins:
 * its refusal must be the one reported.
 */
export function persistedOperationsPlugin(
  manifest: PersistedOperations | undefined,
  options: PersistedOperationsOptions,
): ApolloServerPlugin<RouterContext> {
  const decide = (request: GraphQLRequest): DomainError | undefined => {
    const documentId = documentIdOf(request);
    const apqHash = apqHashOf(request);
    if (documentId !== undefined) {
      if (typeof documentId !== 'string' || request.query !== undefined || apqHash !== undefined)
        return routerErrors.invalidDocumentId();
      const document = manifest?.get(documentId);
      const echoed = documentId.slice(0, MAX_ECHOED_ID);
      if (document === undefined)
        return options.only
          ? routerErrors.persistedQueryNotAllowed(echoed)
          : routerErrors.persistedQueryNotFound(echoed);
      request.query = document;
      return undefined;
    }
    const problem = apqProblem(request, apqHash);
    if (problem) return routerErrors.invalidPersistedQuery(problem);
    const trusted = apqHash === undefined ? undefined : manifest?.get(apqHash);
    if (trusted !== undefined) {
      request.query = trusted; // the same text as any sent along (checked above)
      if (request.extensions) delete request.extensions.persistedQuery; // served: not APQ's business
      return undefined;
    }
    if (!options.only) return undefined;
    if (request.query === undefined && apqHash === undefined) return undefined; // Apollo's own 400: nothing to run
    if (request.query !== undefined && apqHash === undefined && manifest?.hasText(request.query)) return undefined;
    return routerErrors.persistedQueryNotAllowed(apqHash?.slice(0, MAX_ECHOED_ID) ?? null);
  };
  return {
    async requestDidStart({ request }) {
      const refusal = decide(request);
      if (!refusal) return;
      request.query = REFUSED_PLACEHOLDER;
      request.operationName = undefined;
      if (request.extensions) delete request.extensions.persistedQuery;
      return {
        didResolveOperation() {
          // Not async: it rejects before any other plugin's hook can, so this is the error reported.
          return Promise.reject(toGraphQLError(refusal));
        },
      };
    },
  };
}

/** Warns (once) about manifest documents the served schema refuses: they would fail for every client. */
export function checkManifestAgainstSchema(manifest: PersistedOperations, schema: GraphQLSchema, logger: Logger): void {
  const invalid = manifest.invalidAgainst(schema);
  if (invalid.length === 0) return;
  logger.warn(
    { file: manifest.file, invalid: invalid.length, of: manifest.size, first: invalid.slice(0, 3) },
    'persisted operations do not validate against the supergraph (regenerate packages/client)',
  );
}
