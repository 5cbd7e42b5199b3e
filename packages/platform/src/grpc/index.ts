// The gRPC face of platform: servers from plain async handlers, promise clients.
export {
  grpcService,
  startGrpcServer,
  type GrpcCallContext,
  type GrpcServerOptions,
  type GrpcServiceBinding,
  type RunningGrpcServer,
  type UnaryHandlers,
} from './server';
export {
  createGrpcClient,
  type GrpcCallOptions,
  type GrpcClient,
  type GrpcClientOptions,
  type PromiseClient,
} from './client';
