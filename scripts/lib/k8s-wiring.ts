// The edits that give a new subgraph its place in the Kubernetes deployment (deploy/k8s), beside
// its own base/<name>.yaml and secrets/campus-<name>.env.example (templates): its resource, its
// ConfigMap and the router's SUBGRAPH_<NAME>_URL (and PROXY_ROUTES) in base/kustomization.yaml, its
// database in the migrate Job, its image in each overlay, and a copy of the per-subgraph patches of
// an overlay (dev's autoscaler caps): what scripts/test/integration/k8s-manifests.test.ts holds
// against the manifest. Pure, like subgraph-wiring.ts: file contents in, file contents out.
import YAML, { isNode } from 'yaml';
import { grpcUrlVariable, subgraphUrlVariable } from './services';
import type { ManifestRow } from './subgraph-wiring';
import { YamlSplice } from './yaml-splice';

export const K8S_KUSTOMIZATION = 'deploy/k8s/base/kustomization.yaml';
export const K8S_MIGRATE_JOB = 'deploy/k8s/base/migrate-job.yaml';
export const K8S_OVERLAYS = 'deploy/k8s/overlays';

/** The files of deploy/k8s that are the service's own (rendered from the templates). */
export const k8sOwnFiles = (name: string): string[] => [
  `deploy/k8s/base/${name}.yaml`,
  `deploy/k8s/secrets/campus-${name}.env.example`,
];

const configMapName = (name: string) => `campus-${name}-config`;
const databaseUrlVariable = (name: string) => `${name.toUpperCase()}_DATABASE_URL`;
/** How the others reach a service inside the namespace: its Service name and port. */
const httpOrigin = (row: Pick<ManifestRow, 'name' | 'httpPort'>) => `http://${row.name}:${row.httpPort}`;

interface Generator {
  name?: string;
  literals?: string[];
}
interface EnvVar {
  name?: string;
  value?: string;
}
interface Container {
  name?: string;
  env?: EnvVar[];
}

const nameOf = (value: unknown): string | undefined => {
  const name = (value as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
};

/** The subgraph a `campus-<name>-config` generator is for, if it is one of `names`. */
const configMapOwner = (value: unknown, names: ReadonlySet<string>): string | undefined => {
  const owner = /^campus-([a-z-]+)-config$/.exec(nameOf(value) ?? '')?.[1];
  return owner && names.has(owner) ? owner : undefined;
};

/**
 * PROXY_ROUTES with `row`'s routes to its Service, in manifest order (as routerServiceEnv writes it):
 * after the entries of the services above it. Entries are kept as they are written.
 */
export function withProxyRoutes(value: string, row: ManifestRow, manifest: readonly ManifestRow[]): string {
  const ownerIndex = (entry: string) => {
    const [prefix = '', target = ''] = entry.split('=');
    const byRoute = manifest.findIndex((r) => r.proxyRoutes.includes(prefix));
    if (byRoute >= 0) return byRoute;
    const host = /^https?:\/\/([^:/]+)/.exec(target)?.[1];
    const byHost = manifest.findIndex((r) => r.name === host);
    return byHost >= 0 ? byHost : manifest.length;
  };
  const own = manifest.findIndex((r) => r.name === row.name);
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry && !row.proxyRoutes.includes(entry.split('=')[0]!));
  const at = entries.reduce((position, entry, i) => (ownerIndex(entry) < own ? i + 1 : position), 0);
  entries.splice(at, 0, ...row.proxyRoutes.map((prefix) => `${prefix}=${httpOrigin(row)}`));
  return entries.join(',');
}

/**
 * base/kustomization.yaml with the subgraph's manifest among the resources, its ConfigMap
 * (`campus-<name>-config`: HTTP_PORT, GRPC_PORT, a `<NAME>_GRPC_URL` per service it calls) after the
 * other subgraphs' ones, and the router's `SUBGRAPH_<NAME>_URL` (and PROXY_ROUTES, if it serves any).
 */
export function wireK8sKustomization(source: string, row: ManifestRow, manifest: readonly ManifestRow[]): string {
  const yaml = new YamlSplice(K8S_KUSTOMIZATION, source);
  const names = new Set(manifest.map((r) => r.name));
  yaml.addSeqItem(['resources'], [`- ${row.name}.yaml`], {
    after: (value) => typeof value === 'string' && names.has(value.replace(/\.yaml$/, '')),
  });

  const dependencies = row.calls.map((name) => {
    const callee = manifest.find((r) => r.name === name);
    if (!callee) throw new Error(`scripts/lib/services.ts: ${row.name} calls ${name}, which has no row`);
    return `    - ${grpcUrlVariable(name)}=${name}:${callee.grpcPort}`;
  });
  yaml.addSeqItem(
    ['configMapGenerator'],
    [
      `- name: ${configMapName(row.name)}`,
      '  literals:',
      `    - HTTP_PORT=${row.httpPort}`,
      `    - GRPC_PORT=${row.grpcPort}`,
      ...dependencies,
    ],
    { after: (value) => configMapOwner(value, names) !== undefined },
  );

  const generators = (yaml.value(['configMapGenerator']) ?? []) as Generator[];
  const router = generators.findIndex((g) => g.name === 'campus-router-config');
  if (router < 0) throw new Error(`${K8S_KUSTOMIZATION}: no configMapGenerator campus-router-config`);
  const literals = ['configMapGenerator', router, 'literals'];
  yaml.addSeqItem(literals, [`- ${subgraphUrlVariable(row.name)}=${httpOrigin(row)}/graphql`], {
    after: (value) => typeof value === 'string' && /^SUBGRAPH_\w+_URL=/.test(value),
  });
  if (row.proxyRoutes.length) {
    const current = generators[router]?.literals ?? [];
    const at = current.findIndex((literal) => literal.startsWith('PROXY_ROUTES='));
    const value = withProxyRoutes(at >= 0 ? current[at]!.slice('PROXY_ROUTES='.length) : '', row, manifest);
    if (at >= 0) yaml.replaceScalar([...literals, at], `PROXY_ROUTES=${value}`);
    else yaml.addSeqItem(literals, [`- PROXY_ROUTES=${value}`]);
  }
  return yaml.toString();
}

/** base/migrate-job.yaml migrating the subgraph's database too: SERVICES and its `<NAME>_DATABASE_URL`. */
export function wireK8sMigrateJob(source: string, row: Pick<ManifestRow, 'name'>): string {
  const yaml = new YamlSplice(K8S_MIGRATE_JOB, source);
  const containersPath = ['spec', 'template', 'spec', 'containers'];
  const containers = (yaml.value(containersPath) ?? []) as Container[];
  const index = containers.findIndex((c) => (c.env ?? []).some((v) => v.name === 'SERVICES'));
  if (index < 0) throw new Error(`${K8S_MIGRATE_JOB}: no container with a SERVICES variable`);
  const envPath = [...containersPath, index, 'env'];
  const env = containers[index]!.env ?? [];
  const services = env.findIndex((v) => v.name === 'SERVICES');
  yaml.replaceScalar([...envPath, services, 'value'], `${(env[services]!.value ?? '').trim()} ${row.name}`.trim());
  yaml.addSeqItem(
    envPath,
    [
      `- name: ${databaseUrlVariable(row.name)}`,
      '  valueFrom:',
      `    secretKeyRef: { name: campus-${row.name}, key: DATABASE_URL }`,
    ],
    { after: (value) => /_DATABASE_URL$/.test(nameOf(value) ?? '') },
  );
  return yaml.toString();
}

/**
 * An overlay's kustomization.yaml with the subgraph's image: a copy of the last subgraph's entry
 * (same registry and tag). Unchanged when the overlay sets no subgraph's image.
 */
export function wireK8sOverlay(
  file: string,
  source: string,
  row: Pick<ManifestRow, 'name'>,
  manifest: readonly ManifestRow[],
): string {
  const yaml = new YamlSplice(file, source);
  const names = new Set(manifest.map((r) => r.name).filter((name) => name !== row.name));
  const subgraphOf = (value: unknown) => /^campus\/([a-z-]+)$/.exec(nameOf(value) ?? '')?.[1];
  const isSubgraphImage = (value: unknown) => names.has(subgraphOf(value) ?? '');
  const images = yaml.value(['images']);
  if (!Array.isArray(images) || !images.some(isSubgraphImage)) return source;
  yaml.copySeqItem(['images'], isSubgraphImage, (text, value) =>
    text.replace(new RegExp(`\\bcampus/${subgraphOf(value)!}\\b`, 'g'), `campus/${row.name}`),
  );
  return yaml.toString();
}

/** The patch files an overlay's kustomization.yaml applies (patchesStrategicMerge, patches' paths). */
export function overlayPatchFiles(source: string): string[] {
  const kustomization = (YAML.parse(source) ?? {}) as {
    patchesStrategicMerge?: unknown[];
    patches?: { path?: unknown }[];
  };
  return [
    ...(kustomization.patchesStrategicMerge ?? []),
    ...(kustomization.patches ?? []).map((patch) => patch.path),
  ].filter((file): file is string => typeof file === 'string');
}

/**
 * A patch file with one document of a kind for every subgraph (dev's autoscaler caps) given one
 * more, for the new subgraph: a copy of the last subgraph's, renamed. A kind patched for some
 * subgraphs only (prod's router and identity) is theirs alone; unchanged then.
 */
export function wireK8sPatches(
  file: string,
  source: string,
  row: Pick<ManifestRow, 'name'>,
  subgraphs: string[],
): string {
  const patches = YAML.parseAllDocuments(source).map((document) => {
    const [error] = document.errors;
    if (error) throw new Error(`${file} is not valid YAML: ${error.message}`);
    const value = (document.toJS() ?? {}) as { kind?: string; metadata?: { name?: string } };
    return { document, kind: value.kind, name: value.metadata?.name };
  });
  const copies: { at: number; text: string }[] = [];
  for (const kind of new Set(patches.map((p) => p.kind))) {
    const ofKind = patches.filter((p) => p.kind === kind);
    const named = new Set(ofKind.map((p) => p.name));
    if (!kind || !subgraphs.length || named.has(row.name) || !subgraphs.every((s) => named.has(s))) continue;
    const last = [...ofKind].reverse().find((p) => subgraphs.includes(p.name ?? ''))!;
    const contents = last.document.contents;
    if (!isNode(contents) || !contents.range) throw new Error(`${file}: a document without a source position`);
    let end = contents.range[1];
    while (end > 0 && /\s/.test(source.charAt(end - 1))) end -= 1;
    const body = source
      .slice(contents.range[0], end)
      .replace(new RegExp(`^(\\s*name:\\s*)${last.name!}\\s*$`, 'gm'), `$1${row.name}`);
    const lineEnd = source.indexOf('\n', end);
    copies.push({ at: lineEnd < 0 ? source.length : lineEnd + 1, text: `---\n${body}\n` });
  }
  let text = source;
  for (const { at, text: copy } of copies.sort((a, b) => b.at - a.at)) {
    const newline = at === text.length && !text.endsWith('\n') ? '\n' : '';
    text = text.slice(0, at) + newline + copy + text.slice(at);
  }
  for (const document of YAML.parseAllDocuments(text)) {
    const [error] = document.errors;
    if (error) throw new Error(`${file}: the edit broke the file (${error.message})`);
  }
  return text;
}

/** Where deploy/k8s already has `name`: its own files, or entries in the base's kustomization and migrate Job. */
export function k8sPlacesTaken(
  read: (file: string) => string,
  exists: (file: string) => boolean,
  name: string,
): string[] {
  const kustomization = (YAML.parse(read(K8S_KUSTOMIZATION)) ?? {}) as {
    resources?: unknown[];
    configMapGenerator?: unknown[];
  };
  const inKustomization =
    (kustomization.resources ?? []).includes(`${name}.yaml`) ||
    (kustomization.configMapGenerator ?? []).some((g) => nameOf(g) === configMapName(name));
  const job = (YAML.parse(read(K8S_MIGRATE_JOB)) ?? {}) as {
    spec?: { template?: { spec?: { containers?: Container[] } } };
  };
  const migrated = (job.spec?.template?.spec?.containers ?? [])
    .flatMap((c) => c.env ?? [])
    .some(
      (v) =>
        v.name === databaseUrlVariable(name) || (v.name === 'SERVICES' && (v.value ?? '').split(/\s+/).includes(name)),
    );
  return [
    ...k8sOwnFiles(name).filter(exists),
    ...(inKustomization ? [K8S_KUSTOMIZATION] : []),
    ...(migrated ? [K8S_MIGRATE_JOB] : []),
  ];
}
