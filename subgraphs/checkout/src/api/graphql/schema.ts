import { loadSchemaFile } from '@campus/platform';

/** The checkout subgraph's SDL, from schema.graphql beside this file (composed by supergraph.yaml). */
export const typeDefs = loadSchemaFile(__dirname);
