// Integration-test harness: the patrol service in-process over a fresh database and a RabbitMQ
// exchange of its own, with identity and leave replaced AT THE NETWORK BOUNDARY by real gRPC
// servers whose behaviour each test scripts, and access tokens signed with a local ES256 key.
import {
  EventObserver,
  IdentityDouble,
  TestClock,
  createTestDatabase,
  graphqlAs,
  serviceTestEnv,
  testTokens,
  uniqueBrokerNames,
  type GraphQLResponse,
  type TestDatabase,
  type TestUser,
} from '@campus/testkit';
import { startPatrol, type RunningPatrol } from '../../src/app';
import { loadPatrolConfig } from '../../src/config';
import { LeaveDouble } from './leave-double';

export interface Harness {
  patrol: RunningPatrol;
  db: TestDatabase;
  identity: IdentityDouble;
  leave: LeaveDouble;
  /** Every patrol event published to the test's exchange. */
  events: EventObserver;
  url: string;
  /** The service's clock, standing still until a test moves it. */
  clock: TestClock;
  graphql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    as?: TestUser,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestDatabase('patrol');
  const identity = await new IdentityDouble().start();
  const leave = await new LeaveDouble().start();
  const { exchange } = uniqueBrokerNames('patrol');
  const events = await new EventObserver(exchange, 'campus.patrol.#').start();
  const tokens = await testTokens();
  const clock = new TestClock(new Date());
  const config = loadPatrolConfig({
    ...serviceTestEnv({ databaseUrl: db.url, exchange, poolSize: 4 }),
    LOG_LEVEL: process.env.PATROL_TEST_LOG_LEVEL ?? 'silent',
    IDENTITY_GRPC_URL: identity.address,
    LEAVE_GRPC_URL: leave.address,
    ...env,
  });
  const patrol = await startPatrol(config, { tokenVerifier: tokens.verifier, clock });
  const url = `http://127.0.0.1:${patrol.httpPort}/graphql`;
  const gql = graphqlAs(url, tokens);
  return {
    patrol,
    db,
    identity,
    leave,
    events,
    url,
    clock,
    graphql: (query, variables, as) => gql(as ?? null, query, variables),
    close: async () => {
      await patrol.close();
      await Promise.all([identity.stop(), leave.stop(), events.stop()]);
      await db.drop();
    },
  };
}
