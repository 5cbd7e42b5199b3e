import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@campus/platform';
import {
  EventObserver,
  IdentityDouble,
  TestClock,
  createTestDatabase,
  freePort,
  graphqlRequest,
  testAmqpUrl,
  testTokens,
  uniqueBrokerNames,
  type GraphQLResponse,
  type TestDatabase,
  type TestUser,
} from '@campus/testkit';
import { startLeave, type RunningLeave } from '../../src/app';
import { loadLeaveConfig, type LeaveConfig } from '../../src/config';

type Gql = <T = Record<string, unknown>>(
  user: TestUser | null,
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
) => Promise<GraphQLResponse<T>>;

/** Another instance of the service (same database, exchange and documents): a replica. */
export interface LeaveReplica {
  leave: RunningLeave;
  baseUrl: string;
  gql: Gql;
}

export interface LeaveHarness {
  leave: RunningLeave;
  config: LeaveConfig;
  database: TestDatabase;
  identity: IdentityDouble;
  observer: EventObserver;
  clock: TestClock;
  baseUrl: string;
  dataDir: string;
  /** Starts one more instance on the same database (its AMQP URL may differ, e.g. a proxy). */
  startReplica(options?: { amqpUrl?: string }): Promise<LeaveReplica>;
  /** A GraphQL call as `user` (anonymous when null). */
  gql: Gql;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** AMQP URL the service uses (e.g. through a TcpProxy); the observer always uses the real broker. */
  amqpUrl?: string;
  env?: Record<string, string>;
}

/**
 * The leave service in-process on a fresh database, with a real identity gRPC double, local
 * test tokens, its own exchange (observed by a bound queue) and its own document directory.
 */
export async function startLeaveHarness(options: HarnessOptions = {}): Promise<LeaveHarness> {
  const database = await createTestDatabase('leave');
  const identity = await new IdentityDouble().start();
  const tokens = await testTokens();
  const { exchange } = uniqueBrokerNames('leave');
  const observer = await new EventObserver(exchange).start();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'leave-it-'));
  const httpPort = await freePort();
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const config = loadLeaveConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HTTP_PORT: String(httpPort),
    GRPC_PORT: '0',
    DATABASE_URL: database.url,
    DB_POOL_SIZE: '5',
    AMQP_URL: options.amqpUrl ?? testAmqpUrl(),
    AMQP_EXCHANGE: exchange,
    IDENTITY_GRPC_URL: identity.address,
    GRPC_DEADLINE_MS: '2000',
    PUBLIC_BASE_URL: baseUrl,
    DOCUMENT_STORAGE_DIR: path.join(dataDir, 'documents'),
    UPLOAD_SPOOL_DIR: path.join(dataDir, 'spool'),
    FILE_URL_SECRET_FILE: path.join(dataDir, 'file-url-secret'),
    // The suites submit many applications per student; limits.test.ts tests the limit itself.
    LEAVE_MAX_PENDING_PER_STUDENT: '1000',
    ...options.env,
  });
  const clock = new TestClock();
  const dependencies = {
    tokenVerifier: tokens.verifier,
    clock,
    logger: createLogger('leave', process.env.LEAVE_TEST_LOG ?? 'silent'),
  };
  const leave = await startLeave(config, dependencies);
  const gqlAt =
    (url: string): Gql =>
    async (user, query, variables, headers) =>
      graphqlRequest(url, query, {
        variables: variables ?? {},
        ...(headers ? { headers } : {}),
        ...(user ? { token: await tokens.tokenFor(user) } : {}),
      });
  const replicas: RunningLeave[] = [];
  const startReplica = async ({ amqpUrl }: { amqpUrl?: string } = {}): Promise<LeaveReplica> => {
    const port = await freePort();
    const amqp = amqpUrl ? { amqp: { ...config.amqp, url: amqpUrl } } : {};
    const replica = await startLeave({ ...config, httpPort: port, grpcPort: 0, ...amqp }, dependencies);
    replicas.push(replica);
    return { leave: replica, baseUrl: `http://127.0.0.1:${port}`, gql: gqlAt(`http://127.0.0.1:${port}/graphql`) };
  };
  const stop = async () => {
    for (const replica of replicas) await replica.close();
    await leave.close();
    await identity.stop();
    await observer.stop();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const gql = gqlAt(`${baseUrl}/graphql`);
  return { leave, config, database, identity, observer, clock, baseUrl, dataDir, startReplica, gql, stop };
}
