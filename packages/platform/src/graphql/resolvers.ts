import { GraphQLScalarType, type GraphQLFieldResolver } from 'graphql';

/**
 * A subgraph's resolver map, as buildSubgraphSchema takes it, without reaching into
 * `@apollo/subgraph/dist/…` (not public API): per type, field resolvers (or { requires, resolve,
 * subscribe }), a scalar, or an enum's internal values.
 */
// The parent differs per type and the arguments per field; a map over every type cannot name them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FieldResolver<TContext> = GraphQLFieldResolver<any, TContext>;

export type Resolvers<TContext> = {
  [typeName: string]:
    | {
        [fieldName: string]:
          | FieldResolver<TContext>
          | { requires?: string; resolve?: FieldResolver<TContext>; subscribe?: FieldResolver<TContext> };
      }
    | GraphQLScalarType
    | { [enumValue: string]: string | number };
};

/**
 * One resolver map from several topic maps (`<topic>.resolvers.ts`): per type, the fields of all
 * of them. A field defined twice is a programming error and throws at start-up; scalars and enums
 * are taken as they are (defined once).
 */
export function mergeResolvers<TContext>(...maps: ReadonlyArray<Resolvers<TContext>>): Resolvers<TContext> {
  const merged: Resolvers<TContext> = {};
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const existing = merged[typeName];
      if (!existing) {
        merged[typeName] = fields;
        continue;
      }
      if (fields instanceof GraphQLScalarType || existing instanceof GraphQLScalarType) {
        throw new Error(`mergeResolvers: ${typeName} is defined twice`);
      }
      for (const field of Object.keys(fields)) {
        if (field in existing) throw new Error(`mergeResolvers: ${typeName}.${field} is defined twice`);
      }
      merged[typeName] = { ...existing, ...fields } as Resolvers<TContext>[string];
    }
  }
  return merged;
}
