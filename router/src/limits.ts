import { aliasLimit, depthLimit } from '@campus/platform';
import { MaxIntrospectionDepthRule, type ParseOptions, type ValidationRule } from 'graphql';
import type { RouterConfig } from './config';
import { isIntrospectionOnly } from './document';

export interface GraphQLLimits {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  /** Apollo's fragment-expansion guard; the rules above run only on documents that pass it. */
  maxRecursiveSelections: number;
}

/**
 * The depth limit, except for a pure introspection document: the standard introspection query
 * (GraphiQL's) is 15 levels deep. Such documents get graphql-js's MaxIntrospectionDepthRule, which
 * refuses the recursive `fields { type { fields … } }` pattern that makes introspection expensive.
 */
export function depthLimitOutsideIntrospection(maxDepth: number): ValidationRule {
  const limit = depthLimit(maxDepth);
  return (context) =>
    isIntrospectionOnly(context.getDocument()) ? MaxIntrospectionDepthRule(context) : limit(context);
}

/**
 * Cost guards applied before planning: a document is refused when it has too many tokens (checked
 * while parsing, so a huge document is cut short), expands through fragments into too many
 * selections (a "fragment bomb" stays small in tokens), nests too deep, or uses too many aliases
 * (alias-based batching). Request body size is bounded by the JSON parser in front of these.
 */
export function graphqlLimits(limits: RouterConfig['limits']): GraphQLLimits {
  return {
    validationRules: [depthLimitOutsideIntrospection(limits.maxDepth), aliasLimit(limits.maxAliases)],
    parseOptions: { maxTokens: limits.maxTokens },
    maxRecursiveSelections: limits.maxSelections,
  };
}
