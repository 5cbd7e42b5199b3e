// The public face of @campus/platform: infrastructure every Campus process shares. Named exports
// only; what is not listed here is internal to the package (README.md has one line per group).

// Process lifecycle: run a service, compose it, close what it opened.
export { Closers, composeService, runService, type ComposedService, type Closer } from './service';
export {
  isClusterWorker,
  shareMetricsWithClusterPrimary,
  startClusterPrimary,
  type ClusterOptions,
  type RunningCluster,
} from './cluster';
export { startTelemetry, stopTelemetry } from './telemetry';

// Configuration: env schemas by concern, typed helpers, the shared settings shape.
export {
  ConfigError,
  amqpEnv,
  authEnv,
  baseEnv,
  campusEnv,
  databaseEnv,
  envTypes,
  graphqlEnv,
  grpcDependencyEnv,
  grpcEnv,
  loadConfig,
  requiredInProduction,
  secretList,
  secretListEnv,
  serviceSettings,
  subgraphEnv,
  subgraphSettings,
  type SubgraphSettings,
  type ServiceSettings,
} from './config';

// Observability: logs, metrics, readiness, the ambient trace.
export { createLogger, type Logger } from './logger';
export { Metrics } from './metrics';
export { currentDatabaseTime, DatabaseTime, withDatabaseTime } from './database-time';
export { HealthRegistry, readinessChecks, type HealthCheck, type ReadinessReport } from './health';
export {
  contextOfIncomingTrace,
  currentTraceId,
  currentTraceparent,
  incomingOrNewTraceparent,
  inIncomingTrace,
} from './trace-context';

// Errors: one model, its catalogs, and what a client may see of any failure.
export {
  DomainError,
  ErrorCodes,
  conflict,
  forbidden,
  fromZodError,
  httpStatusOf,
  isTransientInfrastructureError,
  methodNotAllowed,
  notFound,
  serviceBusy,
  toHttpErrorBody,
  toPublicError,
  tooLarge,
  unauthenticated,
  unavailable,
  validationError,
  type ErrorDetails,
  type ErrorKind,
} from './errors';
export {
  defineErrorCodes,
  sharedErrors,
  type ErrorCatalog,
  type ErrorCatalogEntry,
  type ErrorCodeSpec,
  type PrefixedCode,
} from './error-catalog';

// Input and small utilities: validation, pagination, time, tokens, concurrent dependencies, the
// demo seeds' guard.
export { parseInput } from './validation';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageOf, pageRequest, type Page, type PageRequest } from './pagination';
export { systemClock, type Clock } from './clock';
export { secureToken, sha256Hex } from './secrets';
export { fromDependencies } from './dependencies';
export { demoSeedRefusal, type DemoSeedEnv } from './demo-seed';

// Authentication and role guards (the campus words they use are in the kernel below).
export {
  ACCESS_TOKEN_ALGORITHM,
  TokenVerifier,
  tokenVerifierFor,
  accessClaimsSchema,
  bearerToken,
  hasRole,
  isStaff,
  requireAuth,
  requireRole,
  type AccessClaims,
  type AuthContext,
  type TokenVerifierOptions,
} from './auth';

// Shared kernel: campus words every service uses; no business rules.
export {
  ROLES,
  STAFF_ROLES,
  STUDENT_ROLES,
  actsOnEntrance,
  buildingCodeSchema,
  entranceRefSchema,
  MAX_BUILDING_CODE,
  MAX_ROOM_NUMBER,
  isCalendarDate,
  localDate,
  normalizeRussianPhone,
  requireEntranceScope,
  residenceSchema,
  roomNumberSchema,
  wallClock,
  zonedInstant,
  type EntranceRef,
  type EntranceScopeRule,
  type Residence,
  type Role,
  type WallClock,
} from './campus';

// HTTP: listeners, operational routes, errors of plain routes.
export {
  REQUEST_ID_HEADER,
  httpErrorHandler,
  listen,
  mountOperationalRoutes,
  requestId,
  route,
  runSteps,
  sendError,
  type HttpStep,
  type RunningHttpServer,
} from './http';

// GraphQL: the subgraph bootstrap, error shaping, limits, scalars, resolver typing.
export { authenticate, startSubgraph, type BaseContext, type RunningSubgraph, type SubgraphOptions } from './subgraph';
export { graphqlPostHandler, type GraphQLPostOptions } from './graphql/post-handler';
export {
  DateScalar,
  DateTimeScalar,
  aliasLimit,
  depthLimit,
  fieldsSelectedUnder,
  formatErrorsAsApollo,
  formatGraphQLError,
  GRAPHQL_REQUEST_ERRORS,
  JSONObjectScalar,
  loadSchemaFile,
  mergeResolvers,
  operationMetricsPlugin,
  recordOperation,
  selectsField,
  type ApolloFormattedErrors,
  type DirectAnswer,
  type Resolvers,
} from './graphql';

// gRPC: servers from plain async handlers, promise clients with deadlines and retries, service
// authentication (service tokens checked by every server, attached by every client).
export {
  callerOf,
  requireCaller,
  createGrpcClient,
  grpcReachability,
  grpcService,
  localServiceAuthSecret,
  processAcceptedServiceAuthSecrets,
  processServiceAuthSecret,
  SERVICE_AUTH_METADATA,
  signServiceToken,
  startGrpcServer,
  type CallerUser,
  type GrpcCallContext,
  type GrpcCallOptions,
  type GrpcClient,
  type GrpcClientAuthOptions,
  type GrpcClientOptions,
  type GrpcReachabilityOptions,
  type GrpcServerAuthOptions,
  type GrpcServerOptions,
  type ServiceCaller,
  type GrpcServiceBinding,
  type PromiseClient,
  type RunningGrpcServer,
  type UnaryHandlers,
} from './grpc';

// Database: the pg pool and the Prisma client over it.
export {
  checkDatabase,
  columnsAsFields,
  createDatabasePool,
  createPrismaClient,
  inTransaction,
  openDatabase,
  openServiceDatabase,
  type DatabaseClient,
  type DatabaseConfig,
  type DatabasePool,
  type OpenDatabaseOptions,
  type PoolLimits,
} from './database';

// Scheduling: durable one-off and recurring jobs (pg-boss in the service's database), effects once per job id.
export {
  DEFAULT_SCHEDULER_SCHEMA,
  claimJobRun,
  createScheduler,
  inOwnTrace,
  nextCronTime,
  type JobDefinition,
  type JobHandler,
  type JobOptions,
  type JobRunExecutor,
  type RunAtOptions,
  type ScheduledJob,
  type Scheduler,
  type SchedulerCounts,
  type SchedulerJob,
  type SchedulerOptions,
} from './scheduler';

// Messaging: CloudEvents, transactional outbox, reliable consumers, inbox, parked messages, broadcast.
export {
  AmqpBroker,
  Broadcast,
  EventConsumer,
  InboxPruner,
  OutboxRelay,
  UnprocessableEventError,
  UnroutedEventError,
  cloudEvent,
  consumerQueues,
  defaultEventQueueName,
  enqueueEvents,
  eventQueuesFromContracts,
  inboxClaim,
  inboxHas,
  inboxHasOnPool,
  listParked,
  outboxInsert,
  outboxParameter,
  replayParked,
  startOutboxPublishing,
  withInbox,
  type BroadcastOptions,
  type BrokerOptions,
  type CloudEvent,
  type ConsumeContext,
  type ConsumedEventType,
  type ConsumerQueues,
  type EventConsumerOptions,
  type EventQueue,
  type EventHandler,
  type InboxOutcome,
  type InboxPrunerOptions,
  type NewCloudEvent,
  type OutboxPublishingOptions,
  type OutboxRelayOptions,
  type ParkedListing,
  type ParkedMessage,
  type ReplayResult,
  type ReplaySelection,
  type SqlExecutor,
  type SqlQuerier,
  type TransactionRunner,
} from './messaging';

// Uploads and downloads: single-use upload links (route, spool to disk under a size limit, file
// format from content, link store), file storage (local or S3), signed download links.
export {
  DISCARD_MAX_BYTES,
  DISCARD_MAX_MS,
  FileLinks,
  LocalFileStorage,
  LocalUploadSpool,
  MIN_FILE_URL_SECRET_LENGTH,
  S3FileStorage,
  assertStorageKey,
  createS3Client,
  fileStorageConfig,
  fileStorageEnv,
  fileUrlSecretEnv,
  localFileUrlSecret,
  openFileStorage,
  resolveFileUrlSecret,
  s3Env,
  PgUploadLinkStore,
  REFUSED_LINK_GRACE_MS,
  UPLOAD_LINK_PRISMA_MODEL,
  UPLOAD_LINK_RETENTION_MS,
  UploadLinks,
  detectFileFormat,
  sendPrivateFile,
  receiveToFile,
  timedRoute,
  uploadLinkRefusalMessage,
  uploadRoute,
  type FileFormat,
  type OutgoingFile,
  type FileLinkCheck,
  type FileLinkRefusalReason,
  type FileLinksOptions,
  type FileStorage,
  type FileStorageConfig,
  type FileStorageEnvValues,
  type IssuedFileLink,
  type IssuedUploadLink,
  type S3Sender,
  type S3StorageSettings,
  type PgUploadLinkStoreOptions,
  type ReceiveUpload,
  type SpooledFile,
  type UploadGrant,
  type UploadLink,
  type UploadLinkClaim,
  type UploadLinkRefusalReason,
  type UploadLinkStore,
  type UploadLinksOptions,
  type UploadRouteOptions,
  type UploadSpool,
} from './uploads';
