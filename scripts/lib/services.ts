// The service manifest: every subgraph of the campus (present or planned), its default ports, its
// database, the gRPC services it calls and the plain HTTP routes the router proxies to it. `npm start`,
// the e2e harness and `npm run services:check` (which holds docker-compose.yml, supergraph.yaml,
// deploy/postgres/init.sh and deploy/prometheus/prometheus.yml against it) all read this one table.
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ROUTER_PORT = 4000;

/**
 * V8 flags every service process (subgraphs and router) runs with: `npm start`, the e2e/bench stack
 * and the image's CMD (`npm run services:check` holds the Dockerfile to this list).
 *
 * `--max-semi-space-size=64`: a young generation that holds the garbage of the requests in flight.
 * With V8's default (16 MB) the objects of large answers (a campus tree: ~3,000) outlive scavenges
 * while 16 requests run, get promoted and cost mark-compacts: identity spent a third of its CPU in GC.
 * Measured (bench, 2,000 students, 16 clients): identity's CPU per one-building tree 5.2 → 2.9 ms, the
 * tree's p95 through the router 150–160 → 92–100 ms; peak RSS under that load unchanged (identity
 * ~520 MB either way). The semi-spaces start at 1 MB and grow only under such load.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

interface ManifestRow {
  name: string;
  httpPort: number;
  grpcPort: number;
  /** gRPC services this one calls; it gets `<NAME>_GRPC_URL` for each. */
  calls: readonly string[];
  /** Path prefixes the router forwards to this service's HTTP listener (uploads, downloads, streams). */
  proxyRoutes: readonly string[];
}

// A planned row reserves its ports; its `calls` are corrected when the subgraph lands.
const MANIFEST = [
  { name: 'identity', httpPort: 4001, grpcPort: 50051, calls: [], proxyRoutes: [] },
  { name: 'patrol', httpPort: 4002, grpcPort: 50052, calls: ['identity', 'leave'], proxyRoutes: [] },
  {
    name: 'duty',
    httpPort: 4003,
    grpcPort: 50053,
    calls: ['identity'],
    proxyRoutes: ['/uploads/duty', '/files/duty', '/calendars/duty'],
  },
  { name: 'coworking', httpPort: 4004, grpcPort: 50054, calls: ['identity'], proxyRoutes: [] },
  {
    name: 'leave',
    httpPort: 4005,
    grpcPort: 50055,
    calls: ['identity'],
    proxyRoutes: ['/uploads/leave', '/files/leave'],
  },
  {
    name: 'notification',
    httpPort: 4006,
    grpcPort: 50056,
    calls: ['identity'],
    proxyRoutes: ['/notifications/stream'],
  },
  {
    name: 'checkout',
    httpPort: 4007,
    grpcPort: 50057,
    calls: ['identity', 'coworking', 'leave', 'duty'],
    proxyRoutes: [],
  },
] as const satisfies readonly ManifestRow[];

export type ServiceName = (typeof MANIFEST)[number]['name'];

export interface ServiceSpec {
  name: ServiceName;
  httpPort: number;
  grpcPort: number;
  /** Its own PostgreSQL database, `campus_<name>` (owner `<name>` in deploy/postgres/init.sh). */
  database: string;
  calls: readonly ServiceName[];
  proxyRoutes: readonly string[];
  /** `subgraphs/<name>/src/main.ts` exists in this checkout (a subgraph lands with its issue). */
  present: boolean;
}

export const SUBGRAPHS: readonly ServiceSpec[] = MANIFEST.map((row) => ({
  ...row,
  database: `campus_${row.name}`,
  present: fs.existsSync(path.join(REPO_ROOT, 'subgraphs', row.name, 'src', 'main.ts')),
}));

export const presentSubgraphs = (): ServiceSpec[] => SUBGRAPHS.filter((s) => s.present);

export function serviceSpec(name: ServiceName): ServiceSpec {
  const spec = SUBGRAPHS.find((s) => s.name === name);
  if (!spec) throw new Error(`unknown service ${name}`);
  return spec;
}

const envName = (name: string) => name.toUpperCase().replace(/-/g, '_');
/** The variable a caller reads the address of `name`'s gRPC server from, e.g. LEAVE_GRPC_URL. */
export const grpcUrlVariable = (name: string) => `${envName(name)}_GRPC_URL`;
/** The router's override of `name`'s routing URL, e.g. SUBGRAPH_LEAVE_URL. */
export const subgraphUrlVariable = (name: string) => `SUBGRAPH_${envName(name)}_URL`;

/**
 * `<NAME>_GRPC_URL` for every service `spec` calls whose address is known (`grpcAddressOf` returns
 * undefined for a service that is not running: the caller then keeps its default).
 */
export function grpcDependencyEnv(
  spec: ServiceSpec,
  grpcAddressOf: (name: ServiceName) => string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const dependency of spec.calls) {
    const address = grpcAddressOf(dependency);
    if (address) env[grpcUrlVariable(dependency)] = address;
  }
  return env;
}

/** The router's value of PROXY_ROUTES for `services`: "<prefix>=<origin>" entries, comma separated. */
export function proxyRoutesValue(
  services: readonly ServiceSpec[],
  httpOriginOf: (name: ServiceName) => string,
): string {
  return services.flatMap((s) => s.proxyRoutes.map((prefix) => `${prefix}=${httpOriginOf(s.name)}`)).join(',');
}

/** The router's environment for `services`: SUBGRAPH_<NAME>_URL of each and PROXY_ROUTES. */
export function routerServiceEnv(
  services: readonly ServiceSpec[],
  httpOriginOf: (name: ServiceName) => string,
): Record<string, string> {
  return {
    ...Object.fromEntries(services.map((s) => [subgraphUrlVariable(s.name), `${httpOriginOf(s.name)}/graphql`])),
    PROXY_ROUTES: proxyRoutesValue(services, httpOriginOf),
  };
}
