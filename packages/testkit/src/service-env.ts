import { testAmqpUrl } from './broker-names';
import { graphqlRequest, type GraphQLResponse } from './graphql';
import type { TestTokens } from './tokens';
import type { TestUser } from './users';

export interface ServiceTestEnvOptions {
  /** The test's own database (createTestDatabase). */
  databaseUrl: string;
  /** The test's own exchange (uniqueBrokerNames); without one, no AMQP settings are given. */
  exchange?: string;
  /** Default: the test broker (testAmqpUrl); e.g. a TcpProxy in front of it. */
  amqpUrl?: string;
  /** Default 0: any free port (a test that needs the URL before start-up passes freePort()). */
  httpPort?: number;
  /** Default 0: any free port. */
  grpcPort?: number;
  /** Default 5: enough for a test's concurrency, few enough for many suites on one server. */
  poolSize?: number;
}

/**
 * The environment a subgraph starts from in its in-process tests: test mode, no logs, its own
 * database and exchange, ports of its own. A test adds the service's own variables on top.
 */
export function serviceTestEnv(options: ServiceTestEnvOptions): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HTTP_PORT: String(options.httpPort ?? 0),
    GRPC_PORT: String(options.grpcPort ?? 0),
    DATABASE_URL: options.databaseUrl,
    DB_POOL_SIZE: String(options.poolSize ?? 5),
    // On the test's own exchange, a producer declares no consumer queue: the campus's
    // notification.events is never bound to a test exchange (notification's tests set their own).
    ...(options.exchange
      ? { AMQP_URL: options.amqpUrl ?? testAmqpUrl(), AMQP_EXCHANGE: options.exchange, NOTIFICATION_QUEUE: '' }
      : {}),
  };
}

/** A GraphQL call as `user`, signed in with the test's tokens (anonymous when null). */
export type GraphQLAs = <T = Record<string, unknown>>(
  user: TestUser | null,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
) => Promise<GraphQLResponse<T>>;

/** Calls the GraphQL endpoint at `url` as any test user, signing their token with `tokens`. */
export function graphqlAs(url: string, tokens: Pick<TestTokens, 'tokenFor'>): GraphQLAs {
  return async (user, query, variables = {}, headers) =>
    graphqlRequest(url, query, {
      variables,
      ...(headers ? { headers } : {}),
      ...(user ? { token: await tokens.tokenFor(user) } : {}),
    });
}
