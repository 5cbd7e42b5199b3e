// What `npm run new:subgraph` plans (scripts/new-subgraph.ts writes it): checks the request against
// the checkout, renders scripts/templates/subgraph/ for the new service and wires it in with the
// edits of subgraph-wiring.ts and k8s-wiring.ts, all in memory, so that a refusal or a failure
// writes nothing.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  K8S_KUSTOMIZATION,
  K8S_MIGRATE_JOB,
  K8S_OVERLAYS,
  k8sPlacesTaken,
  overlayPatchFiles,
  wireK8sKustomization,
  wireK8sMigrateJob,
  wireK8sOverlay,
  wireK8sPatches,
} from './k8s-wiring';
import {
  addManifestRow,
  manifestRows,
  postgresInitServices,
  prometheusTargets,
  wireCompose,
  wirePostgresInit,
  wireEnvExample,
  wirePrometheus,
  wireSupergraph,
  type ManifestRow,
} from './subgraph-wiring';

const TEMPLATE_DIR = path.resolve(__dirname, '..', 'templates', 'subgraph');
const ROUTER_PORT = 4000;

/** A request the checkout cannot take (the CLI exits 2 with the message). */
export class Refusal extends Error {
  override name = 'Refusal';
}

export interface NewSubgraphRequest {
  /** The checkout to generate into. */
  root: string;
  name: string;
  httpPort: number;
  grpcPort: number;
  /** Stamps the init migration's folder, as `npm run migration:new` does. */
  now?: Date;
}

export interface GeneratedFile {
  /** Relative to the root. */
  file: string;
  content: string;
  /** What an existing file held before the edit (absent for a new file). */
  original?: string;
}

/** The spellings of a service's name the templates use: duty, Duty, DUTY. */
function namesOf(name: string): Record<'name' | 'Name' | 'NAME', string> {
  return { name, Name: name.charAt(0).toUpperCase() + name.slice(1), NAME: name.toUpperCase() };
}

/** `20261201093000`: the migration folder stamp of scripts/prisma.js. */
const migrationStamp = (now: Date): string => now.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** Every template file (`*.tmpl`), relative to the template folder. */
function templateFiles(dir = TEMPLATE_DIR, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(prefix, entry.name);
    if (entry.isDirectory()) return templateFiles(path.join(dir, entry.name), relative);
    return entry.name.endsWith('.tmpl') ? [relative] : [];
  });
}

/** The new files of the service: each template with its placeholders filled in. */
function renderTemplates(row: Pick<ManifestRow, 'name' | 'httpPort' | 'grpcPort'>, now: Date): GeneratedFile[] {
  const values: Record<string, string> = {
    ...namesOf(row.name),
    httpPort: String(row.httpPort),
    grpcPort: String(row.grpcPort),
  };
  return templateFiles().map((template) => {
    const file = template
      .replace(/\.tmpl$/, '')
      .replace(/__name__/g, row.name)
      .replace(/__timestamp__/g, migrationStamp(now));
    const content = fs
      .readFileSync(path.join(TEMPLATE_DIR, template), 'utf8')
      .replace(/\{\{(\w+)\}\}/g, (placeholder, key: string) => {
        const value = values[key];
        if (value === undefined) throw new Error(`${template}: unknown placeholder ${placeholder}`);
        return value;
      });
    return { file, content };
  });
}

function readIn(root: string, file: string): string {
  const full = path.join(root, file);
  if (!fs.existsSync(full)) throw new Refusal(`${full} does not exist: is ${root} a checkout of the campus?`);
  return fs.readFileSync(full, 'utf8');
}

/** Why the ports cannot be the service's: out of range, the same, or another service's. */
function portProblems({ name, httpPort, grpcPort }: NewSubgraphRequest, manifest: readonly ManifestRow[]): string[] {
  const problems: string[] = [];
  for (const [label, port] of [
    ['HTTP', httpPort],
    ['gRPC', grpcPort],
  ] as const) {
    if (!Number.isInteger(port) || port < 1024 || port > 65535) {
      problems.push(`the ${label} port "${port}" is not a port number from 1024 to 65535`);
    }
  }
  if (httpPort === grpcPort) problems.push(`the HTTP and gRPC ports are both ${httpPort}`);
  const own = manifest.find((r) => r.name === name);
  if (own && (own.httpPort !== httpPort || own.grpcPort !== grpcPort)) {
    problems.push(
      `scripts/lib/services.ts reserves HTTP ${own.httpPort} and gRPC ${own.grpcPort} for ${name}: use those, or change its row first`,
    );
  }
  for (const other of manifest.filter((r) => r.name !== name)) {
    for (const port of [httpPort, grpcPort].filter((p) => p === other.httpPort || p === other.grpcPort)) {
      problems.push(`port ${port} is ${other.name}'s (scripts/lib/services.ts)`);
    }
  }
  if (httpPort === ROUTER_PORT || grpcPort === ROUTER_PORT) problems.push(`port ${ROUTER_PORT} is the router's`);
  return problems;
}

/** Where `name` is already taken: its folders, or an entry in a wiring file. */
function placesTaken(root: string, name: string): string[] {
  // packages/<name> would give two workspaces the package name @campus/<name>.
  const folders = [`subgraphs/${name}`, `prisma/${name}`, `proto/campus/${name}`, `packages/${name}`];
  const yamlHas = (file: string, keys: string[]) =>
    YAML.parseDocument(readIn(root, file), { merge: true }).hasIn(keys) ? [`${file} (${keys.join('.')})`] : [];
  const scraped = prometheusTargets(readIn(root, 'deploy/prometheus/prometheus.yml')).some((t) =>
    t.startsWith(`${name}:`),
  );
  return [
    ...folders.filter((folder) => fs.existsSync(path.join(root, folder))),
    ...yamlHas('supergraph.yaml', ['subgraphs', name]),
    ...yamlHas('docker-compose.yml', ['services', name]),
    ...(postgresInitServices(readIn(root, 'deploy/postgres/init.sh')).includes(name)
      ? ['deploy/postgres/init.sh']
      : []),
    ...(scraped ? ['deploy/prometheus/prometheus.yml'] : []),
    ...k8sPlacesTaken(
      (file) => readIn(root, file),
      (file) => fs.existsSync(path.join(root, file)),
      name,
    ),
  ];
}

/** Why the request cannot be generated (an empty list means it can). */
function refusals(request: NewSubgraphRequest, manifest: readonly ManifestRow[]): string[] {
  if (!/^[a-z]+$/.test(request.name)) {
    // It becomes a database, a PostgreSQL owner, a proto package and a shell word: letters only.
    return [`the name "${request.name}" is not lowercase letters (a-z), e.g. duty`];
  }
  const taken = placesTaken(request.root, request.name);
  return [
    ...portProblems(request, manifest),
    ...(taken.length ? [`${request.name} already exists in ${taken.join(', ')}; the generator never overwrites`] : []),
  ];
}

/** The files to write: the rendered templates and the wiring edits (nothing is written yet). */
export function planSubgraph(request: NewSubgraphRequest): GeneratedFile[] {
  const manifestFile = 'scripts/lib/services.ts';
  const manifestSource = readIn(request.root, manifestFile);
  const manifest = manifestRows(manifestSource);
  const problems = refusals(request, manifest);
  if (problems.length) throw new Refusal(problems.join('\n'));

  const { name, httpPort, grpcPort } = request;
  const planned = manifest.find((r) => r.name === name);
  const row: ManifestRow = planned ?? { name, httpPort, grpcPort, calls: [], proxyRoutes: [] };
  const rows = planned ? manifest : [...manifest, row];
  const edit = (file: string, change: (source: string) => string): GeneratedFile => {
    const original = readIn(request.root, file);
    return { file, content: change(original), original };
  };
  return [
    ...renderTemplates(row, request.now ?? new Date()),
    ...(planned ? [] : [edit(manifestFile, (source) => addManifestRow(source, row))]),
    edit('supergraph.yaml', (source) => wireSupergraph(source, row)),
    edit('docker-compose.yml', (source) => wireCompose(source, row, rows)),
    edit('.env.example', (source) => wireEnvExample(source, name)),
    edit('deploy/postgres/init.sh', (source) => wirePostgresInit(source, name)),
    edit('deploy/prometheus/prometheus.yml', (source) => wirePrometheus(source, row, rows)),
    edit(K8S_KUSTOMIZATION, (source) => wireK8sKustomization(source, row, rows)),
    edit(K8S_MIGRATE_JOB, (source) => wireK8sMigrateJob(source, row)),
    ...k8sOverlayEdits(request.root, row, rows).filter((e) => e.content !== e.original),
  ];
}

/**
 * Each overlay's kustomization.yaml (the new image) and patch files (a copy of the patches every
 * subgraph of the base has), as edits; unchanged files are dropped by the caller.
 */
function k8sOverlayEdits(root: string, row: ManifestRow, rows: readonly ManifestRow[]): GeneratedFile[] {
  // The subgraphs deployed in this checkout: those with a base manifest.
  const deployed = rows
    .map((r) => r.name)
    .filter((name) => name !== row.name && fs.existsSync(path.join(root, 'deploy', 'k8s', 'base', `${name}.yaml`)));
  const overlaysDir = path.join(root, K8S_OVERLAYS);
  const overlays = fs.existsSync(overlaysDir)
    ? fs
        .readdirSync(overlaysDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return overlays.flatMap((overlay) => {
    const file = path.posix.join(K8S_OVERLAYS, overlay, 'kustomization.yaml');
    const original = readIn(root, file);
    const patches = overlayPatchFiles(original).map((patch) => {
      const patchFile = path.posix.normalize(path.posix.join(K8S_OVERLAYS, overlay, patch));
      const source = readIn(root, patchFile);
      return { file: patchFile, content: wireK8sPatches(patchFile, source, row, deployed), original: source };
    });
    return [{ file, content: wireK8sOverlay(file, original, row, rows), original }, ...patches];
  });
}
