// Composes supergraph.yaml (rover's format) into supergraph.graphql with @apollo/composition:
// rover cannot run on the project machines (its compose plugin is downloaded), so this is the one
// composer, used by developers, CI and the router's static supergraph. The CLI is scripts/compose.ts:
//   npx tsx scripts/compose.ts            write supergraph.graphql
//   npx tsx scripts/compose.ts --check    exit 1 when the checked-in supergraph.graphql is stale
// Options for tools and tests: --config <supergraph.yaml> --out <supergraph.graphql>
// Build-time only: it lives outside src/, so it is type-checked and linted but not shipped in dist.
import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { Kind, parse, type DocumentNode } from 'graphql';
import YAML from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');
const COMPOSITION_VERSION = (
  JSON.parse(fs.readFileSync(require.resolve('@apollo/composition/package.json'), 'utf8')) as { version: string }
).version;

export interface SubgraphSource {
  name: string;
  routingUrl: string;
  /** Absolute path of the SDL file or of the module exporting `typeDefs`. */
  schemaFile: string;
}

export interface SupergraphConfig {
  federationVersion: string | undefined;
  subgraphs: SubgraphSource[];
}

export type ComposeResult = { ok: true; sdl: string; hints: string[] } | { ok: false; errors: string[] };

/** Thrown for a supergraph.yaml or schema file that cannot be used; the message says which. */
export class ComposeConfigError extends Error {
  override name = 'ComposeConfigError';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads and checks supergraph.yaml; schema paths are resolved against the file's directory. */
export function readSupergraphConfig(configPath: string): SupergraphConfig {
  const raw: unknown = YAML.parse(fs.readFileSync(configPath, 'utf8'));
  if (!isRecord(raw) || !isRecord(raw.subgraphs)) {
    throw new ComposeConfigError(`${configPath}: expected a "subgraphs" map`);
  }
  const dir = path.dirname(configPath);
  const subgraphs = Object.entries(raw.subgraphs).map(([name, entry]): SubgraphSource => {
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) {
      throw new ComposeConfigError(`subgraph name "${name}" must be lower-case letters, digits, "-" or "_"`);
    }
    const routingUrl = isRecord(entry) ? entry.routing_url : undefined;
    const file = isRecord(entry) && isRecord(entry.schema) ? entry.schema.file : undefined;
    if (typeof routingUrl !== 'string' || !URL.canParse(routingUrl)) {
      throw new ComposeConfigError(`subgraph "${name}": routing_url must be an absolute URL`);
    }
    if (typeof file !== 'string' || file === '') {
      throw new ComposeConfigError(`subgraph "${name}": schema.file is required (introspection is not supported)`);
    }
    return { name, routingUrl, schemaFile: path.resolve(dir, file) };
  });
  if (subgraphs.length === 0) throw new ComposeConfigError(`${configPath}: no subgraphs`);
  const version = raw.federation_version;
  return { federationVersion: version === undefined ? undefined : String(version), subgraphs };
}

function isDocumentNode(value: unknown): value is DocumentNode {
  return isRecord(value) && value.kind === Kind.DOCUMENT && Array.isArray(value.definitions);
}

/** The subgraph's SDL: a .graphql/.gql file, or a .ts/.js module exporting `typeDefs`. */
export function loadTypeDefs(subgraph: SubgraphSource): DocumentNode {
  const { name, schemaFile } = subgraph;
  if (!fs.existsSync(schemaFile)) {
    throw new ComposeConfigError(`subgraph "${name}": schema file ${path.relative(ROOT, schemaFile)} does not exist`);
  }
  if (/\.(graphqls?|gql)$/.test(schemaFile)) return parse(fs.readFileSync(schemaFile, 'utf8'));
  if (/\.[cm]?[jt]s$/.test(schemaFile)) {
    // A synchronous load on purpose: tsx (which runs the CLI) lets require() load TypeScript modules.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(schemaFile) as { typeDefs?: unknown; default?: { typeDefs?: unknown } };
    const typeDefs = loaded.typeDefs ?? loaded.default?.typeDefs;
    if (typeof typeDefs === 'string') return parse(typeDefs);
    if (isDocumentNode(typeDefs)) return typeDefs;
    throw new ComposeConfigError(`subgraph "${name}": ${schemaFile} exports no typeDefs (DocumentNode or string)`);
  }
  throw new ComposeConfigError(`subgraph "${name}": unsupported schema file type ${path.extname(schemaFile)}`);
}

/** Warns when supergraph.yaml declares a composition version other than the installed one. */
function versionWarning(declared: string | undefined): string | undefined {
  if (declared === undefined) return undefined;
  const [major, minor] = declared.replace(/^=/, '').split('.');
  const [installedMajor, installedMinor] = COMPOSITION_VERSION.split('.');
  if (major === installedMajor && (minor === undefined || minor === 'x' || minor === installedMinor)) return undefined;
  return `supergraph.yaml declares federation_version ${declared} but @apollo/composition ${COMPOSITION_VERSION} composes`;
}

export function header(): string {
  return [
    '# Campus Sirius supergraph. Generated by `npm run compose` from supergraph.yaml with',
    `# @apollo/composition ${COMPOSITION_VERSION}; do not edit by hand. \`npm run compose:check\` fails when stale.`,
    '',
  ].join('\n');
}

/** Composes the subgraphs; the SDL carries the header, so a check is a plain text comparison. */
export function composeSupergraph(config: SupergraphConfig): ComposeResult {
  const services = config.subgraphs.map((s) => ({ name: s.name, url: s.routingUrl, typeDefs: loadTypeDefs(s) }));
  const result = composeServices(services);
  if (result.errors) {
    return {
      ok: false,
      errors: result.errors.map((e) => `[${String(e.extensions.code ?? 'COMPOSITION_ERROR')}] ${e.message}`),
    };
  }
  const hints = result.hints.map((h) => `[${h.definition.code}] ${h.message}`);
  return { ok: true, sdl: `${header()}${result.supergraphSdl.trimEnd()}\n`, hints };
}

function optionValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

export function main(args: string[]): number {
  const configPath = path.resolve(optionValue(args, '--config') ?? path.join(ROOT, 'supergraph.yaml'));
  const outPath = path.resolve(optionValue(args, '--out') ?? path.join(ROOT, 'supergraph.graphql'));
  let result: ComposeResult;
  let config: SupergraphConfig;
  try {
    config = readSupergraphConfig(configPath);
    result = composeSupergraph(config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`compose: ${message}\n`);
    return 1;
  }
  const warning = versionWarning(config.federationVersion);
  if (warning) process.stderr.write(`compose: warning: ${warning}\n`);
  if (!result.ok) {
    process.stderr.write(`compose: composition failed with ${result.errors.length} error(s):\n`);
    for (const error of result.errors) process.stderr.write(`  ✖ ${error}\n`);
    return 1;
  }
  for (const hint of result.hints) process.stderr.write(`  hint ${hint}\n`);
  const names = config.subgraphs.map((s) => s.name).join(', ');
  const relativeOut = path.relative(process.cwd(), outPath) || outPath;
  if (args.includes('--check')) {
    const current = fs.existsSync(outPath) ? fs.readFileSync(outPath, 'utf8') : undefined;
    if (current !== result.sdl) {
      process.stderr.write(`compose: ${relativeOut} is stale, run npm run compose\n`);
      return 1;
    }
    process.stdout.write(`compose: ${relativeOut} is up to date (${names})\n`);
    return 0;
  }
  fs.writeFileSync(outPath, result.sdl);
  process.stdout.write(`compose: wrote ${relativeOut} (${names})\n`);
  return 0;
}
