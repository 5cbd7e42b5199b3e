// Creating databases and applying committed migrations with `prisma migrate deploy` — used by
// `npm start` and `npm run db:migrate`; never `db push`.
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from './services';

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function canConnect(serverUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function ensureDatabase(serverUrl: string, database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE "${database.replace(/"/g, '')}"`);
    return true;
  } finally {
    await client.end();
  }
}

export function migrateDeploy(service: string, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'prisma'),
      ['migrate', 'deploy', '--config', path.join('prisma', service, 'prisma.config.ts')],
      { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: '1' }, stdio: 'pipe' },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma migrate deploy (${service}) failed:\n${output}`)),
    );
  });
}
