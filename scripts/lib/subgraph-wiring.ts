// The edits that wire a new subgraph into the files outside its room (README "Adding a subgraph"):
// its manifest row, supergraph.yaml, docker-compose.yml, deploy/postgres/init.sh and
// deploy/prometheus/prometheus.yml: exactly what `npm run services:check` holds against the
// manifest. Pure: file contents in, file contents out (YAML through YamlSplice, so comments and
// formatting survive).
import { graphqlSchemaFile } from './check-services';
import { grpcUrlVariable, subgraphUrlVariable } from './services';
import { YamlSplice } from './yaml-splice';

/** A row of the manifest as scripts/lib/services.ts writes it. */
export interface ManifestRow {
  name: string;
  httpPort: number;
  grpcPort: number;
  calls: string[];
  proxyRoutes: string[];
}

const MANIFEST_START = /^const MANIFEST = \[$/m;
const MANIFEST_END = /^\] as const satisfies readonly ManifestRow\[\];$/m;

const quotedList = (text: string | undefined): string[] => [...(text ?? '').matchAll(/'([^']*)'/g)].map((m) => m[1]!);

/** The rows of the manifest's `MANIFEST` table (each row is a flat object literal). */
export function manifestRows(source: string): ManifestRow[] {
  const start = MANIFEST_START.exec(source);
  const end = MANIFEST_END.exec(source);
  if (!start || !end) throw new Error('scripts/lib/services.ts: the MANIFEST table was not found');
  const table = source.slice(start.index, end.index);
  return [...table.matchAll(/\{([^{}]*)\}/g)].map(([, body = '']) => {
    const name = /name:\s*'([^']+)'/.exec(body)?.[1];
    const httpPort = /httpPort:\s*(\d+)/.exec(body)?.[1];
    const grpcPort = /grpcPort:\s*(\d+)/.exec(body)?.[1];
    if (!name || !httpPort || !grpcPort) throw new Error(`scripts/lib/services.ts: unreadable manifest row {${body}}`);
    return {
      name,
      httpPort: Number(httpPort),
      grpcPort: Number(grpcPort),
      calls: quotedList(/calls:\s*\[([^\]]*)\]/.exec(body)?.[1]),
      proxyRoutes: quotedList(/proxyRoutes:\s*\[([^\]]*)\]/.exec(body)?.[1]),
    };
  });
}

/** The manifest with a row for a new subgraph (it calls nobody and serves no proxy route yet). */
export function addManifestRow(source: string, row: Pick<ManifestRow, 'name' | 'httpPort' | 'grpcPort'>): string {
  const end = MANIFEST_END.exec(source);
  if (!end) throw new Error('scripts/lib/services.ts: the MANIFEST table was not found');
  const line = `  { name: '${row.name}', httpPort: ${row.httpPort}, grpcPort: ${row.grpcPort}, calls: [], proxyRoutes: [] },\n`;
  return source.slice(0, end.index) + line + source.slice(end.index);
}

/** supergraph.yaml with the subgraph composed from its schema.graphql, on its HTTP port. */
export function wireSupergraph(source: string, row: ManifestRow): string {
  return new YamlSplice('supergraph.yaml', source)
    .addEntry(
      ['subgraphs'],
      [
        `${row.name}:`,
        `  routing_url: http://127.0.0.1:${row.httpPort}/graphql`,
        '  schema:',
        `    file: ./${graphqlSchemaFile(row.name)}`,
      ],
    )
    .toString();
}

/** `${<NAME>_DB_PASSWORD:?…}`: compose stops `up` naming the variable when .env lacks it (no default password). */
const requiredSecret = (secret: string) => `\${${secret}:?set ${secret} in .env}`;

/**
 * docker-compose.yml with the subgraph's service (the shared `*service` and `*env` anchors, its
 * ports, its database, a `<NAME>_GRPC_URL` per service it calls), its migrations in `migrate`, its
 * database owner's password (`<NAME>_DB_PASSWORD`, required from .env) in `postgres` and `migrate`,
 * and the router's `SUBGRAPH_<NAME>_URL`, `depends_on` and PROXY_ROUTES (the row's proxyRoutes).
 */
export function wireCompose(source: string, row: ManifestRow, manifest: readonly ManifestRow[]): string {
  const yaml = new YamlSplice('docker-compose.yml', source);
  const secret = `${row.name.toUpperCase()}_DB_PASSWORD`;
  // Compose reads ports as strings: quoted as the router's port is.
  const q = yaml.quoteOf(['services', 'router', 'environment', 'HTTP_PORT']) || "'";
  const dependencies = row.calls.map((name) => {
    const callee = manifest.find((r) => r.name === name);
    if (!callee) throw new Error(`scripts/lib/services.ts: ${row.name} calls ${name}, which has no row`);
    return `    ${grpcUrlVariable(name)}: ${name}:${callee.grpcPort}`;
  });
  yaml.addEntry(
    ['services'],
    [
      `${row.name}:`,
      '  <<: *service',
      `  build: { context: ., target: runtime, args: { SERVICE: ${row.name} } }`,
      '  environment:',
      '    <<: *env',
      `    HTTP_PORT: ${q}${row.httpPort}${q}`,
      `    GRPC_PORT: ${q}${row.grpcPort}${q}`,
      `    DATABASE_URL: postgresql://${row.name}:${requiredSecret(secret)}@postgres:5432/campus_${row.name}`,
      ...dependencies,
    ],
    { before: 'router' },
  );
  yaml.addEntry(
    ['services', 'router', 'environment'],
    [`${subgraphUrlVariable(row.name)}: http://${row.name}:${row.httpPort}/graphql`],
    { after: (key) => /^SUBGRAPH_\w+_URL$/.test(key) },
  );
  yaml.appendToFlowSeq(['services', 'router', 'depends_on'], row.name);
  if (row.proxyRoutes.length) {
    const routes = row.proxyRoutes.map((prefix) => `${prefix}=http://${row.name}:${row.httpPort}`);
    const path = ['services', 'router', 'environment', 'PROXY_ROUTES'];
    const current = String(yaml.value(path) ?? '').trim();
    if (current) yaml.replaceScalar(path, [current, ...routes].join(','));
    else yaml.addEntry(['services', 'router', 'environment'], [`PROXY_ROUTES: ${routes.join(',')}`]);
  }
  const migrated = String(yaml.value(['services', 'migrate', 'environment', 'SERVICES']) ?? '').trim();
  yaml.replaceScalar(['services', 'migrate', 'environment', 'SERVICES'], `${migrated} ${row.name}`.trim());
  // init.sh creates the owner with this password; migrate connects as it.
  for (const service of ['postgres', 'migrate']) {
    const environment = ['services', service, 'environment'];
    const present = yaml.value(environment) as Record<string, unknown> | undefined;
    if (!present || secret in present) continue;
    yaml.addEntry(environment, [`${secret}: ${requiredSecret(secret)}`], {
      after: (key) => /^[A-Z]+_DB_PASSWORD$/.test(key),
    });
  }
  return yaml.toString();
}

const DB_PASSWORD_LINE = /^[A-Z]+_DB_PASSWORD=.*$/gm;

/**
 * .env.example with a placeholder for the subgraph's database owner password, after the other
 * services' (or at the end), so that a copy of it brings `docker compose up` everything it requires.
 */
export function wireEnvExample(source: string, name: string): string {
  const secret = `${name.toUpperCase()}_DB_PASSWORD`;
  if (new RegExp(`^${secret}=`, 'm').test(source)) return source;
  const line = `${secret}=change-me-${name}-db`;
  const last = [...source.matchAll(DB_PASSWORD_LINE)].at(-1);
  if (!last) return `${source}${source.endsWith('\n') || !source ? '' : '\n'}${line}\n`;
  const at = last.index + last[0].length;
  return `${source.slice(0, at)}\n${line}${source.slice(at)}`;
}

const INIT_LOOP = /^for service in ([^;\n]*); do$/m;

/** deploy/postgres/init.sh creating the subgraph's database and owner (its one loop over the services). */
export function wirePostgresInit(source: string, name: string): string {
  const loop = INIT_LOOP.exec(source);
  if (!loop) throw new Error('deploy/postgres/init.sh: no "for service in <names>; do" loop');
  const names = `${(loop[1] ?? '').trim()} ${name}`.trim();
  return source.replace(INIT_LOOP, `for service in ${names}; do`);
}

/** The services deploy/postgres/init.sh creates a database for. */
export const postgresInitServices = (source: string): string[] =>
  (INIT_LOOP.exec(source)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);

/** deploy/prometheus/prometheus.yml scraping the subgraph's /metrics, in the list that holds the others. */
export function wirePrometheus(source: string, row: ManifestRow, manifest: readonly ManifestRow[]): string {
  const yaml = new YamlSplice('deploy/prometheus/prometheus.yml', source);
  return yaml.appendToFlowSeq(prometheusTargetsPath(yaml, manifest), `${row.name}:${row.httpPort}`).toString();
}

type ScrapeJobs = Array<{ static_configs?: Array<{ targets?: unknown[] }> }>;
const scrapeJobs = (yaml: YamlSplice) => (yaml.value(['scrape_configs']) ?? []) as ScrapeJobs;

/** Every `<host>:<port>` target prometheus.yml scrapes. */
export function prometheusTargets(source: string): string[] {
  const jobs = scrapeJobs(new YamlSplice('deploy/prometheus/prometheus.yml', source));
  return jobs.flatMap((job) => job.static_configs ?? []).flatMap((group) => (group.targets ?? []).map(String));
}

/** The `targets` list that already holds a subgraph (or the router), else the first one. */
function prometheusTargetsPath(yaml: YamlSplice, manifest: readonly ManifestRow[]): Array<string | number> {
  const hosts = new Set(['router', ...manifest.map((r) => r.name)]);
  const jobs = scrapeJobs(yaml);
  let first: Array<string | number> | undefined;
  for (const [j, job] of jobs.entries()) {
    for (const [g, group] of (job.static_configs ?? []).entries()) {
      const path = ['scrape_configs', j, 'static_configs', g, 'targets'];
      if (!Array.isArray(group.targets) || group.targets.length === 0) continue;
      first ??= path;
      if (group.targets.some((t) => hosts.has(String(t).split(':')[0]!))) return path;
    }
  }
  if (!first) throw new Error('deploy/prometheus/prometheus.yml: no static_configs targets to add to');
  return first;
}
