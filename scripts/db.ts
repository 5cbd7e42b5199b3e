// `npm run db:migrate` — create missing databases and apply committed migrations for every service
// (`prisma migrate deploy`). `npm run db:seed` — seed the demo campus if identity is empty.
// Server: POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres); per-service
// override: <SERVICE>_DATABASE_URL.
import { spawnSync } from 'node:child_process';
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

function seed(): void {
  const r = spawnSync(process.execPath, ['subgraphs/identity/dist/seed/main.js'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: urlOf('identity') },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
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
