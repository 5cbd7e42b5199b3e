// The calling side of gRPC: promise clients with deadlines, retries on UNAVAILABLE and trace context.
import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { AuthContext } from '../auth';
import type { Clock } from '../clock';
import type { HealthCheck } from '../health';
import type { Metrics } from '../metrics';
import { fromGrpcError, injectTraceContext } from './metadata';
import {
  processServiceAuthSecret,
  processServiceName,
  SERVICE_AUTH_METADATA,
  serviceOfMethod,
  ServiceTokenCache,
  type CallerUser,
} from './service-auth';

type AnyMethod = grpc.MethodDefinition<unknown, unknown>;

/** Client method types derived from a generated service definition. */
export type PromiseClient<D> = {
  [K in keyof D as string extends K ? never : K]: D[K] extends MethodDefinition<
    infer Req,
    infer _Res,
    infer _ReqOut,
    infer ResOut
  >
    ? (request: Req, options?: GrpcCallOptions) => Promise<ResOut>
    : never;
};

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
  /**
   * Service authentication of every call (on by default): the service token is signed with
   * `secret` (default: the process's SERVICE_AUTH_SECRET) naming `service` as the caller (default:
   * the service this process serves). false sends none (tests of the refusal only).
   */
  auth?: GrpcClientAuthOptions | false;
  /** How the readiness check (grpcReachability) waits and remembers; defaults suit a probe every few seconds. */
  reachability?: GrpcReachabilityOptions;
}

export interface GrpcReachabilityOptions {
  /** How long a check waits for a channel that is not READY to become so (default 1 000 ms). */
  timeoutMs?: number;
  /** How long a verdict is reused (default 2 000 ms; 0: every check looks again). */
  cacheMs?: number;
}

export interface GrpcClientAuthOptions {
  service?: string;
  secret?: string;
  /** Token lifetime (60 s by default); a token is reused until shortly before it ends. */
  ttlSeconds?: number;
  /** "Now" for the token's iat/exp; tests pin it. */
  clock?: Clock;
}

export interface GrpcCallOptions {
  deadlineMs?: number;
  /** Extra metadata, e.g. the caller's authorization when acting on a user's behalf. */
  metadata?: Record<string, string>;
  /**
   * The user this call is made for (their AuthContext): carried in the signed service token, so
   * the callee sees it through callerOf(call).user and applies that user's rights.
   */
  onBehalfOf?: AuthContext | CallerUser;
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
  const auth = options.auth;
  const tokens = new ServiceTokenCache();
  // Read per call: the process registers its service name when its own server starts.
  const serviceToken = (audience: string, user: AuthContext | CallerUser | undefined) =>
    auth === false
      ? undefined
      : tokens.token({
          secret: auth?.secret ?? processServiceAuthSecret(),
          service: auth?.service ?? processServiceName(),
          audience,
          ...(user ? { user } : {}),
          ...(auth?.ttlSeconds ? { ttlSeconds: auth.ttlSeconds } : {}),
          ...(auth?.clock ? { clock: auth.clock } : {}),
        });

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
    injectTraceContext(metadata);
    for (const [key, value] of Object.entries(callOptions.metadata ?? {})) metadata.set(key, value);
    const token = await serviceToken(serviceOfMethod(method.path), callOptions.onBehalfOf);
    if (token) metadata.set(SERVICE_AUTH_METADATA, token);
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
    api[name] = (request: unknown, callOptions?: GrpcCallOptions) =>
      call(name, method as AnyMethod, request, callOptions);
  }
  reachabilityOf.set(api, channelReachability(client.getChannel(), address, options));
  return api as GrpcClient<D>;
}

/** The reachability check of each client createGrpcClient made, by client object. */
const reachabilityOf = new WeakMap<object, HealthCheck>();

/**
 * The readiness check of a gRPC dependency: passes when the client's channel is connected (READY),
 * or becomes so within a second, and throws naming the channel's state otherwise (the client's
 * `reachability` option changes both bounds). It makes no call, so probes put no load on the
 * dependency, only the connection the client keeps anyway (asking for the state wakes an idle
 * channel, which then connects). A verdict is reused for two seconds, so frequent probes do not
 * each wait. `client` is what createGrpcClient returned, possibly typed as a Pick of its methods.
 */
export function grpcReachability(client: object): HealthCheck {
  const check = reachabilityOf.get(client);
  if (!check) throw new Error('grpcReachability: not a client made by createGrpcClient');
  return check;
}

function channelReachability(channel: grpc.ChannelInterface, address: string, options: GrpcClientOptions): HealthCheck {
  const timeoutMs = options.reachability?.timeoutMs ?? 1_000;
  const cacheMs = options.reachability?.cacheMs ?? 2_000;
  let verdict: { at: number; state: grpc.connectivityState } | undefined;
  let pending: Promise<grpc.connectivityState> | undefined;
  return async () => {
    if (!verdict || Date.now() - verdict.at >= cacheMs) {
      // One wait at a time: concurrent probes share it.
      pending ??= settledState(channel, Date.now() + timeoutMs).finally(() => (pending = undefined));
      verdict = { at: Date.now(), state: await pending };
    }
    if (verdict.state !== grpc.connectivityState.READY) {
      throw new Error(
        `${options.name} (${address}) is not reachable: channel ${grpc.connectivityState[verdict.state]} after ${timeoutMs} ms`,
      );
    }
  };
}

/** The channel's state once READY, or at `deadline` (each change is watched; an idle channel is woken). */
function settledState(channel: grpc.ChannelInterface, deadline: number): Promise<grpc.connectivityState> {
  return new Promise((resolve) => {
    const look = () => {
      const state = channel.getConnectivityState(true);
      if (state === grpc.connectivityState.READY || state === grpc.connectivityState.SHUTDOWN) return resolve(state);
      if (Date.now() >= deadline) return resolve(state);
      // Called on a change of state, or with an error once the deadline passes.
      channel.watchConnectivityState(state, deadline, (error) =>
        error ? resolve(channel.getConnectivityState(false)) : look(),
      );
    };
    look();
  });
}
