import { z } from 'zod';
// The event contracts only (not the gRPC ones: loading those is the callers' business).
import { eventContracts } from '@campus/contracts/events';
import { eventQueuesFromContracts, type EventQueue } from './messaging/topology';

/** Raised when the environment does not satisfy a process's configuration schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment against a zod schema whose keys are the variable names. Every problem is
 * reported with the variable it concerns, so a bad deployment fails at start-up with one message.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  const unsetInProduction =
    env.NODE_ENV === 'production'
      ? Object.entries(schema.shape)
          .filter(([name, field]) => productionRequired.has(field as z.ZodType) && !env[name])
          .map(([name]) => `${name} is required in production`)
      : [];
  if (result.success && unsetInProduction.length === 0) return result.data;
  const problems = (result.success ? [] : result.error.issues).map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const value = env[String(issue.path[0])];
    return value === undefined ? `${name} is required (${issue.message})` : `${name}: ${issue.message}`;
  });
  throw new ConfigError([...problems, ...unsetInProduction]);
}

const productionRequired = new WeakSet<z.ZodType>();

/**
 * Marks an optional variable as required when NODE_ENV=production (secrets that have a safe local
 * fallback in development): loadConfig then names it among the problems when it is unset.
 */
export function requiredInProduction<T extends z.ZodType>(schema: T): T {
  productionRequired.add(schema);
  return schema;
}

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** A duration in whole seconds (token lifetimes, retention…); add `.default(n)` where one fits. */
const seconds = z.coerce.number().int().positive();
const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

/** Variables every process reads. */
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Address internal listeners bind to; only the router is meant to be reachable from outside. */
  BIND_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port,
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
};

/** How a subgraph serves GraphQL. */
export const graphqlEnv = {
  /** Valid queries and mutations executed by graphql-js without Apollo Server's request pipeline (graphql/direct-execution.ts). */
  GRAPHQL_DIRECT_EXECUTION: bool.default(true),
};

/** Shortest accepted SERVICE_AUTH_SECRET. */
export const MIN_SERVICE_AUTH_SECRET_LENGTH = 32;

/** A comma-separated list of secrets, blanks dropped. */
export const secretList = (list: string): string[] =>
  list
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);

/** A variable holding a comma-separated list of secrets (default: none), each at least `minLength` long. */
export const secretListEnv = (minLength: number) =>
  z
    .string()
    .default('')
    .refine(
      (list) => secretList(list).every((secret) => secret.length >= minLength),
      `each secret at least ${minLength} characters`,
    );

export const grpcEnv = {
  GRPC_PORT: port,
  GRPC_DEADLINE_MS: z.coerce.number().int().positive().default(5_000),
  /**
   * Signs and checks the short-lived service tokens of every gRPC call (HS256), the same for every
   * service of a deployment; required in production. Read by the platform's gRPC server and
   * clients from the environment (this entry makes start-up refuse a missing or short one).
   */
  SERVICE_AUTH_SECRET: requiredInProduction(z.string().min(MIN_SERVICE_AUTH_SECRET_LENGTH).optional()),
  /** Outside production without SERVICE_AUTH_SECRET: a random secret generated once and kept in this file (default .data/service-auth-secret). */
  SERVICE_AUTH_SECRET_FILE: z.string().min(1).optional(),
  /**
   * More secrets whose service tokens are accepted, comma-separated, never used to sign: the next
   * secret while a rotation rolls out, then the previous one (docs/operations.md, "Rotating
   * secrets"). Read by the platform's gRPC server from the environment, like SERVICE_AUTH_SECRET.
   */
  SERVICE_AUTH_SECRETS_ACCEPTED: secretListEnv(MIN_SERVICE_AUTH_SECRET_LENGTH),
};

/**
 * PostgreSQL's plan_cache_mode values. The services' hot reads are named statements, prepared once
 * per connection; under PostgreSQL's default (`auto`) most of them were planned again on every
 * execution (a generic plan, estimated without the values, looks dearer than a custom one — an
 * `= ANY($1::uuid[])` counts 10 ids), ~0.2 ms of PostgreSQL's CPU each time. `force_generic_plan`
 * plans each once per connection (docs/performance.md, "Statements planned once per connection").
 */
export const PLAN_CACHE_MODES = ['force_generic_plan', 'auto', 'force_custom_plan'] as const;
export type PlanCacheMode = (typeof PLAN_CACHE_MODES)[number];
export const DEFAULT_PLAN_CACHE_MODE: PlanCacheMode = 'force_generic_plan';

export const databaseEnv = {
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** How long a request waits for a free pool connection before it is answered UNAVAILABLE. */
  DB_POOL_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  /** PostgreSQL statement_timeout of every connection: a hung query frees its connection. */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** PostgreSQL plan_cache_mode of every connection (PLAN_CACHE_MODES). */
  DB_PLAN_CACHE_MODE: z.enum(PLAN_CACHE_MODES).default(DEFAULT_PLAN_CACHE_MODE),
};

export const authEnv = {
  /** Where identity publishes its public signing keys. */
  AUTH_JWKS_URL: z.url(),
  AUTH_ISSUER: z.string().min(1).default('campus-sirius-identity'),
  AUTH_AUDIENCE: z.string().min(1).default('campus-sirius'),
};

export const amqpEnv = {
  AMQP_URL: z.url({ protocol: /^amqps?$/ }).default('amqp://guest:guest@127.0.0.1:5672'),
  AMQP_EXCHANGE: z.string().min(1).default('campus.events'),
  /**
   * The notification consumer's queue. Notification reads it; every producer declares it and binds
   * the types the contracts' x-consumers give notification before it publishes, so an event is
   * never lost for want of a queue (a fresh deployment, a queue deleted). Empty: a producer declares
   * no consumer queue (a producer's own tests, on an exchange of their own).
   */
  NOTIFICATION_QUEUE: z.string().default('notification.events'),
};

export const campusEnv = {
  CAMPUS_TIMEZONE: z
    .string()
    .default('Europe/Moscow')
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not a known IANA time zone'),
};

export const envTypes = { port, bool, positiveInt, seconds };

/**
 * The address of another service's gRPC server, `<NAME>_GRPC_URL` (host:port), defaulting to that
 * service's local port: `grpcDependencyEnv('IDENTITY', 50051)` gives `{ IDENTITY_GRPC_URL }`.
 */
export function grpcDependencyEnv<N extends string>(
  name: N,
  defaultPort: number,
): { [K in `${N}_GRPC_URL`]: z.ZodDefault<z.ZodString> } {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) throw new Error(`grpcDependencyEnv: "${name}" is not an UPPER_SNAKE name`);
  if (!Number.isInteger(defaultPort) || defaultPort < 1 || defaultPort > 65535) {
    throw new Error(`grpcDependencyEnv: ${defaultPort} is not a port`);
  }
  const variable = { [`${name}_GRPC_URL`]: z.string().min(1).default(`127.0.0.1:${defaultPort}`) };
  return variable as { [K in `${N}_GRPC_URL`]: z.ZodDefault<z.ZodString> };
}

/** What every subgraph process is configured with, named for code rather than for the shell. */
export interface ServiceSettings {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  host: string;
  httpPort: number;
  grpcPort: number;
  grpcDeadlineMs: number;
  shutdownGraceMs: number;
  databaseUrl: string;
  dbPoolSize: number;
  dbPoolTimeoutMs: number;
  dbStatementTimeoutMs: number;
  dbPlanCacheMode: PlanCacheMode;
  auth: { jwksUrl: string; issuer: string; audience: string };
  graphqlDirectExecution: boolean;
}

type SharedServiceEnv = z.infer<
  z.ZodObject<typeof baseEnv & typeof graphqlEnv & typeof grpcEnv & typeof databaseEnv & typeof authEnv>
>;

/** The shared part of a service's parsed environment (baseEnv, graphqlEnv, grpcEnv, databaseEnv, authEnv) as ServiceSettings. */
export function serviceSettings(e: SharedServiceEnv): ServiceSettings {
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.BIND_HOST,
    httpPort: e.HTTP_PORT,
    grpcPort: e.GRPC_PORT,
    grpcDeadlineMs: e.GRPC_DEADLINE_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    databaseUrl: e.DATABASE_URL,
    dbPoolSize: e.DB_POOL_SIZE,
    dbPoolTimeoutMs: e.DB_POOL_TIMEOUT_MS,
    dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    dbPlanCacheMode: e.DB_PLAN_CACHE_MODE,
    auth: { jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE },
    graphqlDirectExecution: e.GRAPHQL_DIRECT_EXECUTION,
  };
}

/**
 * Every variable of a subgraph that owns a database, publishes events and decides in campus time,
 * with its local defaults: its ports, its database `campus_<name>`, identity's JWKS.
 */
export function subgraphEnv(name: string, httpPort: number, grpcPort: number) {
  return {
    ...baseEnv,
    HTTP_PORT: port.default(httpPort),
    ...graphqlEnv,
    ...grpcEnv,
    GRPC_PORT: port.default(grpcPort),
    ...databaseEnv,
    DATABASE_URL: databaseEnv.DATABASE_URL.default(`postgresql://postgres@127.0.0.1:5432/campus_${name}`),
    ...authEnv,
    AUTH_JWKS_URL: authEnv.AUTH_JWKS_URL.default('http://127.0.0.1:4001/.well-known/jwks.json'),
    ...amqpEnv,
    ...campusEnv,
  };
}

/** ServiceSettings plus the broker and the campus clock: what such a subgraph is configured with. */
export interface SubgraphSettings extends ServiceSettings {
  /** eventQueues: the consumer queues this process declares before publishing (see NOTIFICATION_QUEUE). */
  amqp: { url: string; exchange: string; eventQueues: EventQueue[] };
  campusTimeZone: string;
}

type SubgraphEnv = SharedServiceEnv & {
  AMQP_URL: string;
  AMQP_EXCHANGE: string;
  NOTIFICATION_QUEUE: string;
  CAMPUS_TIMEZONE: string;
};

/** The parsed `subgraphEnv` part of a service's environment as SubgraphSettings. */
export function subgraphSettings(e: SubgraphEnv): SubgraphSettings {
  return {
    ...serviceSettings(e),
    amqp: {
      url: e.AMQP_URL,
      exchange: e.AMQP_EXCHANGE,
      eventQueues: e.NOTIFICATION_QUEUE
        ? eventQueuesFromContracts(eventContracts().values(), { notification: e.NOTIFICATION_QUEUE })
        : [],
    },
    campusTimeZone: e.CAMPUS_TIMEZONE,
  };
}
