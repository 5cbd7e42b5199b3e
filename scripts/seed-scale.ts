// `npm run seed:scale -- --students N` (default 2000) — adds a scale campus to identity's database:
// buildings S1, S2, … and N students in them (subgraphs/identity/src/seed/scale-campus.ts), to
// measure at the size of a real campus. Idempotent; not part of the demo seed (`npm run db:seed`
// first: the scale seed refuses a database without a campus). Builds identity (turbo, cached), then
// runs its dist/seed/scale-main.js. Database as in scripts/db.ts: IDENTITY_DATABASE_URL, or
// campus_identity on POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { databaseUrl } from './lib/database';
import { REPO_ROOT } from './lib/services';

const server = process.env.POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const url = process.env.IDENTITY_DATABASE_URL ?? databaseUrl(server, 'campus_identity');

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: REPO_ROOT, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(path.join(REPO_ROOT, 'node_modules', '.bin', 'turbo'), [
  'run',
  'build',
  '--filter=@campus/identity',
  '--output-logs=errors-only',
]);
run(process.execPath, ['subgraphs/identity/dist/seed/scale-main.js', ...process.argv.slice(2)], {
  ...process.env,
  DATABASE_URL: url,
});
