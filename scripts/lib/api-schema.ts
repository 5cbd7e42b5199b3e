// The API schema of a composed supergraph: what clients of the router see. One derivation for the
// client SDK (packages/client/scripts/codegen.ts) and the schema change check (scripts/schema-diff.ts),
// so both judge the same schema the router serves.
import { Supergraph, printSchema } from '@apollo/federation-internals';

/** The supergraph's API schema as SDL: federation's join__/link__ definitions and @inaccessible elements removed. */
export function apiSchemaSdl(supergraphSdl: string): string {
  return `${printSchema(Supergraph.build(supergraphSdl).apiSchema()).trimEnd()}\n`;
}
