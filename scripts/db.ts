// `npm run db:migrate` — create missing databases and apply committed migrations for every service
// (`prisma migrate deploy`). `npm run db:seed` — run every subgraph's demo seed (identity's first;
// each does nothing when its data is there; build first: it runs dist/seed/main.js).
// Server: POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres); per-service
// override: <SERVICE>_DATABASE_URL.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { databaseUrl, ensureDatabase, migrateDeploy } from './lib/database';
import { REPO_ROOT, presentSubgraphs } from './lib/services';

const server = process.env.POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const urlOf = (name: string) =>
  process.env[`${name.toUpperCase()}_DATABASE_URL`] ?? databaseUrl(server, `campus_${name}`);

async function migrate(): Promise<void> {
  const services = presentSubgraphs().filter((s) => s.database);
  for (const s of services) {
    if (!process.env[`${s.name.toUpperCase()}_DATABASE_URL`] && (await ensureDatabase(server, `campus_${s.name}`))) {
      console.log(`created database campus_${s.name}`);
    }
  }
  await Promise.all(
    services.map(async (s) => {
      await migrateDeploy(s.name, urlOf(s.name));
      console.log(`${s.name}: migrations applied`);
    }),
  );
}

/** Every present subgraph's built demo seed (dist/seed/main.js), identity's first: its campus comes first. */
function seed(): void {
  const scripts = presentSubgraphs()
    .map((s) => ({ name: s.name, script: `subgraphs/${s.name}/dist/seed/main.js` }))
    .filter((s) => s.name === 'identity' || fs.existsSync(path.join(REPO_ROOT, s.script)))
    .sort((a, b) => Number(b.name === 'identity') - Number(a.name === 'identity'));
  for (const { name, script } of scripts) {
    console.log(`${name}: seeding demo data (if empty)`);
    const r = spawnSync(process.execPath, [script], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: { ...process.env, DATABASE_URL: urlOf(name) },
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const command = process.argv[2];
if (command === 'migrate') {
  migrate().catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
} else if (command === 'seed') {
  seed();
} else {
  console.error('usage: tsx scripts/db.ts migrate|seed');
  process.exit(64);
}
