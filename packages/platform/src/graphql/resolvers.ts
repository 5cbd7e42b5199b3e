import type { GraphQLFieldResolver, GraphQLScalarType } from 'graphql';

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
