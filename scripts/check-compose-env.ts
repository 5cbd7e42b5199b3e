// `npm run compose:env:check`: renders docker-compose.yml with .env.example (docker-compose config,
// no Docker daemon needed) and fails (exit 1) when a service would not start in production or would
// silently fall back to a loopback default. What each service needs is derived from its own config
// (the zod env schemas and config loaders, through scripts/lib/service-env.ts), never listed here by hand.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import YAML from 'yaml';
import { presentSubgraphs } from './lib/services';
import { checkServiceEnv, routerConfig, subgraphConfig, type Env, type ServiceConfig } from './lib/service-env';

// The derivation (what production requires, which defaults point at this machine) is shared with the
// Kubernetes manifest check; re-exported for the callers of this script's functions.
export {
  checkServiceEnv,
  loopbackDefaults,
  problemVariables,
  requiredInProduction,
  type Env,
  type EnvSchema,
  type ServiceConfig,
} from './lib/service-env';

/** Every present subgraph's config (found by convention) and the router's. */
export async function serviceConfigs(): Promise<Record<string, ServiceConfig>> {
  const configs: Record<string, ServiceConfig> = {};
  for (const spec of presentSubgraphs()) configs[spec.name] = await subgraphConfig(spec);
  configs.router = routerConfig();
  return configs;
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

export function checkComposeEnv(rendered: unknown, configs: Record<string, ServiceConfig>): string[] {
  const environments = serviceEnvironments(rendered);
  return Object.entries(configs).flatMap(([service, config]) =>
    checkServiceEnv(service, config, environments[service]),
  );
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const rendered = execFileSync(
    'docker-compose',
    ['--env-file', '.env.example', '-f', 'docker-compose.yml', 'config'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const configs = await serviceConfigs();
  const problems = checkComposeEnv(YAML.parse(rendered), configs);
  for (const problem of problems) console.error(`docker-compose.yml + .env.example: ${problem}`);
  if (problems.length) process.exitCode = 1;
  else console.log(`compose env: ${Object.keys(configs).join(', ')} get what production requires`);
}

if (require.main === module) void main();
