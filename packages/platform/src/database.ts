import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Metrics } from './metrics';
import { DEFAULT_PLAN_CACHE_MODE, type PlanCacheMode, type ServiceSettings } from './config';
import type { Closers } from './service';
import { databaseTypes } from './timestamptz';
import { timeStatements } from './database-time';

export interface DatabaseSettings {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

/**
 * Splits a postgres:// URL into discrete settings. PrismaPg must get discrete fields: given a
 * connection string, its shadow database silently points at the real one.
 */
export function databaseSettings(databaseUrl: string): DatabaseSettings {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error('DATABASE_URL must name a database');
  return {
    host: decodeURIComponent(url.hostname) || '127.0.0.1',
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    database,
  };
}

export interface PoolLimits {
  /** Wait for a free connection at most this long; then the caller gets a retryable UNAVAILABLE. */
  connectionTimeoutMs?: number;
  /** statement_timeout of every connection. */
  statementTimeoutMs?: number;
  /** idle_in_transaction_session_timeout of every connection. */
  idleInTransactionTimeoutMs?: number;
  /** plan_cache_mode of every connection; default DEFAULT_PLAN_CACHE_MODE (see PLAN_CACHE_MODES). */
  planCacheMode?: PlanCacheMode;
}

/**
 * A transaction idle this long was abandoned by its caller, not paused: every transaction here is
 * a few statements issued back to back (Prisma's interactive ones time out after 10 s at most).
 * The server then ends that session, so its row locks cannot stall every later writer — as when a
 * client library returns a connection to the pool mid-transaction after a timeout on a CPU-starved
 * machine (prisma/orm#29719), which left 18 of 20 concurrent coworking approvals waiting on one
 * such connection's locks until they gave up as UNAVAILABLE.
 */
export const IDLE_IN_TRANSACTION_TIMEOUT_MS = 15_000;

/** A service's PostgreSQL pool (node-postgres). */
export type DatabasePool = pg.Pool;
/** One connection taken from it, e.g. for a transaction of several statements. */
export type DatabaseClient = pg.PoolClient;

/**
 * Runs `work` in one transaction on a connection of the pool: BEGIN, the work, COMMIT; ROLLBACK
 * when it throws. A connection whose ROLLBACK fails is broken and is dropped, not handed back.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackFailed: Error) => {
      broken = rollbackFailed;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * `column AS "field"` for every field of a Prisma model (its generated ScalarFieldEnum), so that
 * plain SQL on the pool returns rows of the model's shape for the service's row mappers. The
 * schemas map each field to its snake_case column (`startsAt` → `starts_at`).
 */
export function columnsAsFields(fields: Record<string, string>, alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return Object.values(fields)
    .map((field) => `${prefix}${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} AS "${field}"`)
    .join(', ');
}

export function createDatabasePool(databaseUrl: string, poolSize: number, limits: PoolLimits = {}): pg.Pool {
  const pool = new pg.Pool({
    ...databaseSettings(databaseUrl),
    types: databaseTypes,
    max: poolSize,
    connectionTimeoutMillis: limits.connectionTimeoutMs ?? 3_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: limits.statementTimeoutMs ?? 15_000,
    idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs ?? IDLE_IN_TRANSACTION_TIMEOUT_MS,
    // A startup parameter, so no connection runs a statement before it holds.
    options: `-c plan_cache_mode=${limits.planCacheMode ?? DEFAULT_PLAN_CACHE_MODE}`,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  timeStatements(pool);
  return pool;
}

/** The generated PrismaClient of a service, constructed over a shared pg pool. */
export function createPrismaClient<C>(PrismaClientClass: new (options: { adapter: PrismaPg }) => C, pool: pg.Pool): C {
  return new PrismaClientClass({ adapter: new PrismaPg(pool) });
}

export async function checkDatabase(pool: pg.Pool): Promise<void> {
  await pool.query('SELECT 1');
}

/**
 * Pool gauges on /metrics, read at scrape time. The pool's size is its own gauge so that saturation
 * ((total - idle) / max, and queries waiting for a connection) can be computed and alerted on.
 */
export function registerPoolMetrics(metrics: Metrics, pool: pg.Pool): void {
  metrics.gauge('campus_db_pool_connections', 'Database pool connections by state', ['state'], (gauge) => {
    gauge.set({ state: 'total' }, pool.totalCount);
    gauge.set({ state: 'idle' }, pool.idleCount);
    gauge.set({ state: 'waiting' }, pool.waitingCount);
  });
  metrics.gauge('campus_db_pool_max_connections', 'Connections the database pool may open at most', [], (gauge) => {
    gauge.set(pool.options.max ?? 10);
  });
}

export interface OpenDatabaseOptions extends PoolLimits {
  url: string;
  poolSize: number;
  metrics: Metrics;
  /** Shutdown: the client disconnects, then the pool ends. */
  closers: Closers;
}

/** A service's database: the pg pool (its gauges on /metrics) and the Prisma client over it. */
export function openDatabase<C extends { $disconnect(): Promise<void> }>(
  PrismaClientClass: new (options: { adapter: PrismaPg }) => C,
  options: OpenDatabaseOptions,
): { pool: pg.Pool; prisma: C } {
  const pool = createDatabasePool(options.url, options.poolSize, options);
  options.closers.add(() => pool.end());
  registerPoolMetrics(options.metrics, pool);
  const prisma = createPrismaClient(PrismaClientClass, pool);
  options.closers.add(() => prisma.$disconnect());
  return { pool, prisma };
}

/** The database part of ServiceSettings. */
export type DatabaseConfig = Pick<
  ServiceSettings,
  'databaseUrl' | 'dbPoolSize' | 'dbPoolTimeoutMs' | 'dbStatementTimeoutMs' | 'dbPlanCacheMode'
>;

/** openDatabase from a service's settings: every subgraph opens its database the same way. */
export function openServiceDatabase<C extends { $disconnect(): Promise<void> }>(
  PrismaClientClass: new (options: { adapter: PrismaPg }) => C,
  config: DatabaseConfig,
  wiring: { metrics: Metrics; closers: Closers },
): { pool: pg.Pool; prisma: C } {
  return openDatabase(PrismaClientClass, {
    url: config.databaseUrl,
    poolSize: config.dbPoolSize,
    connectionTimeoutMs: config.dbPoolTimeoutMs,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    planCacheMode: config.dbPlanCacheMode,
    ...wiring,
  });
}
