import fs from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/**
 * Reads a subgraph's SDL: `src/api/graphql/schema.graphql`, the very file supergraph.yaml composes.
 * Pass `__dirname` of the module beside it; compiled code (dist/…, which tsc does not copy .graphql
 * files to) reads the package's src/ copy.
 */
export function loadSchemaFile(dir: string, file = 'schema.graphql'): DocumentNode {
  const candidates = [path.join(dir, file), path.join(dir.replace(/([\\/])dist(?=[\\/]|$)/, '$1src'), file)];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`${file} not found (looked in ${candidates.join(', ')})`);
  return parse(fs.readFileSync(found, 'utf8'));
}
