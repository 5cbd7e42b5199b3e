// Starts a real Campus Sirius stack for an end-to-end test file: a fresh database per service
// (copied from the migrated template), the demo campus seeded by identity's real seed command,
// every requested subgraph as a real process (compiled JS, tracing preloaded) and the router, all
// on free ports, with a RabbitMQ exchange of its own. Tests talk only to the router, like clients.
import amqp from 'amqplib';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  REPO_ROOT,
  createTestDatabase,
  freePort,
  graphqlRequest,
  startProcess,
  type GraphQLRequestOptions,
  type GraphQLResponse,
  type ServiceProcess,
  type TestDatabase,
} from '@campus/testkit';
import { consumerQueues } from '@campus/platform';
import {
  SERVICE_NODE_FLAGS,
  grpcDependencyEnv,
  routerServiceEnv,
  serviceSpec,
  type ServiceName,
} from '../../scripts/lib/services';

export type { ServiceName };

export const DEMO_PASSWORD = 'sirius2026';

type ProcessEnv = Record<string, string>;
const resolveEnv = (env: ProcessEnv | (() => ProcessEnv) | undefined): ProcessEnv =>
  typeof env === 'function' ? env() : (env ?? {});

export interface StackOptions {
  services: ServiceName[];
  /** Extra instances of a service (same database), e.g. { notification: 2 }. */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Per-process environment overrides. */
  /**
   * Per-process environment overrides. A function is called when that process is spawned, for
   * values that depend on when it starts (e.g. a clock time a few seconds ahead).
   */
  env?: Partial<Record<ServiceName | 'router', ProcessEnv | (() => ProcessEnv)>>;
  /** Extra Node options per process, e.g. { router: ['--cpu-prof'] } (the bench's profiles). */
  nodeArgs?: Partial<Record<ServiceName | 'router', string[]>>;
}

export interface Stack {
  routerUrl: string;
  /** The router's internal listener: /metrics and detailed readiness (never public). */
  routerMetricsUrl: string;
  graphqlUrl: string;
  /** Every instance of each service, in start order. */
  services: Partial<Record<ServiceName, ServiceProcess[]>>;
  router: ServiceProcess;
  /** What the router was started with (its environment above the testkit's defaults): the bench starts another build of it alike. */
  routerEnv: Record<string, string>;
  databases: Partial<Record<ServiceName, TestDatabase>>;
  ports: Partial<Record<ServiceName, { http: number; grpc: number }[]>>;
  amqpExchange: string;
  /** Queue names a test may want to inspect or clean (per service). */
  amqpQueues: Partial<Record<ServiceName, string>>;
  login(email: string, password?: string): Promise<string>;
  /**
   * Kills the first instance of `name` with `signal` (SIGKILL: no clean shutdown, as a crash) and
   * starts it again on the same ports and database, with `env` on top of its environment.
   */
  restart(name: ServiceName, options?: { signal?: NodeJS.Signals; env?: ProcessEnv }): Promise<ServiceProcess>;
  graphql<T = Record<string, unknown>>(query: string, options?: GraphQLRequestOptions): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

function runNode(script: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, script)], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} failed (${code}):\n${output}`))));
  });
}

/** The stack's exchanges and queues have unique names; remove them so runs leave nothing behind. */
async function deleteBrokerObjects(exchange: string, liveExchange: string, notificationQueue: string): Promise<void> {
  const connection = await amqp
    .connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672')
    .catch(() => undefined);
  if (!connection) return;
  try {
    const channel = await connection.createChannel();
    const { main, retries, parked } = consumerQueues(notificationQueue);
    for (const queue of [main, ...retries, parked]) await channel.deleteQueue(queue);
    await channel.deleteExchange(liveExchange);
    await channel.deleteExchange(exchange);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const suffix = randomBytes(4).toString('hex');
  const amqpExchange = `campus.events.e2e.${suffix}`;
  const amqpQueues: Partial<Record<ServiceName, string>> = { notification: `notification.events.e2e.${suffix}` };
  const liveExchange = `campus.notifications.live.e2e.${suffix}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'campus-e2e-'));
  // identity issues the tokens (JWKS) and seeds the campus: always there, started first.
  const services = [...new Set<ServiceName>(['identity', ...options.services])];
  const absent = services.filter((name) => !serviceSpec(name).present);
  if (absent.length) throw new Error(`not in this checkout: ${absent.map((n) => `subgraphs/${n}`).join(', ')}`);
  const routerPort = await freePort();
  const routerUrl = `http://127.0.0.1:${routerPort}`;
  const routerMetricsPort = await freePort();

  const databases: Partial<Record<ServiceName, TestDatabase>> = {};
  const ports: Partial<Record<ServiceName, { http: number; grpc: number }[]>> = {};
  for (const name of services) {
    databases[name] = await createTestDatabase(name);
    ports[name] = [];
    for (let i = 0; i < (options.replicas?.[name] ?? 1); i++)
      ports[name]!.push({ http: await freePort(), grpc: await freePort() });
  }
  const first = (name: ServiceName) => ports[name]?.[0];
  const identity = first('identity')!;
  const jwksUrl = `http://127.0.0.1:${identity.http}/.well-known/jwks.json`;

  const envFor = (name: ServiceName, instance: { http: number; grpc: number }): Record<string, string> => ({
    BIND_HOST: '127.0.0.1',
    HTTP_PORT: String(instance.http),
    GRPC_PORT: String(instance.grpc),
    DATABASE_URL: databases[name]!.url,
    DB_POOL_SIZE: '5',
    AUTH_JWKS_URL: jwksUrl,
    ...grpcDependencyEnv(serviceSpec(name), (dependency) => {
      const target = first(dependency);
      return target && `127.0.0.1:${target.grpc}`;
    }),
    AMQP_URL: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    AMQP_EXCHANGE: amqpExchange,
    NOTIFICATION_QUEUE: amqpQueues.notification!,
    NOTIFICATION_LIVE_EXCHANGE: liveExchange,
    DOCUMENT_STORAGE_DIR: path.join(dataDir, 'documents'),
    PHOTO_STORAGE_DIR: path.join(dataDir, 'photos'),
    PUBLIC_BASE_URL: routerUrl,
    DEMO_PASSWORD,
    ...resolveEnv(options.env?.[name]),
  });

  const started: Partial<Record<ServiceName, ServiceProcess[]>> = {};
  const all: ServiceProcess[] = [];
  const spawnInstance = async (name: ServiceName, i: number, extraEnv: ProcessEnv = {}) => {
    const instance = ports[name]![i]!;
    const proc = await startProcess({
      name: i === 0 ? name : `${name}-${i + 1}`,
      script: `subgraphs/${name}/dist/main.js`,
      env: { ...envFor(name, instance), ...extraEnv },
      nodeArgs: [...SERVICE_NODE_FLAGS, ...(options.nodeArgs?.[name] ?? [])],
      readyUrl: `http://127.0.0.1:${instance.http}/health/liveness`,
    });
    all.push(proc);
    return proc;
  };
  const start = async (name: ServiceName) => {
    started[name] = [];
    for (const i of ports[name]!.keys()) started[name]!.push(await spawnInstance(name, i));
  };
  const restart: Stack['restart'] = async (name, { signal = 'SIGKILL', env = {} } = {}) => {
    const old = started[name]?.[0];
    if (!old) throw new Error(`${name} is not part of this stack`);
    if (old.child.exitCode === null && old.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => old.child.once('exit', () => resolve()));
      old.child.kill(signal);
      await exited;
    }
    all.splice(all.indexOf(old), 1);
    const fresh = await spawnInstance(name, 0, env);
    started[name]![0] = fresh;
    return fresh;
  };

  const stopAll = async () => {
    await Promise.all(all.map((p) => p.stop()));
    await Promise.all(Object.values(databases).map((db) => db!.drop().catch(() => undefined)));
    fs.rmSync(dataDir, { recursive: true, force: true });
    await deleteBrokerObjects(amqpExchange, liveExchange, amqpQueues.notification!);
  };

  try {
    await runNode('subgraphs/identity/dist/seed/main.js', { DATABASE_URL: databases.identity!.url, DEMO_PASSWORD });
    await start('identity');
    await Promise.all(services.filter((s) => s !== 'identity').map(start));
    const routerEnv = {
      BIND_HOST: '127.0.0.1',
      HTTP_PORT: String(routerPort),
      ROUTER_PORT: String(routerPort),
      METRICS_PORT: String(routerMetricsPort),
      // Every test signs in many users from one address; the limits themselves are router tests.
      RATE_LIMIT_LOGIN_POINTS: '100000',
      RATE_LIMIT_POINTS: '1000000',
      AUTH_JWKS_URL: jwksUrl,
      ...routerServiceEnv(services.map(serviceSpec), (s) => `http://127.0.0.1:${first(s)!.http}`),
      ...resolveEnv(options.env?.router),
    };
    const router = await startProcess({
      name: 'router',
      script: 'router/dist/main.js',
      env: routerEnv,
      readyUrl: `${routerUrl}/health/liveness`,
      nodeArgs: [...SERVICE_NODE_FLAGS, ...(options.nodeArgs?.router ?? [])],
    });
    all.push(router);

    const graphqlUrl = `${routerUrl}/graphql`;
    const graphql = <T = Record<string, unknown>>(query: string, opts?: GraphQLRequestOptions) =>
      graphqlRequest<T>(graphqlUrl, query, opts);
    const login = async (email: string, password = DEMO_PASSWORD) => {
      const res = await graphql<{ login: { accessToken: string } }>(
        'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
        { variables: { email, password } },
      );
      if (!res.data?.login) throw new Error(`login ${email} failed: ${JSON.stringify(res.errors)}`);
      return res.data.login.accessToken;
    };
    return {
      routerUrl,
      routerMetricsUrl: `http://127.0.0.1:${routerMetricsPort}`,
      graphqlUrl,
      services: started,
      router,
      routerEnv,
      databases,
      ports,
      amqpExchange,
      amqpQueues,
      login,
      restart,
      graphql,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
