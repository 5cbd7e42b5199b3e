import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ErrorCodes, type Logger } from '@campus/platform';
import { GraphQLError } from 'graphql';
import type { RouterContext } from './context';
import { subgraphTimeoutVariable, type RouterConfig } from './config';
import { answerEveryPosition, distinctRepresentations, type DistinctRepresentations } from './entity-deduplication';
import type { SubgraphLoadShedding } from './load-shedding';
import {
  answerSingleFetchPlansDirectly,
  dataOnlyAnswer,
  installSingleFetchShortcut,
  wantsDataAsText,
} from './single-fetch';
import { installResultShaping } from './result-shaping';
import { createSubgraphFetcher, type SubgraphFetcher } from './subgraph-fetcher';
import type { SubgraphEndpoint, Supergraph } from './supergraph';

type SubgraphResponse = Awaited<ReturnType<RemoteGraphQLDataSource['process']>>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * The first GraphQL error of a non-2xx subgraph response, reduced to what a client may see. The
 * gateway's own version of it carries the subgraph's internal URL and raw body.
 */
function errorOfResponseBody(error: GraphQLError): GraphQLError | undefined {
  const response = error.extensions.response;
  const body = isRecord(response) ? response.body : undefined;
  const first = isRecord(body) && Array.isArray(body.errors) ? (body.errors as unknown[])[0] : undefined;
  if (!isRecord(first) || typeof first.message !== 'string' || !isRecord(first.extensions)) return undefined;
  const { code, details } = first.extensions;
  if (typeof code !== 'string') return undefined;
  return new GraphQLError(first.message, { extensions: { code, details: isRecord(details) ? details : {} } });
}

/** What RemoteGraphQLDataSource.parseBody reads as JSON (its own test). */
const isJsonContent = (type: string | null): boolean =>
  !!type && (type.startsWith('application/json') || type.startsWith('application/graphql-response+json'));

/** How undici (HeadersTimeoutError, BodyTimeoutError) and an aborted fetch name a call given up on. */
const TIMEOUT_ERRORS = new Set(['HeadersTimeoutError', 'BodyTimeoutError', 'AbortError', 'TimeoutError']);

/**
 * Calls one subgraph, forwarding identity and trace context, and hides transport failures'
 * internals. A subgraph that has not begun its answer within its timeout, or whose answer stalls that
 * long, is given up on: the operation gets UNAVAILABLE naming it, instead of holding the client and a
 * socket indefinitely.
 * A subgraph with its maximum of requests in flight is not called at all: OVERLOADED (see load-shedding).
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    fetcher: SubgraphFetcher,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
    private readonly shedding?: SubgraphLoadShedding,
    /** Send each distinct entity representation once (entity-deduplication.ts). */
    private readonly distinctEntities = true,
  ) {
    super({ url });
    this.fetcher = fetcher.fetch; // gives up after timeoutMs itself
  }

  override async process(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<SubgraphResponse> {
    if (!this.shedding) return this.send(options);
    // acquire throws OVERLOADED; the gateway reports it
    const release = this.shedding.tryAcquire(this.subgraph) ?? (await this.shedding.acquire(this.subgraph));
    try {
      return await this.send(options);
    } finally {
      release();
    }
  }

  /**
   * RemoteGraphQLDataSource.process, less what this router never uses: node-fetch's Headers and a
   * node-fetch Request built per call only to be handed to hooks that ignore it (~4 % of the router's
   * CPU under small mutations), and the subgraph's Cache-Control (no field of the supergraph is
   * cacheable, so it could only lower a max-age of 0). The body, headers, errors and the response
   * are the gateway's own, except that an `_entities` call asks for each representation once.
   */
  private async send(options: GraphQLDataSourceProcessOptions<RouterContext>): Promise<SubgraphResponse> {
    const { http, query, variables, ...rest } = options.request;
    if (!query) throw new Error('Missing query');
    const representations = variables?.representations;
    const distinct: DistinctRepresentations | undefined =
      this.distinctEntities && Array.isArray(representations) ? distinctRepresentations(representations) : undefined;
    const headers: Record<string, string> = {};
    for (const [name, value] of http?.headers ?? []) headers[name.toLowerCase()] = value;
    headers['content-type'] = 'application/json';
    // Only incoming operations have a router context (not the gateway's own health checks).
    const forward = (options.context as Partial<RouterContext>).forwardHeaders ?? {};
    for (const [name, value] of Object.entries(forward)) headers[name.toLowerCase()] = value;
    try {
      const response = await this.fetcher(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          query,
          variables: distinct ? { ...variables, representations: distinct.distinct } : variables,
          ...rest,
        }),
      });
      if (!response.ok) throw await this.errorFromResponse(response);
      if (wantsDataAsText(options) && isJsonContent(response.headers.get('content-type'))) {
        const data = dataOnlyAnswer(await response.text());
        if (data) return { data, http: response } as unknown as SubgraphResponse;
      }
      const body = await this.parseBody(response);
      if (!isRecord(body)) throw new Error(`Expected JSON response body, but received: ${String(body)}`);
      const answer = { ...body, http: response } as SubgraphResponse;
      return distinct ? answerEveryPosition(answer, distinct) : answer;
    } catch (error) {
      return this.didEncounterError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  override didEncounterError(error: Error): never {
    const fromBody = error instanceof GraphQLError ? errorOfResponseBody(error) : undefined;
    if (fromBody) throw fromBody;
    const timedOut = TIMEOUT_ERRORS.has(error.name);
    this.logger.warn(
      { err: error, subgraph: this.subgraph, ...(timedOut ? { timeoutMs: this.timeoutMs } : {}) },
      timedOut ? 'subgraph did not answer in time' : 'subgraph request failed',
    );
    throw new GraphQLError(`The ${this.subgraph} service is unavailable`, {
      extensions: { code: ErrorCodes.UNAVAILABLE, details: { service: this.subgraph } },
    });
  }
}

/** Each subgraph's timeout (SUBGRAPH_<NAME>_TIMEOUT_MS, else SUBGRAPH_TIMEOUT_MS); warns of overrides naming none. */
export function subgraphTimeouts(
  settings: RouterConfig['subgraphTimeouts'],
  subgraphs: readonly SubgraphEndpoint[],
  logger: Logger,
): (subgraph: string) => number {
  const used = new Set(subgraphs.map((s) => subgraphTimeoutVariable(s.name)));
  for (const variable of Object.keys(settings.overrides).filter((v) => !used.has(v)))
    logger.warn({ variable }, 'this variable names no subgraph of the supergraph');
  return (subgraph) => settings.overrides[subgraphTimeoutVariable(subgraph)] ?? settings.defaultMs;
}

export interface GatewayOptions {
  timeoutMsOf: (subgraph: string) => number;
  /** Connections kept to each subgraph (its in-flight limit). */
  connectionsOf: (subgraph: string) => number;
  /** Merge a caller's identical queries in flight (see SubgraphFetcherOptions.deduplicate). */
  deduplicate: boolean;
  /** Answer a plan of one fetch with the client's shape by the subgraph's data as is (single-fetch.ts). */
  singleFetchShortcut: boolean;
  /** Send each distinct entity representation of an `_entities` call once (entity-deduplication.ts). */
  distinctEntities: boolean;
  /** Shape answers with the router's port of the gateway's result shaping (result-shaping.ts). */
  routerResultShaping: boolean;
  shedding?: SubgraphLoadShedding;
}

/**
 * A gateway over the static supergraph; subgraph URLs come from it, after env overrides. `close`
 * ends the connection pools to the subgraphs (after the server has stopped).
 */
export function createGateway(
  supergraph: Supergraph,
  options: GatewayOptions,
  logger: Logger,
): { gateway: ApolloGateway; close(): Promise<void> } {
  const urls = new Map(supergraph.subgraphs.map((s) => [s.name, s.url]));
  const fetchers: SubgraphFetcher[] = [];
  // The gateway sends usage data to Apollo unless this is set (read when it is constructed).
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  const shortcut = options.singleFetchShortcut && installSingleFetchShortcut(logger);
  if (options.routerResultShaping) installResultShaping(logger);
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.sdl,
    logger: logger.child({ component: 'gateway' }),
    buildService: ({ name, url }) => {
      const target = urls.get(name) ?? url ?? '';
      const timeoutMs = options.timeoutMsOf(name);
      const fetcher = createSubgraphFetcher(target, {
        timeoutMs,
        connections: options.connectionsOf(name),
        deduplicate: options.deduplicate,
      });
      fetchers.push(fetcher);
      const source = new SubgraphDataSource(
        name,
        target,
        fetcher,
        timeoutMs,
        logger,
        options.shedding,
        options.distinctEntities,
      );
      if (shortcut) answerSingleFetchPlansDirectly(source);
      return source;
    },
  });
  return { gateway, close: async () => void (await Promise.all(fetchers.map((f) => f.close()))) };
}
