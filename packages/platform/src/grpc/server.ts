// The serving side of gRPC: unary handlers as plain async functions, domain errors as statuses.
import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { grpcStatusOf, isInternal, toPublicError } from '../errors';
import type { Metrics } from '../metrics';
import { errorTrailer, incomingTraceContext } from './metadata';

/** Server handler types derived from a generated service definition: request in, promise out. */
export type UnaryHandlers<D> = {
  // `as` drops the index signature every generated definition inherits from grpc.ServiceDefinition
  [K in keyof D as string extends K ? never : K]: D[K] extends MethodDefinition<
    infer _Req,
    infer Res,
    infer ReqOut,
    infer _ResOut
  >
    ? (request: ReqOut, call: GrpcCallContext) => Promise<Res>
    : never;
};

export interface GrpcCallContext {
  metadata: grpc.Metadata;
  deadline: Date | number | undefined;
  logger: Logger;
}

export interface GrpcServiceBinding {
  definition: grpc.ServiceDefinition;
  handlers: Record<string, (request: unknown, call: GrpcCallContext) => Promise<unknown>>;
}

export function grpcService<D extends grpc.ServiceDefinition>(
  definition: D,
  handlers: UnaryHandlers<D>,
): GrpcServiceBinding {
  return { definition, handlers: handlers as unknown as GrpcServiceBinding['handlers'] };
}

export interface GrpcServerOptions {
  host: string;
  port: number;
  services: GrpcServiceBinding[];
  logger: Logger;
  metrics?: Metrics;
}

export interface RunningGrpcServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts a gRPC server whose handlers are plain async functions. Domain errors become the matching
 * gRPC status with the stable code and details in trailing metadata; anything else is INTERNAL with
 * no internals, logged with the trace id.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const server = new grpc.Server();
  for (const { definition, handlers } of options.services) {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      const handler = handlers[name];
      if (!handler) throw new Error(`gRPC handler missing for ${method.path}`);
      implementation[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const started = process.hrtime.bigint();
        context.with(incomingTraceContext(call.metadata), () => {
          const finish = (code: grpc.status) => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            options.metrics?.grpcCalls.inc({ side: 'server', method: method.path, code: grpc.status[code] });
            options.metrics?.grpcDuration.observe(
              { side: 'server', method: method.path, code: grpc.status[code] },
              seconds,
            );
          };
          handler(call.request, { metadata: call.metadata, deadline: call.getDeadline(), logger: options.logger })
            .then((response) => {
              finish(grpc.status.OK);
              callback(null, response);
            })
            .catch((error: unknown) => {
              const publicError = toPublicError(error);
              const code = grpcStatusOf(publicError);
              if (isInternal(error)) options.logger.error({ err: error, method: method.path }, 'gRPC handler failed');
              finish(code);
              callback({ code, details: publicError.message, metadata: errorTrailer(publicError) });
            });
        });
      };
    }
    server.addService(definition, implementation);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${options.host}:${options.port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  options.logger.info({ port, host: options.host }, 'gRPC server listening');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), 5_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
