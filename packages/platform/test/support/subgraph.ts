import type { DocumentNode } from 'graphql';
import pino from 'pino';
import { TokenVerifier } from '../../src/auth';
import type { Resolvers } from '../../src/graphql';
import { HealthRegistry } from '../../src/health';
import { Metrics } from '../../src/metrics';
import { startSubgraph, type BaseContext, type RunningSubgraph, type SubgraphOptions } from '../../src/subgraph';

/**
 * A subgraph of the given schema on a free port, as startSubgraph starts every service, with no
 * database and no signing keys (a request with a token is refused).
 */
export function startTestSubgraph(options: {
  name: string;
  typeDefs: DocumentNode;
  resolvers: Resolvers<BaseContext>;
  settings: SubgraphOptions<BaseContext>['settings'];
  serviceToken?: string;
}): Promise<RunningSubgraph> {
  return startSubgraph<BaseContext>({
    name: options.name,
    schema: { typeDefs: options.typeDefs, resolvers: options.resolvers },
    settings: options.settings,
    logger: pino({ level: 'silent' }),
    metrics: new Metrics(options.name),
    health: new HealthRegistry(),
    tokenVerifier: new TokenVerifier({
      keys: async () => Promise.reject(new Error('no keys in this test')),
      issuer: 'test',
      audience: 'test',
    }),
    createContext: (base) => base,
    serviceToken: options.serviceToken,
  });
}
