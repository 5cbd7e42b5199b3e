import { aliasLimit, depthLimit } from '@campus/platform';
import type { ParseOptions, ValidationRule } from 'graphql';
import type { RouterConfig } from './config';

export interface GraphQLLimits {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
}

/**
 * Cost guards applied before planning: a document is refused when it has too many tokens (checked
 * while parsing, so a huge document is cut short), nests too deep, or uses too many aliases
 * (alias-based batching). Request body size is bounded by the JSON parser in front of these.
 */
export function graphqlLimits(limits: RouterConfig['limits']): GraphQLLimits {
  return {
    validationRules: [depthLimit(limits.maxDepth), aliasLimit(limits.maxAliases)],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
