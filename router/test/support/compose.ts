import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import type { DocumentNode } from 'graphql';

/** Composes subgraphs into a supergraph file in a temporary directory; returns its path. */
export function writeSupergraph(subgraphs: Array<{ name: string; url: string; typeDefs: DocumentNode }>): string {
  const result = composeServices(subgraphs);
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'router-supergraph-'));
  const file = path.join(dir, 'supergraph.graphql');
  fs.writeFileSync(file, result.supergraphSdl);
  return file;
}
