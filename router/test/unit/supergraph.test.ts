import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { ConfigError } from '@campus/platform';
import { parse } from 'graphql';
import { loadSupergraph, subgraphsOf } from '../../src/supergraph';

const sdl = (field: string) =>
  parse(`extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Query { ${field}: String }`);

function composed(): string {
  const result = composeServices([
    { name: 'identity', url: 'http://127.0.0.1:4001/graphql', typeDefs: sdl('me') },
    { name: 'leave', url: 'http://127.0.0.1:4005/graphql', typeDefs: sdl('leaves') },
  ]);
  if (!result.supergraphSdl) throw new Error('composition failed');
  return result.supergraphSdl;
}

function tempFile(content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'supergraph-')), 'supergraph.graphql');
  fs.writeFileSync(file, content);
  return file;
}

describe('supergraph', () => {
  it('lists the subgraphs a composed supergraph names', () => {
    expect(subgraphsOf(composed())).toEqual([
      { name: 'identity', url: 'http://127.0.0.1:4001/graphql' },
      { name: 'leave', url: 'http://127.0.0.1:4005/graphql' },
    ]);
  });

  it('applies SUBGRAPH_<NAME>_URL overrides and reports the ones that name no subgraph', () => {
    const loaded = loadSupergraph(tempFile(composed()), {
      SUBGRAPH_LEAVE_URL: 'http://127.0.0.1:9999/graphql',
      SUBGRAPH_LEAV_URL: 'http://127.0.0.1:1/graphql',
    });
    expect(loaded.subgraphs).toEqual([
      { name: 'identity', url: 'http://127.0.0.1:4001/graphql' },
      { name: 'leave', url: 'http://127.0.0.1:9999/graphql' },
    ]);
    expect(loaded.unusedOverrides).toEqual(['SUBGRAPH_LEAV_URL']);
  });

  it('refuses a missing file or a schema that is not a supergraph', () => {
    expect(() => loadSupergraph('/nonexistent/supergraph.graphql', {})).toThrow(/run npm run compose/);
    expect(() => loadSupergraph(tempFile('type Query { a: String }'), {})).toThrow(ConfigError);
  });
});
