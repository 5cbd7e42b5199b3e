export { inParallel } from './concurrency';
export {
  REPO_ROOT,
  createTestDatabase,
  dropStaleTestDatabases,
  ensureTemplateDatabase,
  runPrismaMigrateDeploy,
  templateName,
  testDatabasePool,
  testServerUrl,
  type TestDatabase,
} from './database';
export { errorCodes, graphqlRequest, type GraphQLRequestOptions, type GraphQLResponse } from './graphql';
export { jpg, mp3, pdf, png, wav } from './media';
export { freePort } from './ports';
export { graphqlAs, serviceTestEnv, type GraphQLAs, type ServiceTestEnvOptions } from './service-env';
export {
  startProcess,
  testServiceAuthSecret,
  type LogLine,
  type ServiceProcess,
  type StartProcessOptions,
} from './process';
export { openSse, type SseEvent, type SseStream } from './sse';
export { TcpProxy } from './tcp-proxy';
// Who acts, and as whom the services see them.
export { authOf, residence, staff, student, testUser, type TestUser } from './users';
export {
  TEST_TOKEN_AUDIENCE,
  TEST_TOKEN_ISSUER,
  signAccessToken,
  testTokens,
  type SigningKey,
  type TestTokens,
  type TokenOptions,
  type TokenSubject,
} from './tokens';
export { serveJwks, type JwksServer } from './jwks-server';
export {
  IdentityDouble,
  slowBy,
  startIdentityDouble,
  type CallBehaviour,
  type IdentityCall,
  type IdentityMethod,
} from './identity-double';
// Time and asynchronous effects.
export { TestClock } from './clock';
export { eventually, waitFor } from './wait';
export { testAmqpUrl, uniqueBrokerNames, type BrokerNames } from './broker-names';
export { EventObserver, type ObservedMessage } from './event-observer';
export { refusedPut } from './refused-put';
