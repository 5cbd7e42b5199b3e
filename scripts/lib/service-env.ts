// What a service's environment must hold to start in production, derived from its own config (the
// zod env schema and the config loader), never listed by hand. Shared by the deployment checks:
// `npm run compose:env:check` (docker-compose.yml) and the Kubernetes manifest test
// (scripts/test/integration/k8s-manifests.test.ts) hand it the environment each one gives a service.
import path from 'node:path';
import { ConfigError } from '@campus/platform';
import { loadRouterConfig } from '../../router/src/config';
import { REPO_ROOT, type ServiceSpec } from './services';

export type Env = Record<string, string | undefined>;

/** The part of a zod object schema read here (zod is the services' dependency, not the scripts'). */
export interface EnvSchema {
  shape: Record<string, { safeParse(value: unknown): { success: boolean; data?: unknown } }>;
}

export interface ServiceConfig {
  /** The service's config loader: throws ConfigError naming each bad or missing variable. */
  load: (env: Env) => unknown;
  /** Its env schema, when exported: variables whose default points at this machine must be set. */
  schema?: EnvSchema;
}

/** The variables ConfigError problems concern: "NAME is required (…)" and "NAME: message". */
export function problemVariables(problems: readonly string[]): string[] {
  return [...new Set(problems.map((p) => /^[A-Za-z_][A-Za-z0-9_]*/.exec(p)?.[0]).filter((v): v is string => !!v))];
}

/** What the loader refuses to start without in production (loads an environment of only NODE_ENV). */
export function requiredInProduction(load: ServiceConfig['load']): string[] {
  try {
    load({ NODE_ENV: 'production' });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return problemVariables(error.problems);
    throw error;
  }
}

const LOOPBACK = /\b(127\.0\.0\.1|localhost|::1)\b/;

/** Variables whose default names this machine: right for `npm start`, wrong in a container. */
export function loopbackDefaults(schema: EnvSchema): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => {
      const result = field.safeParse(undefined);
      return result.success && result.data !== undefined && LOOPBACK.test(String(result.data));
    })
    .map(([name]) => name);
}

/**
 * Every variable a deployment must set for `config`: what production requires, and what would
 * otherwise default to this machine.
 */
export function requiredVariables(config: ServiceConfig): string[] {
  return [
    ...new Set([...requiredInProduction(config.load), ...(config.schema ? loopbackDefaults(config.schema) : [])]),
  ];
}

/**
 * Every reason `env` (the environment a deployment gives `service`) is not a working production
 * config; `where` names that deployment's file in the messages.
 */
export function checkServiceEnv(
  service: string,
  config: ServiceConfig,
  env: Env | undefined,
  where = 'the compose file',
): string[] {
  if (!env) return [`${service}: no such service in ${where}`];
  const problems: string[] = [];
  if (env.NODE_ENV !== 'production')
    problems.push(`${service}: NODE_ENV is ${env.NODE_ENV ?? 'unset'}, not production`);
  for (const name of requiredInProduction(config.load)) {
    if (!env[name]) problems.push(`${service}: ${name} is required in production and not set`);
  }
  for (const name of config.schema ? loopbackDefaults(config.schema) : []) {
    if (env[name] === undefined) problems.push(`${service}: ${name} is not set (its default points at this machine)`);
  }
  try {
    config.load({ ...env, NODE_ENV: 'production' });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems.map((p) => `${service}: ${p}`));
  }
  return [...new Set(problems)];
}

const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());
const camel = (name: string) => pascal(name).replace(/^./, (c) => c.toLowerCase());

/**
 * A subgraph's config by the names conventions.md gives it: `load<Service>Config` and `<service>Env`
 * in subgraphs/<name>/src/config.ts. Found by convention so that a subgraph added later is covered
 * without editing any list.
 */
export async function subgraphConfig(spec: Pick<ServiceSpec, 'name'>): Promise<ServiceConfig> {
  const file = path.join(REPO_ROOT, 'subgraphs', spec.name, 'src', 'config.ts');
  const module = (await import(file)) as Record<string, unknown>;
  const load = module[`load${pascal(spec.name)}Config`];
  const schema = module[`${camel(spec.name)}Env`];
  if (typeof load !== 'function') throw new Error(`${file} exports no load${pascal(spec.name)}Config`);
  return {
    load: load as ServiceConfig['load'],
    ...(isEnvSchema(schema) ? { schema } : {}),
  };
}

function isEnvSchema(value: unknown): value is EnvSchema {
  return (
    typeof value === 'object' &&
    value !== null &&
    'shape' in value &&
    typeof (value as { shape: unknown }).shape === 'object'
  );
}

/** The router's config (its env schema is not exported: it gets the production check, not the loopback one). */
export function routerConfig(): ServiceConfig {
  return { load: loadRouterConfig };
}
