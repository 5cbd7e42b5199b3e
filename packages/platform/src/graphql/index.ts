// The GraphQL pieces every subgraph shares (the bootstrap itself is ../subgraph.ts).
export { formatGraphQLError, GRAPHQL_REQUEST_ERRORS, operationMetricsPlugin, recordOperation } from './errors';
export {
  directExecution,
  formatErrorsAsApollo,
  type ApolloFormattedErrors,
  type DirectAnswer,
} from './direct-execution';
export { SERVICE_TOKEN_HEADER, safeTextPlugin, schemaIntrospectionGate } from './edge-guards';
export { aliasLimit, depthLimit, depthLimitOutsideIntrospection, SUBGRAPH_LIMITS } from './limits';
export { loadSchemaFile } from './schema-file';
export { DateScalar, DateTimeScalar, JSONObjectScalar } from './scalars';
export { mergeResolvers, type Resolvers } from './resolvers';
export { fieldsSelectedUnder, selectsField } from './selection';
