import path from 'node:path';
import { ConfigError, authEnv, baseEnv, envTypes, loadConfig } from '@campus/platform';
import { z } from 'zod';
import { parseProxyRoutes, type ProxyRouteSpec } from './proxy';

/** The repository root, both from src/ (tsx, jest) and from dist/ (built). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const positiveInt = z.coerce.number().int().positive();

const routerEnv = z.object({
  ...baseEnv,
  // The router is the public entry point: it listens on every interface unless told otherwise.
  BIND_HOST: z.string().min(1).default('0.0.0.0'),
  ROUTER_PORT: envTypes.port.optional(),
  HTTP_PORT: envTypes.port.optional(),
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
    .default('100kb'),
  /** Plain HTTP routes streamed to a subgraph, e.g. "/uploads/leave -> leave GET|POST". */
  PROXY_ROUTES: z.string().default(''),
  HEALTH_CHECK_TIMEOUT_MS: positiveInt.default(2_000),
});

export interface RouterConfig {
  nodeEnv: 'development' | 'test' | 'production';
  logLevel: string;
  host: string;
  port: number;
  shutdownGraceMs: number;
  auth: { jwksUrl: string; issuer: string; audience: string };
  supergraphPath: string;
  /** Subgraph URL overrides, keyed by variable name (SUBGRAPH_<NAME>_URL, see subgraphUrlVariable). */
  subgraphUrls: Record<string, string>;
  introspection: boolean;
  limits: { maxDepth: number; maxAliases: number; maxTokens: number; maxSelections: number; maxBody: string };
  proxyRoutes: ProxyRouteSpec[];
  healthCheckTimeoutMs: number;
}

const SUBGRAPH_URL_VARIABLE = /^SUBGRAPH_([A-Z0-9_]+)_URL$/;

/** The environment variable that overrides a subgraph's URL: identity → SUBGRAPH_IDENTITY_URL. */
export const subgraphUrlVariable = (name: string): string =>
  `SUBGRAPH_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;

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

export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const e = loadConfig(routerEnv, env);
  let proxyRoutes: ProxyRouteSpec[];
  try {
    proxyRoutes = parseProxyRoutes(e.PROXY_ROUTES);
  } catch (error) {
    throw new ConfigError([`PROXY_ROUTES: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return {
    nodeEnv: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.BIND_HOST,
    port: e.ROUTER_PORT ?? e.HTTP_PORT ?? 4000,
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
      maxBody: e.GRAPHQL_MAX_BODY,
    },
    proxyRoutes,
    healthCheckTimeoutMs: e.HEALTH_CHECK_TIMEOUT_MS,
  };
}
