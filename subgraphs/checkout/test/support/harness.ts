import { createLogger } from '@campus/platform';
import {
  createTestDatabase,
  freePort,
  graphqlAs,
  serviceTestEnv,
  testTokens,
  TestClock,
  uniqueBrokerNames,
  type GraphQLAs,
  type TestDatabase,
} from '@campus/testkit';
import { startCheckout, type CheckoutDeps, type RunningCheckout } from '../../src/app';
import { loadCheckoutConfig, type CheckoutConfig } from '../../src/config';

export interface CheckoutHarness {
  checkout: RunningCheckout;
  config: CheckoutConfig;
  database: TestDatabase;
  clock: TestClock;
  baseUrl: string;
  /** A GraphQL call as `user` (anonymous when null). */
  gql: GraphQLAs;
  /** Stops the service; keeps the database when `keepDatabase` (a restart follows). */
  stop(keepDatabase?: boolean): Promise<void>;
  exchange: string;
}

/**
 * The checkout service in-process on a fresh database (or `database`, for a restart on the same
 * one), with local test tokens, a clock standing still at `clockAt`, an exchange of its own and
 * the given doubles (participants, students; no scheduler unless `env` sets a tick).
 */
export async function startCheckoutHarness(
  options: {
    clockAt?: string;
    deps?: Omit<CheckoutDeps, 'tokenVerifier' | 'clock' | 'logger'>;
    env?: Record<string, string>;
    database?: TestDatabase;
    exchange?: string;
  } = {},
): Promise<CheckoutHarness> {
  const clockAt = options.clockAt ?? '2026-03-01T09:00:00.000Z';
  const database = options.database ?? (await createTestDatabase('checkout'));
  const tokens = await testTokens();
  const exchange = options.exchange ?? uniqueBrokerNames('checkout').exchange;
  const httpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const config = loadCheckoutConfig({
    ...serviceTestEnv({ databaseUrl: database.url, exchange, httpPort }),
    CHECKOUT_RETRY_BASE_MS: '200',
    CHECKOUT_RETRY_MAX_MS: '1000',
    ...options.env,
  });
  const clock = new TestClock(clockAt);
  const checkout = await startCheckout(config, {
    scheduler: false,
    ...options.deps,
    tokenVerifier: tokens.verifier,
    clock,
    logger: createLogger('checkout', process.env.CHECKOUT_TEST_LOG ?? 'silent'),
  });
  return {
    checkout,
    config,
    database,
    clock,
    baseUrl,
    gql: graphqlAs(`${baseUrl}/graphql`, tokens),
    exchange,
    stop: async (keepDatabase = false) => {
      await checkout.close();
      if (!keepDatabase) await database.drop();
    },
  };
}
