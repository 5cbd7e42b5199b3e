// The serving side of gRPC: unary handlers as plain async functions, domain errors as statuses.
import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import { forbidden, grpcStatusOf, isInternal, toPublicError } from '../errors';
import { DatabaseTime, withDatabaseTime } from '../database-time';
import type { Metrics } from '../metrics';
import { errorTrailer, incomingTraceContext } from './metadata';
import {
  processAcceptedServiceAuthSecrets,
  processServiceAuthSecret,
  registerProcessService,
  SERVICE_AUTH_METADATA,
  serviceAuthError,
  serviceOfMethod,
  ServiceTokenVerifier,
  type ServiceCaller,
} from './service-auth';

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
  /** The verified calling service and, when it acts for one, the user (see callerOf). */
  caller: ServiceCaller;
}

/** Who is calling: the service whose token the server verified, and the user it acts for, if any. */
export const callerOf = (call: Pick<GrpcCallContext, 'caller'>): ServiceCaller => call.caller;

/**
 * For a method only some services may call (e.g. a saga participant's command, for the checkout
 * orchestrator only): the caller, or PERMISSION_DENIED (FORBIDDEN, details.caller) for any other.
 */
export function requireCaller(call: Pick<GrpcCallContext, 'caller'>, ...services: readonly string[]): ServiceCaller {
  if (!services.includes(call.caller.service)) {
    throw forbidden(`${call.caller.service} may not call this method (only ${services.join(', ')})`, {
      caller: call.caller.service,
      allowed: [...services],
    });
  }
  return call.caller;
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
  /** Service authentication: always on; these only tune it. */
  auth?: GrpcServerAuthOptions;
}

export interface GrpcServerAuthOptions {
  /** Defaults to the process's SERVICE_AUTH_SECRET (or, outside production, the data directory's). */
  secret?: string;
  /** More secrets whose tokens are accepted; defaults to the process's SERVICE_AUTH_SECRETS_ACCEPTED. */
  acceptedSecrets?: readonly string[];
  /** Services allowed to call (token `sub`); unset: any service holding the secret. */
  allowedCallers?: readonly string[];
  /** "Now" for expiry checks; tests pin it. */
  clock?: Clock;
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
  const secret = options.auth?.secret ?? processServiceAuthSecret();
  const verified = new WeakMap<grpc.Metadata, ServiceCaller>();
  const refused = (path: string) =>
    options.metrics?.grpcCalls.inc({ side: 'server', method: path, code: grpc.status[grpc.status.UNAUTHENTICATED] });
  const server = new grpc.Server({
    interceptors: [
      serviceAuthInterceptor({
        verifier: new ServiceTokenVerifier({
          secret,
          acceptedSecrets: options.auth?.acceptedSecrets ?? processAcceptedServiceAuthSecrets(),
          allowedCallers: options.auth?.allowedCallers,
          clock: options.auth?.clock,
        }),
        verified,
        refused,
        logger: options.logger,
      }),
    ],
  });
  const served = options.services[0] && Object.values(options.services[0].definition)[0]?.path;
  if (served) registerProcessService(serviceOfMethod(served));
  for (const { definition, handlers } of options.services) {
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      const handler = handlers[name];
      if (!handler) throw new Error(`gRPC handler missing for ${method.path}`);
      implementation[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const started = process.hrtime.bigint();
        const database = new DatabaseTime();
        context.with(incomingTraceContext(call.metadata), () => {
          const finish = (code: grpc.status) => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            options.metrics?.grpcCalls.inc({ side: 'server', method: method.path, code: grpc.status[code] });
            options.metrics?.grpcDuration.observe(
              { side: 'server', method: method.path, code: grpc.status[code] },
              seconds,
            );
            options.metrics?.observeDatabaseTime('grpc', method.path, database);
          };
          const caller = verified.get(call.metadata);
          // The interceptor verified every call that gets here; without its verdict, refuse anyway.
          const run = caller
            ? withDatabaseTime(database, () =>
                handler(call.request, {
                  metadata: call.metadata,
                  deadline: call.getDeadline(),
                  logger: options.logger,
                  caller,
                }),
              )
            : Promise.reject(serviceAuthError('missing', serviceOfMethod(method.path)));
          run
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

interface ServiceAuthInterceptorOptions {
  verifier: ServiceTokenVerifier;
  /** Where the verdict is left for the handler (keyed by the call's metadata). */
  verified: WeakMap<grpc.Metadata, ServiceCaller>;
  refused: (path: string) => void;
  logger: Logger;
}

/**
 * The server interceptor of service authentication: before a handler sees a call, its service
 * token must verify (signature, expiry, audience = the service the method belongs to, allowed
 * caller); otherwise the call ends UNAUTHENTICATED, coded like every platform gRPC error.
 */
function serviceAuthInterceptor(options: ServiceAuthInterceptorOptions): grpc.ServerInterceptor {
  return (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, forward) => {
            const token = metadata.get(SERVICE_AUTH_METADATA)[0];
            // The token has done its job; handlers and logs never see it.
            metadata.remove(SERVICE_AUTH_METADATA);
            options.verifier
              .verify(typeof token === 'string' ? token : undefined, serviceOfMethod(method.path))
              .then((caller) => {
                options.verified.set(metadata, caller);
                forward(metadata);
              })
              .catch((error: unknown) => {
                const refusal = toPublicError(error);
                options.logger.warn(
                  { method: method.path, reason: refusal.details.reason },
                  'gRPC call refused: no valid service credential',
                );
                options.refused(method.path);
                call.sendStatus({
                  code: grpcStatusOf(refusal),
                  details: refusal.message,
                  metadata: errorTrailer(refusal),
                });
              });
          },
        }),
    });
}
