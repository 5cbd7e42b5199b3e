// Seeds the demo campus: node subgraphs/identity/dist/seed/main.js
// Reads DATABASE_URL (default: the local campus_identity) and DEMO_PASSWORD (default sirius2026).
// Refused with NODE_ENV=production and skipped with SEED_DEMO=false (platform demoSeedRefusal).
import {
  createDatabasePool,
  createLogger,
  createPrismaClient,
  databaseEnv,
  demoSeedRefusal,
  loadConfig,
} from '@campus/platform';
import { z } from 'zod';
import { PrismaClient } from '../repository/database';
import { DEFAULT_DEMO_PASSWORD, seedDemoCampus } from './demo-campus';

const seedEnvSchema = z.object({
  DATABASE_URL: databaseEnv.DATABASE_URL.default('postgresql://postgres@127.0.0.1:5432/campus_identity'),
  DEMO_PASSWORD: z.string().min(8).default(DEFAULT_DEMO_PASSWORD),
  LOG_LEVEL: z.string().default('info'),
});

async function main(): Promise<void> {
  const refusal = demoSeedRefusal(process.env);
  if (process.env.SEED_DEMO === 'false' && process.env.NODE_ENV !== 'production') {
    process.stdout.write('demo seed skipped (SEED_DEMO=false)\n');
    return;
  }
  if (refusal) throw new Error(`demo seed refused: ${refusal}`);
  const env = loadConfig(seedEnvSchema);
  const logger = createLogger('identity-seed', env.LOG_LEVEL);
  const pool = createDatabasePool(env.DATABASE_URL, 2);
  const prisma = createPrismaClient(PrismaClient, pool);
  try {
    const result = await seedDemoCampus(prisma, { password: env.DEMO_PASSWORD });
    logger.info(result, result.seeded ? 'demo campus seeded' : 'campus already present; nothing seeded');
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`identity seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
