import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The PostgreSQL server tests use: TEST_DATABASE_URL (any database on it) or local defaults. */
export function testServerUrl(database = 'postgres'): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function migrationsHash(service: string): string {
  const dir = path.join(REPO_ROOT, 'prisma', service, 'migrations');
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name, 'migration.sql');
    if (fs.existsSync(file)) hash.update(name).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

export function templateName(service: string): string {
  return `tpl_${service}_${migrationsHash(service)}`;
}

export function runPrismaMigrateDeploy(service: string, databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      path.join(REPO_ROOT, 'node_modules', '.bin', 'prisma'),
      ['migrate', 'deploy', '--config', path.join('prisma', service, 'prisma.config.ts')],
      { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1' }, stdio: 'pipe' },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`migrate deploy ${service} failed:\n${output}`)),
    );
  });
}

/**
 * A template database per service with the committed migrations applied by the real
 * `prisma migrate deploy`; named after a hash of the migrations, so it is built once per change.
 */
export async function ensureTemplateDatabase(service: string): Promise<string> {
  const name = templateName(service);
  const exists = await withAdmin(
    async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount,
  );
  if (exists) return name;
  const building = `${name}_build_${randomBytes(3).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${building}"`));
  await runPrismaMigrateDeploy(service, testServerUrl(building));
  await withAdmin(async (c) => {
    try {
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } catch {
      await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`); // another run made it first
    }
  });
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file (a copy of the service's template), or an empty one
 * when `service` is null (for testing platform code against its own tables).
 */
export async function createTestDatabase(service: string | null): Promise<TestDatabase> {
  const template = service ? await ensureTemplateDatabase(service) : 'template1';
  const name = `t_${service ?? 'platform'}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      // "source database is being accessed by other users": another copy is in progress
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
  return {
    name,
    url: testServerUrl(name),
    drop: () => withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Removes databases left by earlier, interrupted test runs (older than an hour). */
export async function dropStaleTestDatabases(): Promise<void> {
  await withAdmin(async (c) => {
    const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 't\\_%'");
    const hourAgo = Date.now() - 3_600_000;
    for (const { datname } of rows) {
      const stamp = parseInt(datname.split('_').at(-2) ?? '', 36);
      if (Number.isFinite(stamp) && stamp < hourAgo) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });
}

/**
 * A pool on a test database. The database is dropped WITH (FORCE) at the end of its file: a
 * connection that drop ends (57P01, "terminating connection due to administrator command") is
 * expected and must not fail the file as an unhandled 'error' event; any other error still does.
 */
export function testDatabasePool(database: TestDatabase, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString: database.url, max });
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') throw error;
  });
  return pool;
}
