// The gateways the bench compares with the project's router, each a process of its own on the same
// supergraph (its subgraph URLs pointed at the bench stack): Hive Gateway (its CLI, pinned in
// bench/package.json) and a vanilla Apollo Gateway.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@campus/testkit';
import { REPO_ROOT, SERVICE_NODE_FLAGS } from '../../scripts/lib/services';

/** The other gateways run with the router's V8 flags: the comparison is of code, not of GC settings. */
export const SAME_V8_FLAGS = { NODE_OPTIONS: SERVICE_NODE_FLAGS.join(' ') };

export interface GatewayProcess {
  name: string;
  graphqlUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** The supergraph with each subgraph's `@join__graph(url:)` replaced by the bench stack's URL. */
export function supergraphFor(sdl: string, urls: Record<string, string>): string {
  return sdl.replace(/@join__graph\(name: "([^"]+)", url: "[^"]*"\)/g, (whole, name: string) =>
    urls[name] ? `@join__graph(name: "${name}", url: "${urls[name]}")` : whole,
  );
}

async function waitUntilReady(url: string, child: ChildProcess, name: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${output()}`);
    // a GraphQL request, so "ready" means the supergraph is loaded, whatever the gateway's health routes
    const ok = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} was not ready within 60 s:\n${output()}`);
}

/** A server process, ready once it answers a GraphQL POST on `port`; stopped with SIGTERM. */
export async function startGatewayProcess(
  name: string,
  command: string,
  args: string[],
  port: number,
  env: Record<string, string> = {},
  cwd = REPO_ROOT,
): Promise<GatewayProcess> {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${base}/graphql`, child, name, () => output);
  return {
    name,
    graphqlUrl: `${base}/graphql`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Hive Gateway's CLI (`hive-gateway supergraph`), `workers` processes (`--fork`), forwarding the
 * caller's Authorization header to the subgraphs. Its other defaults stay as shipped.
 */
export async function startHiveGateway(
  supergraphPath: string,
  workers: number,
  nodeArgs: readonly string[] = [],
): Promise<GatewayProcess> {
  const port = await freePort();
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'campus-bench-hive-'));
  const config = path.join(configDir, 'gateway.config.mjs');
  fs.writeFileSync(
    config,
    `export const gatewayConfig = {
  logging: 'error',
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? undefined }),
  },
};
`,
  );
  // its CLI script run by this Node, so that Node options (a CPU profile's) reach it and its --fork workers
  const bin = fs.realpathSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'hive-gateway'));
  const gateway = await startGatewayProcess(
    'Hive Gateway',
    process.execPath,
    [
      ...nodeArgs,
      bin,
      'supergraph',
      supergraphPath,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--fork',
      String(workers),
      '-c',
      config,
    ],
    port,
    SAME_V8_FLAGS,
  );
  return {
    ...gateway,
    stop: async () => {
      await gateway.stop();
      fs.rmSync(configDir, { recursive: true, force: true });
    },
  };
}

/** One of the bench's own TypeScript servers (bench/src/<script>) on a free port, with the gateways' V8 flags. */
async function startBenchServer(
  name: string,
  script: string,
  nodeArgs: readonly string[],
  env: Record<string, string>,
): Promise<GatewayProcess> {
  const port = await freePort();
  return startGatewayProcess(
    name,
    process.execPath,
    [...nodeArgs, '--import', 'tsx', path.join(REPO_ROOT, 'bench', 'src', script)],
    port,
    { ...SAME_V8_FLAGS, ...env, PORT: String(port) },
  );
}

/** @apollo/gateway + @apollo/server standalone, as in Apollo's docs (bench/src/vanilla-apollo-gateway.ts). */
export function startVanillaApolloGateway(
  supergraphPath: string,
  nodeArgs: readonly string[] = [],
): Promise<GatewayProcess> {
  return startBenchServer('vanilla Apollo Gateway', 'vanilla-apollo-gateway.ts', nodeArgs, {
    SUPERGRAPH_PATH: supergraphPath,
  });
}

/**
 * Another build of the project's router (BENCH_ROUTER_BEFORE: a checkout of an earlier commit,
 * installed and built), started exactly like the stack's router — its environment, the current
 * supergraph, tracing preloaded from that checkout — on ports of its own: the before/after of a
 * change measured in one interleaved run.
 */
export async function startRouterBuild(
  name: string,
  checkout: string,
  routerEnv: Record<string, string>,
  supergraphPath: string,
): Promise<GatewayProcess> {
  const entry = path.join(checkout, 'router', 'dist', 'main.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: run npm ci and npm run build in ${checkout} first`);
  const [port, metricsPort] = [await freePort(), await freePort()];
  return startGatewayProcess(
    name,
    process.execPath,
    ['-r', '@campus/platform/telemetry-register', entry],
    port,
    {
      NODE_ENV: 'test',
      ...SAME_V8_FLAGS,
      ...routerEnv,
      APOLLO_TELEMETRY_DISABLED: '1',
      OTEL_SERVICE_NAME: 'router',
      HTTP_PORT: String(port),
      ROUTER_PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SUPERGRAPH_PATH: supergraphPath,
    },
    checkout,
  );
}

/** The plain Node hop (bench/src/plain-hop.ts): the join queries' plans and nothing else, the floor under a gateway. */
export function startPlainHop(
  subgraphUrls: Record<string, string>,
  dutyMonth: string | undefined,
  nodeArgs: readonly string[] = [],
): Promise<GatewayProcess> {
  return startBenchServer('plain Node hop', 'plain-hop.ts', nodeArgs, {
    SUBGRAPH_URLS: JSON.stringify(subgraphUrls),
    ...(dutyMonth ? { DUTY_MONTH: dutyMonth } : {}),
  });
}
