// The Campus Sirius client SDK: the generated documents and types (src/gql, from operations/*.graphql
// and the router's API schema), the client that sends them, and its errors.
export * from './gql/graphql';
export {
  CampusClient,
  documentHash,
  operationNameOf,
  requestBody,
  type CampusClientOptions,
  type DocumentTransport,
  type GeneratedDocument,
  type GraphQLRequestBody,
  type GraphQLResult,
  type NotificationStreamEvent,
  type NotificationStreamOptions,
  type Session,
  type VariablesArgument,
} from './client';
export { CampusError } from './errors';
export { parseServerSentEvents, type ServerSentEvent } from './sse';
