import fs from 'node:fs';
import { ConfigError } from '@campus/platform';
import { Kind, parse, type ConstDirectiveNode } from 'graphql';
import { subgraphUrlVariable } from './config';

export interface SubgraphEndpoint {
  name: string;
  /** The GraphQL endpoint the router calls (after any SUBGRAPH_<NAME>_URL override). */
  url: string;
}

export interface Supergraph {
  sdl: string;
  subgraphs: SubgraphEndpoint[];
  /** SUBGRAPH_<NAME>_URL variables that name no subgraph of this supergraph (likely typos). */
  unusedOverrides: string[];
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  return arg?.value.kind === Kind.STRING ? arg.value.value : undefined;
}

/** The subgraphs a composed supergraph names: its `join__Graph` enum values and their @join__graph. */
export function subgraphsOf(sdl: string): SubgraphEndpoint[] {
  const graphs = parse(sdl).definitions.find(
    (d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph',
  );
  if (graphs?.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('not a composed supergraph (no join__Graph enum)');
  return (graphs.values ?? []).map((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const name = directive && stringArgument(directive, 'name');
    const url = directive && stringArgument(directive, 'url');
    if (!name || !url) throw new Error(`join__Graph.${value.name.value} has no @join__graph(name, url)`);
    return { name, url };
  });
}

/**
 * Reads the static supergraph (written by `npm run compose`) and applies the per-subgraph URL
 * overrides, so tests and deployments can move subgraphs without recomposing.
 */
export function loadSupergraph(path: string, overrides: Record<string, string>): Supergraph {
  if (!fs.existsSync(path)) {
    throw new ConfigError([`SUPERGRAPH_PATH: ${path} does not exist (run npm run compose)`]);
  }
  const sdl = fs.readFileSync(path, 'utf8');
  let declared: SubgraphEndpoint[];
  try {
    declared = subgraphsOf(sdl);
  } catch (error) {
    throw new ConfigError([`SUPERGRAPH_PATH: ${path}: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const subgraphs = declared.map(({ name, url }) => ({ name, url: overrides[subgraphUrlVariable(name)] ?? url }));
  const used = new Set(declared.map((s) => subgraphUrlVariable(s.name)));
  return { sdl, subgraphs, unusedOverrides: Object.keys(overrides).filter((v) => !used.has(v)) };
}
