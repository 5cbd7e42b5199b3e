import fs from 'node:fs';
import path from 'node:path';
import gql from 'graphql-tag';
import type { DocumentNode } from 'graphql';

/**
 * The SDL lives in schema.graphql next to the sources (the router's composition reads the same
 * file). tsc does not copy it to dist, so the compiled code falls back to the package's src copy;
 * an image that ships only dist/ can place schema.graphql next to this file instead.
 */
const candidates = [
  path.join(__dirname, 'schema.graphql'),
  path.resolve(__dirname, '..', '..', '..', 'src', 'api', 'graphql', 'schema.graphql'),
];

export function loadTypeDefs(): DocumentNode {
  const file = candidates.find((candidate) => fs.existsSync(candidate));
  if (!file) throw new Error(`patrol schema.graphql not found (looked in ${candidates.join(', ')})`);
  return gql(fs.readFileSync(file, 'utf8'));
}
