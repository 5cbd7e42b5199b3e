// `npm run compose:env:check`: renders docker-compose.yml with .env.example (docker-compose config,
// no Docker daemon needed) and fails (exit 1) when a service would not start in production or would
// silently fall back to a loopback default. What each service needs is derived from its own config
// (the zod env schemas and config loaders), never listed here by hand.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '@campus/platform';
import { loadRouterConfig } from '../router/src/config';
import { identityEnv, loadIdentityConfig } from '../subgraphs/identity/src/config';
import { leaveEnv, loadLeaveConfig } from '../subgraphs/leave/src/config';
import { loadNotificationConfig, notificationEnv } from '../subgraphs/notification/src/config';
import { loadPatrolConfig, patrolEnv } from '../subgraphs/patrol/src/config';

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

export const SERVICE_CONFIGS: Record<string, ServiceConfig> = {
  identity: { load: loadIdentityConfig, schema: identityEnv },
  leave: { load: loadLeaveConfig, schema: leaveEnv },
  patrol: { load: loadPatrolConfig, schema: patrolEnv },
  notification: { load: loadNotificationConfig, schema: notificationEnv },
  // routerEnv is not exported: the router gets the production check, not the loopback one.
  router: { load: loadRouterConfig },
};

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

/** Every reason `env` (a service's rendered compose environment) is not a working production config. */
export function checkServiceEnv(service: string, config: ServiceConfig, env: Env | undefined): string[] {
  if (!env) return [`${service}: no such service in the compose file`];
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

/** The `environment` map of each service of a rendered (`docker-compose config`) compose file. */
export function serviceEnvironments(rendered: unknown): Record<string, Env> {
  const services = (rendered as { services?: Record<string, { environment?: unknown }> }).services ?? {};
  const out: Record<string, Env> = {};
  for (const [name, service] of Object.entries(services)) {
    const environment = service.environment;
    // `docker-compose config` renders a map; a list ("KEY=value") is accepted as well.
    out[name] = Array.isArray(environment)
      ? Object.fromEntries(environment.map((item: string) => [item.split('=')[0], item.slice(item.indexOf('=') + 1)]))
      : Object.fromEntries(
          Object.entries((environment ?? {}) as Record<string, unknown>).map(([k, v]) => [
            k,
            v == null ? '' : String(v),
          ]),
        );
  }
  return out;
}

export function checkComposeEnv(rendered: unknown, configs: Record<string, ServiceConfig> = SERVICE_CONFIGS): string[] {
  const environments = serviceEnvironments(rendered);
  return Object.entries(configs).flatMap(([service, config]) =>
    checkServiceEnv(service, config, environments[service]),
  );
}

function main(): void {
  const root = path.resolve(__dirname, '..');
  const rendered = execFileSync(
    'docker-compose',
    ['--env-file', '.env.example', '-f', 'docker-compose.yml', 'config'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const problems = checkComposeEnv(YAML.parse(rendered));
  for (const problem of problems) console.error(`docker-compose.yml + .env.example: ${problem}`);
  if (problems.length) process.exitCode = 1;
  else console.log(`compose env: ${Object.keys(SERVICE_CONFIGS).join(', ')} get what production requires`);
}

if (require.main === module) main();
