import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ErrorCodes, type Logger } from '@campus/platform';
import { GraphQLError } from 'graphql';
import type { RouterContext } from './context';
import type { Supergraph } from './supergraph';

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

/** Calls one subgraph, forwarding identity and trace context, and hides transport failures' internals. */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly logger: Logger,
  ) {
    // The gateway's default fetcher (node http): Node's fetch would be traced by the undici
    // instrumentation, which adds a second traceparent next to the forwarded one and breaks the trace.
    super({ url });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<RouterContext>): void {
    // Only incoming operations have a router context (not the gateway's own health checks).
    const forward = (options.context as Partial<RouterContext>).forwardHeaders ?? {};
    for (const [name, value] of Object.entries(forward)) options.request.http?.headers.set(name, value);
  }

  override didEncounterError(error: Error): never {
    const fromBody = error instanceof GraphQLError ? errorOfResponseBody(error) : undefined;
    if (fromBody) throw fromBody;
    this.logger.warn({ err: error, subgraph: this.subgraph }, 'subgraph request failed');
    throw new GraphQLError(`The ${this.subgraph} service is unavailable`, {
      extensions: { code: ErrorCodes.UNAVAILABLE, details: { service: this.subgraph } },
    });
  }
}

/** A gateway over the static supergraph; subgraph URLs come from it, after env overrides. */
export function createGateway(supergraph: Supergraph, logger: Logger): ApolloGateway {
  const urls = new Map(supergraph.subgraphs.map((s) => [s.name, s.url]));
  // The gateway sends usage data to Apollo unless this is set (read when it is constructed).
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  return new ApolloGateway({
    supergraphSdl: supergraph.sdl,
    logger: logger.child({ component: 'gateway' }),
    buildService: ({ name, url }) => new SubgraphDataSource(name, urls.get(name) ?? url ?? '', logger),
  });
}
