import fs from 'node:fs';
import path from 'node:path';
import gql from 'graphql-tag';
import type { DocumentNode } from 'graphql';

/**
 * The SDL lives in schema.graphql (the file supergraph.yaml composes). The build copies it next
 * to the compiled schema.js; when only `tsc` ran, the source copy is used.
 */
function schemaFile(): string {
  const candidates = [
    path.join(__dirname, 'schema.graphql'),
    path.resolve(__dirname, '..', '..', '..', 'src', 'api', 'graphql', 'schema.graphql'),
  ];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`schema.graphql not found (looked in ${candidates.join(', ')})`);
  return found;
}

export const SCHEMA_FILE = schemaFile();

export const typeDefs: DocumentNode = gql(fs.readFileSync(SCHEMA_FILE, 'utf8'));
