// The comparison baseline "vanilla Apollo Gateway": @apollo/gateway + @apollo/server's standalone
// server over the same supergraph, as Apollo's documentation sets it up, forwarding the caller's
// Authorization header to every subgraph (nothing else: no auth at the edge, limits, metrics or
// tracing). Started by the bench as a process of its own:
//   SUPERGRAPH_PATH=… PORT=… node --import tsx bench/src/vanilla-apollo-gateway.ts
import fs from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

interface Context {
  authorization?: string;
}

class AuthForwardingDataSource extends RemoteGraphQLDataSource<Context> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<Context>) {
    if (context.authorization) request.http?.headers.set('authorization', context.authorization);
  }
}

async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = '1';
  const supergraphSdl = fs.readFileSync(process.env.SUPERGRAPH_PATH ?? 'supergraph.graphql', 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) => new AuthForwardingDataSource({ url }),
  });
  const server = new ApolloServer<Context>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: Number(process.env.PORT ?? 4100) },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  console.log(`vanilla Apollo Gateway at ${url}`);
  // a clean exit on the bench's SIGTERM, so that a CPU profile (BENCH_CPU_PROFILE=apollo) is written
  process.once('SIGTERM', () => void server.stop().finally(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
