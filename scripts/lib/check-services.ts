// Holds the files that restate the service list against the manifest (scripts/lib/services.ts):
// supergraph.yaml, docker-compose.yml, deploy/postgres/init.sh, deploy/prometheus/prometheus.yml,
// each present subgraph's proto and Prisma schema, and the Dockerfile's V8 flags. Pure over file contents (`read`), so a test can
// feed it altered copies; `npm run services:check` (scripts/check-services.ts) feeds it the tree.
import YAML from 'yaml';
import { SERVICE_NODE_FLAGS, grpcUrlVariable, subgraphUrlVariable, type ServiceSpec } from './services';

export interface Problem {
  /** The file (relative to the repository root) that is missing something or disagrees. */
  file: string;
  message: string;
}

/** Contents of a file relative to the repository root, or undefined when it does not exist. */
export type ReadFile = (file: string) => string | undefined;

export const FILES = {
  manifest: 'scripts/lib/services.ts',
  supergraph: 'supergraph.yaml',
  compose: 'docker-compose.yml',
  postgresInit: 'deploy/postgres/init.sh',
  prometheus: 'deploy/prometheus/prometheus.yml',
  dockerfile: 'Dockerfile',
} as const;

export const protoFile = (name: string) => `proto/campus/${name}/v1/${name}.proto`;
export const prismaSchemaFile = (name: string) => `prisma/${name}/schema.prisma`;
export const graphqlSchemaFile = (name: string) => `subgraphs/${name}/src/api/graphql/schema.graphql`;

type YamlMap = Record<string, unknown>;
const asMap = (value: unknown): YamlMap | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as YamlMap) : undefined;
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/** Compose allows `environment` as a map or as a list of KEY=VALUE. */
function environmentOf(service: YamlMap): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(env.map(String).map((e) => [e.split('=')[0] ?? '', e.slice(e.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(asMap(env) ?? {}).map(([k, v]) => [k, text(v) ?? '']));
}

/** Compose allows `depends_on` as a list of names or as a map of name → condition. */
const dependsOn = (service: YamlMap): string[] =>
  Array.isArray(service.depends_on) ? service.depends_on.map(String) : Object.keys(asMap(service.depends_on) ?? {});

function parseYaml(file: string, read: ReadFile, problems: Problem[]): YamlMap | undefined {
  const source = read(file);
  if (source === undefined) {
    problems.push({ file, message: 'file is missing' });
    return undefined;
  }
  try {
    // merge: resolve `<<: *anchor` keys as docker compose does.
    const document = asMap(YAML.parse(source, { merge: true }));
    if (!document) problems.push({ file, message: 'is not a YAML mapping' });
    return document;
  } catch (error) {
    problems.push({ file, message: `is not valid YAML: ${(error as Error).message}` });
    return undefined;
  }
}

function checkSupergraph(services: readonly ServiceSpec[], read: ReadFile, problems: Problem[]): void {
  const file = FILES.supergraph;
  const document = parseYaml(file, read, problems);
  if (!document) return;
  const subgraphs = asMap(document.subgraphs) ?? {};
  for (const s of services) {
    const entry = asMap(subgraphs[s.name]);
    if (!entry) {
      problems.push({ file, message: `subgraphs.${s.name} is missing` });
      continue;
    }
    const routingUrl = text(entry.routing_url) ?? '';
    const url = URL.canParse(routingUrl) ? new URL(routingUrl) : undefined;
    if (url?.port !== String(s.httpPort) || url.pathname !== '/graphql') {
      problems.push({
        file,
        message: `subgraphs.${s.name}.routing_url is "${routingUrl}", expected port ${s.httpPort} and path /graphql`,
      });
    }
    const schemaFile = (text(asMap(entry.schema)?.file) ?? '').replace(/^\.\//, '');
    if (schemaFile !== graphqlSchemaFile(s.name)) {
      problems.push({
        file,
        message: `subgraphs.${s.name}.schema.file is "${schemaFile}", expected ./${graphqlSchemaFile(s.name)}`,
      });
    } else if (read(schemaFile) === undefined) {
      problems.push({ file: schemaFile, message: `file is missing (${s.name}'s schema, named in ${file})` });
    }
  }
  const known = new Set(services.map((s) => s.name as string));
  for (const name of Object.keys(subgraphs).filter((n) => !known.has(n))) {
    problems.push({ file, message: `subgraphs.${name} is not a present subgraph of ${FILES.manifest}` });
  }
}

function checkComposeService(s: ServiceSpec, all: readonly ServiceSpec[], compose: YamlMap, problems: Problem[]): void {
  const file = FILES.compose;
  const service = asMap(asMap(compose.services)?.[s.name]);
  if (!service) {
    problems.push({ file, message: `services.${s.name} is missing` });
    return;
  }
  const where = `services.${s.name}`;
  if (text(asMap(asMap(service.build)?.args)?.SERVICE) !== s.name) {
    problems.push({ file, message: `${where}.build.args.SERVICE is not "${s.name}"` });
  }
  if (service.restart !== 'unless-stopped') {
    problems.push({ file, message: `${where}.restart is not "unless-stopped"` });
  }
  if (!dependsOn(service).includes('migrate')) {
    problems.push({ file, message: `${where}.depends_on lacks migrate (its database must be migrated first)` });
  }
  const env = environmentOf(service);
  const expected: Record<string, string> = { HTTP_PORT: String(s.httpPort), GRPC_PORT: String(s.grpcPort) };
  for (const dependency of all.filter((d) => s.calls.includes(d.name))) {
    expected[grpcUrlVariable(dependency.name)] = `${dependency.name}:${dependency.grpcPort}`;
  }
  for (const [name, value] of Object.entries(expected)) {
    if (env[name] !== value) {
      problems.push({
        file,
        message: `${where}.environment.${name} is ${JSON.stringify(env[name])}, expected "${value}"`,
      });
    }
  }
  const databaseUrl = env.DATABASE_URL ?? '';
  if (!databaseUrl.startsWith(`postgresql://${s.name}:`) || !databaseUrl.endsWith(`/${s.database}`)) {
    problems.push({
      file,
      message: `${where}.environment.DATABASE_URL is "${databaseUrl}", expected user ${s.name} and database ${s.database}`,
    });
  }
}

function checkComposeRouter(services: readonly ServiceSpec[], compose: YamlMap, problems: Problem[]): void {
  const file = FILES.compose;
  const router = asMap(asMap(compose.services)?.router);
  if (!router) {
    problems.push({ file, message: 'services.router is missing' });
    return;
  }
  const env = environmentOf(router);
  const routes = new Map(
    (env.PROXY_ROUTES ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => [entry.split('=')[0] ?? '', entry.slice(entry.indexOf('=') + 1)]),
  );
  for (const s of services) {
    const origin = `http://${s.name}:${s.httpPort}`;
    const variable = subgraphUrlVariable(s.name);
    if (env[variable] !== `${origin}/graphql`) {
      problems.push({
        file,
        message: `services.router.environment.${variable} is ${JSON.stringify(env[variable])}, expected "${origin}/graphql"`,
      });
    }
    for (const prefix of s.proxyRoutes) {
      if (routes.get(prefix) !== origin) {
        problems.push({ file, message: `services.router.environment.PROXY_ROUTES lacks ${prefix}=${origin}` });
      }
    }
    if (!dependsOn(router).includes(s.name)) {
      problems.push({ file, message: `services.router.depends_on lacks ${s.name}` });
    }
  }
  const manifestRoutes = new Set(services.flatMap((s) => s.proxyRoutes));
  for (const prefix of [...routes.keys()].filter((p) => !manifestRoutes.has(p))) {
    problems.push({
      file,
      message: `services.router.environment.PROXY_ROUTES has ${prefix}, which no present subgraph of ${FILES.manifest} serves`,
    });
  }
}

function checkCompose(services: readonly ServiceSpec[], read: ReadFile, problems: Problem[]): void {
  const file = FILES.compose;
  const compose = parseYaml(file, read, problems);
  if (!compose) return;
  for (const s of services) checkComposeService(s, services, compose, problems);
  checkComposeRouter(services, compose, problems);
  const migrate = asMap(asMap(compose.services)?.migrate);
  const migrated = (environmentOf(migrate ?? {}).SERVICES ?? '').split(/\s+/);
  for (const s of services.filter((x) => !migrated.includes(x.name))) {
    problems.push({ file, message: `services.migrate.environment.SERVICES lacks ${s.name} (its migrations)` });
  }
}

function checkPostgresInit(services: readonly ServiceSpec[], read: ReadFile, problems: Problem[]): void {
  const file = FILES.postgresInit;
  const script = read(file);
  if (script === undefined) {
    problems.push({ file, message: 'file is missing' });
    return;
  }
  // A shell script, not YAML: the one loop over the services and the statement it runs for each.
  const loop = /^for service in ([^;\n]*); do$/m.exec(script);
  if (!loop || !script.includes('CREATE DATABASE campus_${service} OWNER ${service};')) {
    problems.push({
      file,
      message:
        'expected a "for service in <names>; do" loop running "CREATE DATABASE campus_${service} OWNER ${service};"',
    });
    return;
  }
  const listed = (loop[1] ?? '').trim().split(/\s+/);
  for (const s of services.filter((x) => !listed.includes(x.name))) {
    problems.push({ file, message: `does not create database ${s.database} and its owner ${s.name}` });
  }
}

function checkPrometheus(services: readonly ServiceSpec[], read: ReadFile, problems: Problem[]): void {
  const file = FILES.prometheus;
  const config = parseYaml(file, read, problems);
  if (!config) return;
  const targets = asList(config.scrape_configs)
    .flatMap((job) => asList(asMap(job)?.static_configs))
    .flatMap((group) => asList(asMap(group)?.targets))
    .map(String);
  for (const s of services) {
    const target = `${s.name}:${s.httpPort}`;
    if (!targets.includes(target)) problems.push({ file, message: `does not scrape ${target}` });
  }
}

function checkContractFiles(services: readonly ServiceSpec[], read: ReadFile, problems: Problem[]): void {
  for (const s of services) {
    if (read(protoFile(s.name)) === undefined) {
      problems.push({ file: protoFile(s.name), message: `file is missing (${s.name}'s gRPC contract)` });
    }
    if (read(prismaSchemaFile(s.name)) === undefined) {
      problems.push({ file: prismaSchemaFile(s.name), message: `file is missing (${s.name}'s database schema)` });
    }
  }
}

/** The image starts every service with the flags `npm start` and the test stacks use. */
function checkDockerfile(read: ReadFile, problems: Problem[], flags: readonly string[]): void {
  const file = FILES.dockerfile;
  const cmd = read(file)
    ?.split('\n')
    .filter((line) => line.startsWith('CMD '))
    .pop();
  if (cmd === undefined) {
    problems.push({ file, message: 'has no CMD' });
    return;
  }
  const expected = `node ${[...flags, '-r @campus/platform/telemetry-register'].join(' ')} `;
  if (!cmd.includes(expected)) {
    problems.push({ file, message: `CMD does not start "${expected.trim()} …" (SERVICE_NODE_FLAGS)` });
  }
}

/**
 * Every problem with the wiring of the present subgraphs of `manifest`. `subgraphsOnDisk` names the
 * folders under subgraphs/ that have a src/main.ts; each needs a manifest row.
 */
export function checkServices(
  manifest: readonly ServiceSpec[],
  read: ReadFile,
  subgraphsOnDisk: readonly string[] = [],
  nodeFlags: readonly string[] = SERVICE_NODE_FLAGS,
): Problem[] {
  const problems: Problem[] = [];
  const services = manifest.filter((s) => s.present);
  for (const name of subgraphsOnDisk.filter((n) => !services.some((s) => s.name === n))) {
    problems.push({ file: FILES.manifest, message: `subgraphs/${name} has no present row` });
  }
  checkSupergraph(services, read, problems);
  checkCompose(services, read, problems);
  checkPostgresInit(services, read, problems);
  checkPrometheus(services, read, problems);
  checkContractFiles(services, read, problems);
  checkDockerfile(read, problems, nodeFlags);
  return problems;
}
