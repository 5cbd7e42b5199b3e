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
  type TestTokens,
} from '@campus/testkit';
import { startDuty, type RunningDuty } from '../../src/app';
import { loadDutyConfig, type DutyConfig } from '../../src/config';
import { FakeCampus } from './fakes';

export interface DutyHarnessOptions {
  /** Rooms and residents the service sees (default: an empty campus to fill). */
  campus?: FakeCampus;
  /** Extra environment for loadDutyConfig (e.g. DUTY_DEADLINE_TIME). */
  env?: Record<string, string>;
}

export interface DutyHarness {
  duty: RunningDuty;
  config: DutyConfig;
  database: TestDatabase;
  clock: TestClock;
  /** identity's rooms and residents, in memory: add rooms, move students in and out. */
  campus: FakeCampus;
  tokens: TestTokens;
  /** The test's own exchange (bind an EventObserver to it). */
  exchange: string;
  baseUrl: string;
  /** A GraphQL call as `user` (anonymous when null). */
  gql: GraphQLAs;
  stop(): Promise<void>;
}

/**
 * The duty service in-process on a fresh database, with local test tokens, a clock standing
 * still at `clockAt`, an exchange of its own and an in-memory campus instead of identity.
 */
export async function startDutyHarness(
  clockAt = '2026-03-01T09:00:00.000Z',
  options: DutyHarnessOptions = {},
): Promise<DutyHarness> {
  const database = await createTestDatabase('duty');
  const tokens = await testTokens();
  const { exchange } = uniqueBrokerNames('duty');
  const httpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const config = loadDutyConfig({
    ...serviceTestEnv({ databaseUrl: database.url, exchange, httpPort }),
    ...options.env,
  });
  const clock = new TestClock(clockAt);
  const campus = options.campus ?? new FakeCampus();
  const duty = await startDuty(config, {
    tokenVerifier: tokens.verifier,
    clock,
    rooms: campus,
    logger: createLogger('duty', process.env.DUTY_TEST_LOG ?? 'silent'),
  });
  return {
    duty,
    config,
    database,
    clock,
    campus,
    tokens,
    exchange,
    baseUrl,
    gql: graphqlAs(`${baseUrl}/graphql`, tokens),
    stop: async () => {
      await duty.close();
      await database.drop();
    },
  };
}
