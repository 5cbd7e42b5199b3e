// Rebuilds the leave read model (leave_applications_view, leave_documents_view) from the event
// store: `npm run leave:rebuild-projection` at the repository root (builds the workspace, then runs
// `npm run rebuild-projection -w @campus/leave` = node subgraphs/leave/dist/cli/rebuild-projection.js).
// Safe while the service runs: commands wait for the rebuild's transaction, readers see the old
// tables until it commits. Reads DATABASE_URL (default: the local campus_leave).
import { z } from 'zod';
import {
  createDatabasePool,
  createLogger,
  createPrismaClient,
  databaseEnv,
  loadConfig,
  ConfigError,
} from '@campus/platform';
import { PrismaClient } from '../repository/database';
import { rebuildProjection } from '../repository/projection.repository';

const env = z.object({
  DATABASE_URL: databaseEnv.DATABASE_URL.default('postgresql://postgres@127.0.0.1:5432/campus_leave'),
});

async function main(): Promise<void> {
  const logger = createLogger('leave-rebuild-projection');
  const { DATABASE_URL } = loadConfig(env);
  const pool = createDatabasePool(DATABASE_URL, 2, { statementTimeoutMs: 30 * 60_000 });
  const db = createPrismaClient(PrismaClient, pool);
  try {
    const started = Date.now();
    const report = await rebuildProjection(db);
    logger.info({ ...report, durationMs: Date.now() - started }, 'leave projection rebuilt from the event store');
  } finally {
    await db.$disconnect();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `rebuild-projection failed: ${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(1);
});
