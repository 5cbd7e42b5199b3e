// The guard every demo seed (`subgraphs/<service>/src/seed/main.ts`) checks first: demo data (known
// passwords, an admin@sirius.local, made-up coworkings) must never reach a production database.

export interface DemoSeedEnv {
  NODE_ENV?: string;
  SEED_DEMO?: string;
  [name: string]: string | undefined;
}

/**
 * Why the demo seed must not run here, or undefined when it may. Production is refused even with
 * SEED_DEMO=true (a real campus starts with `npm run bootstrap`); SEED_DEMO=false skips it anywhere.
 * Outside production SEED_DEMO defaults to true so `npm start`, `npm run db:seed` and e2e keep working.
 */
export function demoSeedRefusal(env: DemoSeedEnv): string | undefined {
  if (env.NODE_ENV === 'production') {
    return 'the demo seed never runs with NODE_ENV=production (known passwords); create the first admin with `npm run bootstrap`';
  }
  const flag = env.SEED_DEMO ?? 'true';
  if (flag === 'true') return undefined;
  if (flag === 'false') return 'SEED_DEMO=false';
  return `SEED_DEMO must be "true" or "false", not "${flag}"`;
}
