import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { context, propagation, trace, type Context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { DomainError, ErrorCodes, grpcStatusOf, isInternal, kindOfGrpcStatus, toPublicError } from './errors';
import type { Metrics } from './metrics';

const ERROR_CODE_KEY = 'x-error-code';
const ERROR_DETAILS_KEY = 'x-error-details';

type AnyMethod = grpc.MethodDefinition<unknown, unknown>;

/** Server handler types derived from a generated service definition: request in, promise out. */
export type UnaryHandlers<D> = {
  // `as` drops the index signature every generated definition inherits from grpc.ServiceDefinition
  [K in keyof D as string extends K ? never : K]: D[K] extends MethodDefinition<infer _Req, infer Res, infer ReqOut, infer _ResOut>
    ? (request: ReqOut, call: GrpcCallContext) => Promise<Res>
    : never;
};

/** Client method types derived from a generated service definition. */
export type PromiseClient<D> = {
  [K in keyof D as string extends K ? never : K]: D[K] extends MethodDefinition<infer Req, infer _Res, infer _ReqOut, infer ResOut>
    ? (request: Req, options?: GrpcCallOptions) => Promise<ResOut>
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

export function grpcService<D extends grpc.ServiceDefinition>(definition: D, handlers: UnaryHandlers<D>): GrpcServiceBinding {
  return { definition, handlers: handlers as unknown as GrpcServiceBinding['handlers'] };
}

const metadataGetter = {
  keys: (carrier: grpc.Metadata) => Object.keys(carrier.getMap()),
  get: (carrier: grpc.Metadata, key: string) => {
    const values = carrier.get(key);
    return values.length ? String(values[0]) : undefined;
  },
};

/** The caller's trace context, unless an instrumentation already made it current. */
function incomingContext(metadata: grpc.Metadata): Context {
  if (trace.getActiveSpan()) return context.active();
  return propagation.extract(context.active(), metadata, metadataGetter);
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
        context.with(incomingContext(call.metadata), () => {
          const finish = (code: grpc.status) => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            options.metrics?.grpcCalls.inc({ side: 'server', method: method.path, code: grpc.status[code] });
            options.metrics?.grpcDuration.observe({ side: 'server', method: method.path, code: grpc.status[code] }, seconds);
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
              const trailer = new grpc.Metadata();
              trailer.set(ERROR_CODE_KEY, publicError.code);
              trailer.set(ERROR_DETAILS_KEY, JSON.stringify(publicError.details));
              finish(code);
              callback({ code, details: publicError.message, metadata: trailer });
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

export interface GrpcClientOptions {
  /** Name of the dependency, used in errors and metrics (e.g. "identity"). */
  name: string;
  /** Overall deadline per call, retries included. */
  deadlineMs?: number;
  /** Attempts on UNAVAILABLE (the first one included). */
  attempts?: number;
  /** First retry delay; doubles each retry. */
  backoffMs?: number;
  metrics?: Metrics;
}

export interface GrpcCallOptions {
  deadlineMs?: number;
  /** Extra metadata, e.g. the caller's authorization when acting on a user's behalf. */
  metadata?: Record<string, string>;
}

export type GrpcClient<D> = PromiseClient<D> & {
  $waitForReady(timeoutMs: number): Promise<void>;
  $close(): void;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A promise-based client for a generated service definition. Every call has a deadline (5 s by
 * default, for all attempts together), is retried only on UNAVAILABLE (3 attempts, exponential
 * backoff with jitter) and carries the current trace context as `traceparent`.
 */
export function createGrpcClient<D extends grpc.ServiceDefinition>(
  definition: D,
  address: string,
  options: GrpcClientOptions,
): GrpcClient<D> {
  const Client = grpc.makeGenericClientConstructor(definition, options.name);
  const client = new Client(address, grpc.credentials.createInsecure(), {
    'grpc.keepalive_time_ms': 30_000,
  });
  const deadlineMs = options.deadlineMs ?? 5_000;
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 100;

  const unary = (method: AnyMethod, request: unknown, deadline: number, metadata: grpc.Metadata) =>
    new Promise<unknown>((resolve, reject) => {
      client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        request,
        metadata,
        { deadline },
        (err, response) => (err ? reject(err) : resolve(response)),
      );
    });

  const call = async (name: string, method: AnyMethod, request: unknown, callOptions: GrpcCallOptions = {}) => {
    const started = Date.now();
    const deadline = started + (callOptions.deadlineMs ?? deadlineMs);
    const metadata = new grpc.Metadata();
    propagation.inject(context.active(), metadata, { set: (carrier, key, value) => carrier.set(key, value) });
    for (const [key, value] of Object.entries(callOptions.metadata ?? {})) metadata.set(key, value);
    let lastError: grpc.ServiceError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await unary(method, request, deadline, metadata);
        record(name, grpc.status.OK, started);
        return response;
      } catch (error) {
        lastError = error as grpc.ServiceError;
        const delay = backoffMs * 2 ** (attempt - 1) * (0.8 + Math.random() * 0.4);
        const retryable = lastError.code === grpc.status.UNAVAILABLE && attempt < attempts;
        if (!retryable || Date.now() + delay >= deadline) break;
        await sleep(delay);
      }
    }
    record(name, lastError?.code ?? grpc.status.UNKNOWN, started);
    throw fromGrpcError(lastError!, options.name);
  };

  const record = (method: string, code: grpc.status, started: number) => {
    const labels = { side: 'client', method: `${options.name}.${method}`, code: grpc.status[code] ?? String(code) };
    options.metrics?.grpcCalls.inc(labels);
    options.metrics?.grpcDuration.observe(labels, (Date.now() - started) / 1000);
  };

  const api: Record<string, unknown> = {
    $waitForReady: (timeoutMs: number) =>
      new Promise<void>((resolve, reject) =>
        client.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve())),
      ),
    $close: () => client.close(),
  };
  for (const [name, method] of Object.entries(definition)) {
    api[name] = (request: unknown, callOptions?: GrpcCallOptions) => call(name, method as AnyMethod, request, callOptions);
  }
  return api as GrpcClient<D>;
}

/** Restores the domain error a gRPC server sent, or classifies a transport failure. */
export function fromGrpcError(error: grpc.ServiceError, dependency: string): DomainError {
  const code = error.metadata?.get(ERROR_CODE_KEY)[0];
  if (typeof code === 'string' && code.length > 0) {
    let details: Record<string, unknown> = {};
    try {
      details = JSON.parse(String(error.metadata.get(ERROR_DETAILS_KEY)[0] ?? '{}')) as Record<string, unknown>;
    } catch {
      details = {};
    }
    return new DomainError(kindOfGrpcStatus(error.code), code, error.details || error.message, details);
  }
  const kind = kindOfGrpcStatus(error.code);
  const statusName = grpc.status[error.code] ?? 'UNKNOWN';
  const message =
    kind === 'UNAVAILABLE'
      ? `The ${dependency} service is unavailable (${statusName})`
      : `The ${dependency} service failed (${statusName})`;
  return new DomainError(kind, ErrorCodes[kind], message, { dependency, grpcStatus: statusName });
}
