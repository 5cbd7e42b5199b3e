import { createLogger } from '@campus/platform';
import {
  createTestDatabase,
  freePort,
  graphqlAs,
  IdentityDouble,
  serviceTestEnv,
  testTokens,
  TestClock,
  uniqueBrokerNames,
  type GraphQLAs,
  type TestDatabase,
  type TestTokens,
  type TestUser,
} from '@campus/testkit';
import { startCoworking, type RunningCoworking } from '../../src/app';
import { loadCoworkingConfig, type CoworkingConfig } from '../../src/config';

export interface CoworkingHarnessOptions {
  /** Extra environment for loadCoworkingConfig (e.g. COWORKING_OPENS_AT). */
  env?: Record<string, string>;
  /** Start the durable scheduler (night reminders; default: off, tests run the job's use case themselves). */
  scheduler?: boolean;
}

export interface CoworkingHarness {
  coworking: RunningCoworking;
  config: CoworkingConfig;
  database: TestDatabase;
  clock: TestClock;
  tokens: TestTokens;
  /** identity's gRPC API at the network boundary (a real gRPC server answering from its users). */
  identity: IdentityDouble;
  /**
   * Makes identity know these users (as active as each says) unless it already knows one with the
   * same id; a test registers whoever asks for a slot, as the real identity knows every token holder.
   */
  known(...users: TestUser[]): void;
  /** The test's own exchange (bind an EventObserver to it). */
  exchange: string;
  baseUrl: string;
  /** A GraphQL call as `user` (anonymous when null). */
  gql: GraphQLAs;
  stop(): Promise<void>;
}

/**
 * The coworking service in-process on a fresh database, with local test tokens, a clock standing
 * still at `clockAt`, an exchange of its own and a real identity gRPC double (knowing no one until a
 * test says so). No scheduler unless asked (options.scheduler).
 */
export async function startCoworkingHarness(
  clockAt = '2026-03-01T09:00:00.000Z',
  options: CoworkingHarnessOptions = {},
): Promise<CoworkingHarness> {
  const database = await createTestDatabase('coworking');
  const identity = await new IdentityDouble().start();
  const tokens = await testTokens();
  const { exchange } = uniqueBrokerNames('coworking');
  const httpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const config = loadCoworkingConfig({
    ...serviceTestEnv({ databaseUrl: database.url, exchange, httpPort }),
    IDENTITY_GRPC_URL: identity.address,
    GRPC_DEADLINE_MS: '2000',
    ...options.env,
  });
  const clock = new TestClock(clockAt);
  const coworking = await startCoworking(config, {
    tokenVerifier: tokens.verifier,
    clock,
    logger: createLogger('coworking', process.env.COWORKING_TEST_LOG ?? 'silent'),
    ...(options.scheduler ? {} : { scheduler: false as const }),
  });
  return {
    coworking,
    config,
    database,
    clock,
    tokens,
    identity,
    known: (...users) => {
      for (const user of users) if (!identity.users.some((u) => u.id === user.id)) identity.add(user);
    },
    exchange,
    baseUrl,
    gql: graphqlAs(`${baseUrl}/graphql`, tokens),
    stop: async () => {
      await coworking.close();
      await identity.stop();
      await database.drop();
    },
  };
}
