// The gRPC face of platform: servers from plain async handlers, promise clients.
export {
  callerOf,
  requireCaller,
  grpcService,
  startGrpcServer,
  type GrpcCallContext,
  type GrpcServerAuthOptions,
  type GrpcServerOptions,
  type GrpcServiceBinding,
  type RunningGrpcServer,
  type UnaryHandlers,
} from './server';
export {
  createGrpcClient,
  grpcReachability,
  type GrpcCallOptions,
  type GrpcClient,
  type GrpcClientAuthOptions,
  type GrpcClientOptions,
  type GrpcReachabilityOptions,
  type PromiseClient,
} from './client';
export {
  DEFAULT_SERVICE_AUTH_SECRET_FILE,
  SERVICE_AUTH_METADATA,
  SERVICE_TOKEN_TTL_SECONDS,
  localServiceAuthSecret,
  processAcceptedServiceAuthSecrets,
  processServiceAuthSecret,
  serviceOfMethod,
  signServiceToken,
  verifyServiceToken,
  type CallerUser,
  type ServiceAuthFailure,
  type ServiceCaller,
} from './service-auth';
