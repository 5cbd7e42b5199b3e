// The GraphQL pieces every subgraph shares (the bootstrap itself is ../subgraph.ts).
export { formatGraphQLError, operationMetricsPlugin } from './errors';
export { aliasLimit, depthLimit } from './limits';
export { loadSchemaFile } from './schema-file';
export { DateScalar, DateTimeScalar } from './scalars';
export type { Resolvers } from './resolvers';
