// Driver adapter used ONLY by the Prisma CLI (migrate deploy / diff) through each service's
// prisma.config.ts. It works around two known bugs of the WASM schema engine + @prisma/adapter-pg:
//  - the shadow database was dropped while its pool was still connected (so DROP failed);
//  - pg_catalog "char" columns (OID 18) are not mapped by the adapter; we report them as text;
//  - executeScript split migration scripts on every ";" — also inside comments and $$-quoted
//    function bodies; we send each script whole (PostgreSQL runs it as one implicit transaction).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type ConnectionSettings = { host: string; port: number; user: string; password?: string; database: string };

function settingsFor(service: string): ConnectionSettings {
  // DATABASE_URL is the service's own database; without it, the local default for that service.
  const raw = process.env.DATABASE_URL ?? `postgresql://postgres@127.0.0.1:5432/campus_${service}`;
  const url = new URL(raw);
  return {
    host: decodeURIComponent(url.hostname) || '127.0.0.1',
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
  };
}

/** A pool whose results never carry the unmapped "char" type id. */
function patchedPool(settings: ConnectionSettings): pg.Pool {
  const pool = new pg.Pool({ ...settings, max: 2 });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: (...args: unknown[]) => Promise<pg.QueryResult> }).query = async (...args) => {
    const result = await query(...args);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  return pool;
}

async function adminExec(settings: ConnectionSettings, sql: string): Promise<void> {
  const client = new pg.Client({ ...settings, database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;

/** Sends a migration script as one simple-protocol query instead of splitting it on ";". */
function runScriptsWhole(adapter: Adapter): Adapter {
  const pool = adapter.underlyingDriver() as pg.Pool;
  const onError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
  adapter.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      onError(error);
    }
  };
  return adapter;
}

class MigrationAdapterFactory extends PrismaPg {
  constructor(private readonly settings: ConnectionSettings) {
    super(patchedPool(settings), { disposeExternalPool: true });
  }

  override async connect() {
    return runScriptsWhole(await super.connect());
  }

  override async connectToShadowDb() {
    const database = `prisma_shadow_${randomUUID().replace(/-/g, '')}`;
    await adminExec(this.settings, `CREATE DATABASE "${database}"`);
    const adapter = runScriptsWhole(
      await new PrismaPg(patchedPool({ ...this.settings, database }), { disposeExternalPool: true }).connect(),
    );
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose(); // end the pool first, then the database can be dropped
      await adminExec(this.settings, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    };
    return adapter;
  }
}

export function migrationAdapter(service: string): Promise<PrismaPg> {
  return Promise.resolve(new MigrationAdapterFactory(settingsFor(service)));
}
