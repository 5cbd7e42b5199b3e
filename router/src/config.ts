import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, authEnv, baseEnv, envTypes, loadConfig } from '@campus/platform';
import { z } from 'zod';
import { parseProxyRoutes, type ProxyRouteSpec } from './proxy';

/** The repository root, both from src/ (tsx, jest) and from dist/ (built). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const positiveInt = z.coerce.number().int().positive();

/** A comma-separated list; blanks dropped. */
const list = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

/** An origin as browsers send it in the Origin header: scheme, host and port, nothing else. */
const origin = z.string().refine((value) => URL.canParse(value) && new URL(value).origin === value, {
  message: 'expected origins like https://campus.example (scheme://host[:port], no path or trailing slash)',
});

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

const BYTES_PER_UNIT: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** "100kb" → 102400, as body-parser reads such a size (1kb = 1024 bytes; no unit: bytes). */
const sizeInBytes = (size: string): number => {
  const [, amount = '0', unit = 'b'] = /^(\d+)([a-z]*)$/i.exec(size) ?? [];
  return Number(amount) * (BYTES_PER_UNIT[unit.toLowerCase()] ?? 1);
};

const routerEnv = z.object({
  ...baseEnv,
  /**
   * The public listener's address. Unset: every interface in production (the router is the public
   * entry point), loopback elsewhere, so a developer's router is not reachable from the network.
   */
  BIND_HOST: z.string().min(1).optional(),
  ROUTER_PORT: envTypes.port.optional(),
  HTTP_PORT: envTypes.port.optional(),
  /** The internal listener (/metrics, detailed readiness). Unset: 9400, or any free port under NODE_ENV=test. */
  METRICS_PORT: envTypes.port.optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Operation names metrics are labelled with besides the playground's; any other name counts as "other". */
  METRICS_OPERATION_NAMES: list(z.string().regex(GRAPHQL_NAME, 'expected GraphQL operation names'))
    .pipe(z.array(z.string()).max(200, 'at most 200 names: each is a label value of every request metric'))
    .optional(),
  /** Browser origins allowed to call the router cross-origin. Unset: none in production, the router's own on localhost elsewhere. */
  CORS_ORIGINS: list(origin).optional(),
  /**
   * Which proxies in front of the router are trusted to say the client's address (X-Forwarded-For),
   * in Express's notation: a number of hops, or addresses/subnets ("loopback, 10.0.0.0/8"). Unset:
   * none, the peer's address is the client's. Rate limits count anonymous clients by this address.
   */
  TRUST_PROXY: z.string().optional(),
  /** Shared rate-limit counters for every router replica; unset, each replica counts in memory. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Sign-in attempts (`login` fields) a client may make per window. */
  RATE_LIMIT_LOGIN_POINTS: positiveInt.default(10),
  RATE_LIMIT_LOGIN_DURATION_SECONDS: positiveInt.default(60),
  /** Requests of any other kind a client may make per window. */
  RATE_LIMIT_POINTS: positiveInt.default(600),
  RATE_LIMIT_DURATION_SECONDS: positiveInt.default(60),
  /** How long a subgraph may take to answer; SUBGRAPH_<NAME>_TIMEOUT_MS overrides it per subgraph. */
  SUBGRAPH_TIMEOUT_MS: positiveInt.default(10_000),
  /**
   * Requests the router has in flight to one subgraph at most; SUBGRAPH_<NAME>_MAX_CONCURRENCY
   * overrides it per subgraph. Beyond it requests wait briefly, then are refused as OVERLOADED.
   */
  SUBGRAPH_MAX_CONCURRENCY: positiveInt.default(64),
  /** Requests that may wait for a subgraph's slot at once (beyond: refused at once). Unset: its max concurrency. */
  SUBGRAPH_MAX_QUEUE: z.coerce.number().int().min(0).optional(),
  /** How long a request waits for a slot before it is refused (0: no waiting). */
  SUBGRAPH_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(5_000).default(250),
  /**
   * A caller's identical subgraph queries in flight at once share one call (keyed by the caller's
   * token and the request body: never across users; mutations never).
   */
  SUBGRAPH_DEDUPLICATE: envTypes.bool.default(true),
  /** An `_entities` call sends each distinct representation once (see entity-deduplication.ts). */
  SUBGRAPH_DISTINCT_ENTITIES: envTypes.bool.default(true),
  /**
   * A query planned as one subgraph call with the client's own selections is answered with that
   * subgraph's data as is, not rebuilt by the gateway (see single-fetch.ts).
   */
  SINGLE_FETCH_SHORTCUT: envTypes.bool.default(true),
  /**
   * The client's answer is shaped from the subgraphs' data by the router's port of the gateway's
   * result shaping (result-shaping.ts: the same output, far less garbage); false: the gateway's own.
   * Process-wide: it replaces the gateway module's function.
   */
  ROUTER_RESULT_SHAPING: envTypes.bool.default(true),
  /**
   * A query or mutation (not a sign-in) Apollo Server has accepted once is answered again without
   * its request pipeline: the same checks, executor and answer, less a third of the router's CPU
   * (see direct-queries.ts).
   */
  ROUTER_DIRECT_QUERIES: envTypes.bool.default(true),
  /**
   * Such a query's plan, when it joins subgraphs, runs in the router's plan executor
   * (plan-execution.ts: the same requests, merge and answer without the gateway's per-request
   * machinery); false: in the gateway's executor. Only with ROUTER_DIRECT_QUERIES.
   */
  ROUTER_PLAN_EXECUTION: envTypes.bool.default(true),
  /**
   * Router processes behind the one port (node:cluster): a number, or "auto" for one per core.
   * With more than one, the primary serves the summed metrics and health on METRICS_PORT.
   */
  ROUTER_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1).max(64)])
    .default(1)
    .transform((workers) => (workers === 'auto' ? os.availableParallelism() : workers)),
  ...authEnv,
  AUTH_JWKS_URL: z.url().default('http://127.0.0.1:4001/.well-known/jwks.json'),
  SUPERGRAPH_PATH: z.string().min(1).default(path.join(REPO_ROOT, 'supergraph.graphql')),
  /** Defaults to on, except with NODE_ENV=production. */
  GRAPHQL_INTROSPECTION: envTypes.bool.optional(),
  GRAPHQL_MAX_DEPTH: positiveInt.default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  GRAPHQL_MAX_TOKENS: positiveInt.default(2000),
  /** Selections after expanding fragments (guards against exponential fragment spreads). */
  GRAPHQL_MAX_SELECTIONS: positiveInt.default(10_000),
  /** Largest accepted GraphQL request body, in body-parser notation ("100kb", "1mb"). */
  GRAPHQL_MAX_BODY: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'expected a size such as 100kb or 1mb')
    .default('100kb')
    .transform(sizeInBytes),
  /** Plain HTTP routes streamed to a subgraph, e.g. "/uploads/leave -> leave GET|POST". */
  PROXY_ROUTES: z.string().default(''),
  HEALTH_CHECK_TIMEOUT_MS: positiveInt.default(2_000),
  /**
   * The trusted documents (packages/client/persisted-operations.json, "sha256:<hash>" → document):
   * operations sent by id run from it. Unset: that file, when it exists.
   */
  PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  /** Refuse every operation that is not in PERSISTED_OPERATIONS_FILE (PERSISTED_QUERY_NOT_ALLOWED). */
  ONLY_PERSISTED_OPERATIONS: envTypes.bool.default(false),
  /** Apollo's automatic persisted queries (hash, else register the text). Defaults to on, except with NODE_ENV=production. */
  AUTOMATIC_PERSISTED_QUERIES: envTypes.bool.optional(),
  /**
   * Plan every operation of PERSISTED_OPERATIONS_FILE at start, before the router reports ready, so
   * no first request waits for the query planner. Defaults to on with NODE_ENV=production.
   */
  QUERY_PLAN_WARMUP: envTypes.bool.optional(),
});

export interface RateLimitSettings {
  points: number;
  durationSeconds: number;
}

export interface RouterConfig {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  host: string;
  port: number;
  /** The internal listener for /metrics and detailed readiness, never the public one. */
  metrics: { host: string; port: number; operationNames: string[] };
  corsOrigins: string[];
  /** Express's "trust proxy" setting. */
  trustProxy: boolean | number | string[];
  rateLimits: { redisUrl?: string; login: RateLimitSettings; requests: RateLimitSettings };
  /** Subgraph answer timeouts: the default, and overrides keyed by variable (SUBGRAPH_<NAME>_TIMEOUT_MS). */
  subgraphTimeouts: { defaultMs: number; overrides: Record<string, number> };
  /**
   * Load shedding per subgraph: in-flight requests (the default, and overrides keyed by variable,
   * SUBGRAPH_<NAME>_MAX_CONCURRENCY), how many may wait (undefined: as many as may be in flight)
   * and for how long.
   */
  subgraphConcurrency: {
    defaultMax: number;
    overrides: Record<string, number>;
    maxQueue: number | undefined;
    queueWaitMs: number;
  };
  deduplicateSubgraphQueries: boolean;
  distinctEntities: boolean;
  singleFetchShortcut: boolean;
  routerResultShaping: boolean;
  directQueries: boolean;
  planExecution: boolean;
  /** Processes behind the public port (1: no cluster). */
  workers: number;
  shutdownGraceMs: number;
  auth: { jwksUrl: string; issuer: string; audience: string };
  supergraphPath: string;
  /** Subgraph URL overrides, keyed by variable name (SUBGRAPH_<NAME>_URL, see subgraphUrlVariable). */
  subgraphUrls: Record<string, string>;
  introspection: boolean;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxSelections: number;
    /** GRAPHQL_MAX_BODY in bytes. */
    maxBodyBytes: number;
  };
  proxyRoutes: ProxyRouteSpec[];
  healthCheckTimeoutMs: number;
  /**
   * Trusted documents: the manifest (undefined: none), whether only its operations run, and
   * whether Apollo's automatic persisted queries are accepted.
   */
  persistedOperations: { file: string | undefined; only: boolean; automatic: boolean; warmUp: boolean };
}

/** The manifest packages/client generates, used when PERSISTED_OPERATIONS_FILE is unset. */
export const DEFAULT_PERSISTED_OPERATIONS_FILE = path.join(
  REPO_ROOT,
  'packages',
  'client',
  'persisted-operations.json',
);

const SUBGRAPH_URL_VARIABLE = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;
const SUBGRAPH_TIMEOUT_VARIABLE = /^SUBGRAPH_([A-Z0-9_]+)_TIMEOUT_MS$/;
const SUBGRAPH_CONCURRENCY_VARIABLE = /^SUBGRAPH_([A-Z0-9_]+)_MAX_CONCURRENCY$/;

const subgraphVariable = (name: string, setting: 'URL' | 'TIMEOUT_MS' | 'MAX_CONCURRENCY'): string =>
  `SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${setting}`;

/** The environment variable that overrides a subgraph's URL: identity → SUBGRAPH_IDENTITY_URL. */
export const subgraphUrlVariable = (name: string): string => subgraphVariable(name, 'URL');

/** The environment variable that overrides a subgraph's timeout: identity → SUBGRAPH_IDENTITY_TIMEOUT_MS. */
export const subgraphTimeoutVariable = (name: string): string => subgraphVariable(name, 'TIMEOUT_MS');

/** The environment variable that overrides a subgraph's concurrency: leave → SUBGRAPH_LEAVE_MAX_CONCURRENCY. */
export const subgraphConcurrencyVariable = (name: string): string => subgraphVariable(name, 'MAX_CONCURRENCY');

/**
 * Per-subgraph numeric variables matching `pattern` (SUBGRAPH_<NAME>_TIMEOUT_MS, …_MAX_CONCURRENCY),
 * keyed by the variable name; each a positive whole number.
 */
function subgraphNumberOverrides(env: NodeJS.ProcessEnv, pattern: RegExp, expected: string): Record<string, number> {
  const overrides: Record<string, number> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!pattern.test(name) || value === undefined || value === '') continue;
    const number = Number(value);
    if (!Number.isInteger(number) || number <= 0) problems.push(`${name}: expected ${expected}`);
    else overrides[name] = number;
  }
  if (problems.length) throw new ConfigError(problems);
  return overrides;
}

/** TRUST_PROXY in Express's terms: "true"/"false", a hop count, or a list of addresses and subnets. */
function trustProxySetting(value: string | undefined): RouterConfig['trustProxy'] {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** SUBGRAPH_<NAME>_URL variables, keyed by the variable name; each must be an http(s) URL. */
function subgraphUrlOverrides(env: NodeJS.ProcessEnv): Record<string, string> {
  const overrides: Record<string, string> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!SUBGRAPH_URL_VARIABLE.test(name) || value === undefined || value === '') continue;
    if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
      problems.push(`${name}: not an http(s) URL`);
    else overrides[name] = value;
  }
  if (problems.length) throw new ConfigError(problems);
  return overrides;
}

function persistedOperationsSettings(e: z.infer<typeof routerEnv>): RouterConfig['persistedOperations'] {
  const file = e.PERSISTED_OPERATIONS_FILE
    ? path.resolve(e.PERSISTED_OPERATIONS_FILE)
    : fs.existsSync(DEFAULT_PERSISTED_OPERATIONS_FILE)
      ? DEFAULT_PERSISTED_OPERATIONS_FILE
      : undefined;
  if (e.ONLY_PERSISTED_OPERATIONS && !file)
    throw new ConfigError([
      `ONLY_PERSISTED_OPERATIONS: needs PERSISTED_OPERATIONS_FILE (${DEFAULT_PERSISTED_OPERATIONS_FILE} does not exist)`,
    ]);
  return {
    file,
    only: e.ONLY_PERSISTED_OPERATIONS,
    // Enforcing, the manifest serves every hash: an APQ cache would only let clients register texts.
    automatic: !e.ONLY_PERSISTED_OPERATIONS && (e.AUTOMATIC_PERSISTED_QUERIES ?? e.NODE_ENV !== 'production'),
    warmUp: e.QUERY_PLAN_WARMUP ?? e.NODE_ENV === 'production',
  };
}

export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const e = loadConfig(routerEnv, env);
  let proxyRoutes: ProxyRouteSpec[];
  try {
    proxyRoutes = parseProxyRoutes(e.PROXY_ROUTES);
  } catch (error) {
    throw new ConfigError([`PROXY_ROUTES: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const production = e.NODE_ENV === 'production';
  const port = e.ROUTER_PORT ?? e.HTTP_PORT ?? 4000;
  const metricsPort = e.METRICS_PORT ?? (e.NODE_ENV === 'test' ? 0 : 9400); // tests run routers side by side
  if (metricsPort !== 0 && metricsPort === port)
    throw new ConfigError([`METRICS_PORT: ${metricsPort} is the public port; metrics must stay off it`]);
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.BIND_HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port,
    metrics: { host: e.METRICS_HOST, port: metricsPort, operationNames: e.METRICS_OPERATION_NAMES ?? [] },
    // The playground calls its own origin; a developer may open it as localhost or 127.0.0.1.
    corsOrigins: e.CORS_ORIGINS ?? (production ? [] : [`http://localhost:${port}`, `http://127.0.0.1:${port}`]),
    trustProxy: trustProxySetting(e.TRUST_PROXY),
    rateLimits: {
      ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}),
      login: { points: e.RATE_LIMIT_LOGIN_POINTS, durationSeconds: e.RATE_LIMIT_LOGIN_DURATION_SECONDS },
      requests: { points: e.RATE_LIMIT_POINTS, durationSeconds: e.RATE_LIMIT_DURATION_SECONDS },
    },
    subgraphTimeouts: {
      defaultMs: e.SUBGRAPH_TIMEOUT_MS,
      overrides: subgraphNumberOverrides(env, SUBGRAPH_TIMEOUT_VARIABLE, 'a positive number of milliseconds'),
    },
    subgraphConcurrency: {
      defaultMax: e.SUBGRAPH_MAX_CONCURRENCY,
      overrides: subgraphNumberOverrides(env, SUBGRAPH_CONCURRENCY_VARIABLE, 'a positive number of requests'),
      maxQueue: e.SUBGRAPH_MAX_QUEUE,
      queueWaitMs: e.SUBGRAPH_QUEUE_WAIT_MS,
    },
    deduplicateSubgraphQueries: e.SUBGRAPH_DEDUPLICATE,
    distinctEntities: e.SUBGRAPH_DISTINCT_ENTITIES,
    singleFetchShortcut: e.SINGLE_FETCH_SHORTCUT,
    routerResultShaping: e.ROUTER_RESULT_SHAPING,
    directQueries: e.ROUTER_DIRECT_QUERIES,
    planExecution: e.ROUTER_PLAN_EXECUTION,
    workers: e.ROUTER_WORKERS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    auth: { jwksUrl: e.AUTH_JWKS_URL, issuer: e.AUTH_ISSUER, audience: e.AUTH_AUDIENCE },
    supergraphPath: path.resolve(e.SUPERGRAPH_PATH),
    subgraphUrls: subgraphUrlOverrides(env),
    introspection: e.GRAPHQL_INTROSPECTION ?? e.NODE_ENV !== 'production',
    limits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxSelections: e.GRAPHQL_MAX_SELECTIONS,
      maxBodyBytes: e.GRAPHQL_MAX_BODY,
    },
    proxyRoutes,
    healthCheckTimeoutMs: e.HEALTH_CHECK_TIMEOUT_MS,
    persistedOperations: persistedOperationsSettings(e),
  };
}
