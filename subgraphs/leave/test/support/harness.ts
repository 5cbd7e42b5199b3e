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
  graphqlAs,
  serviceTestEnv,
  testTokens,
  uniqueBrokerNames,
  type GraphQLAs,
  type TestDatabase,
} from '@campus/testkit';
import { startLeave, type RunningLeave } from '../../src/app';
import { loadLeaveConfig, type LeaveConfig } from '../../src/config';

/** Another instance of the service (same database, exchange and documents): a replica. */
export interface LeaveReplica {
  leave: RunningLeave;
  baseUrl: string;
  gql: GraphQLAs;
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
  startReplica(options?: ReplicaOptions): Promise<LeaveReplica>;
  /** A GraphQL call as `user` (anonymous when null). */
  gql: GraphQLAs;
  stop(): Promise<void>;
}

export interface ReplicaOptions {
  /** Its AMQP URL (e.g. a TcpProxy). */
  amqpUrl?: string;
  /** Settings of its own, e.g. another FILE_URL_SECRET as in a rotation rolling out. */
  config?: Partial<LeaveConfig>;
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
    ...serviceTestEnv({
      databaseUrl: database.url,
      exchange,
      httpPort,
      ...(options.amqpUrl ? { amqpUrl: options.amqpUrl } : {}),
    }),
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
  const replicas: RunningLeave[] = [];
  const startReplica = async ({ amqpUrl, config: own }: ReplicaOptions = {}): Promise<LeaveReplica> => {
    const port = await freePort();
    const amqp = amqpUrl ? { amqp: { ...config.amqp, url: amqpUrl } } : {};
    const replica = await startLeave({ ...config, ...own, httpPort: port, grpcPort: 0, ...amqp }, dependencies);
    replicas.push(replica);
    return {
      leave: replica,
      baseUrl: `http://127.0.0.1:${port}`,
      gql: graphqlAs(`http://127.0.0.1:${port}/graphql`, tokens),
    };
  };
  const stop = async () => {
    for (const replica of replicas) await replica.close();
    await leave.close();
    await identity.stop();
    await observer.stop();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const gql = graphqlAs(`${baseUrl}/graphql`, tokens);
  return { leave, config, database, identity, observer, clock, baseUrl, dataDir, startReplica, gql, stop };
}
