import {
  GraphQLError,
  Kind,
  MaxIntrospectionDepthRule,
  type ASTNode,
  type DocumentNode,
  type ValidationRule,
} from 'graphql';

// Validation rules that bound what one document may ask for, before anything executes.

/** Refuses documents nested deeper than `maxDepth` (fragments followed). */
export function depthLimit(maxDepth: number): ValidationRule {
  return (context) => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
        .map((d) => [d.name.value, d] as const),
    );
    const depthOf = (node: ASTNode, depth: number, seen: Set<string>): number => {
      if (depth > maxDepth) return depth;
      if (node.kind === Kind.FIELD) {
        if (!node.selectionSet) return depth;
        return Math.max(depth, ...node.selectionSet.selections.map((s) => depthOf(s, depth + 1, seen)));
      }
      if (node.kind === Kind.INLINE_FRAGMENT) {
        return Math.max(depth, ...node.selectionSet.selections.map((s) => depthOf(s, depth, seen)));
      }
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(node.name.value);
        if (!fragment || seen.has(node.name.value)) return depth;
        const next = new Set(seen).add(node.name.value);
        return Math.max(depth, ...fragment.selectionSet.selections.map((s) => depthOf(s, depth, next)));
      }
      return depth;
    };
    return {
      OperationDefinition(operation) {
        const depth = Math.max(0, ...operation.selectionSet.selections.map((s) => depthOf(s, 1, new Set())));
        if (depth > maxDepth) {
          context.reportError(
            new GraphQLError(`The query is nested ${depth} levels deep; at most ${maxDepth} are allowed`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP', details: { maxDepth } },
            }),
          );
        }
      },
    };
  };
}

/** Refuses documents with more than `maxAliases` aliased fields (alias-based batching attacks). */
export function aliasLimit(maxAliases: number): ValidationRule {
  return (context) => {
    let aliases = 0;
    return {
      Field(node) {
        if (node.alias) aliases++;
      },
      Document: {
        leave(node) {
          if (aliases > maxAliases) {
            context.reportError(
              new GraphQLError(`The query uses ${aliases} aliases; at most ${maxAliases} are allowed`, {
                nodes: [node],
                extensions: { code: 'QUERY_TOO_COMPLEX', details: { maxAliases } },
              }),
            );
          }
        },
      },
    };
  };
}

/** True when every root field of every operation is `__schema`, `__type` or `__typename`. */
function isIntrospectionOnly(document: DocumentNode): boolean {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length > 0 &&
    operations.every((op) =>
      op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__')),
    )
  );
}

/**
 * The depth limit, except for a pure introspection document (the standard introspection query is 15
 * levels deep): that gets graphql-js's MaxIntrospectionDepthRule, which refuses the recursive
 * `fields { type { fields … } }` pattern instead.
 */
export function depthLimitOutsideIntrospection(maxDepth: number): ValidationRule {
  const limit = depthLimit(maxDepth);
  return (context) =>
    isIntrospectionOnly(context.getDocument()) ? MaxIntrospectionDepthRule(context) : limit(context);
}

/** The router's defaults (router/src/config.ts GRAPHQL_MAX_DEPTH / GRAPHQL_MAX_ALIASES), for every subgraph. */
export const SUBGRAPH_LIMITS = { maxDepth: 12, maxAliases: 30 } as const;
