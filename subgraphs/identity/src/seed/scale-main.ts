// The scale seed: node subgraphs/identity/dist/seed/scale-main.js [--students N] (default 2000),
// usually through `npm run seed:scale -- --students N`. Reads DATABASE_URL (default: the local
// campus_identity) and DEMO_PASSWORD (default sirius2026). Refused with NODE_ENV=production.
import { createDatabasePool, createLogger, createPrismaClient, databaseEnv, loadConfig } from '@campus/platform';
import { z } from 'zod';
import { PrismaClient } from '../repository/database';
import { DEFAULT_DEMO_PASSWORD } from './demo-campus';
import { DEFAULT_SCALE_STUDENTS, seedScaleCampus } from './scale-campus';

const seedEnvSchema = z.object({
  DATABASE_URL: databaseEnv.DATABASE_URL.default('postgresql://postgres@127.0.0.1:5432/campus_identity'),
  DEMO_PASSWORD: z.string().min(8).default(DEFAULT_DEMO_PASSWORD),
  LOG_LEVEL: z.string().default('warn'),
});

/** `--students N` or `--students=N`; the default when absent. */
function studentsArgument(argv: readonly string[]): number {
  const at = argv.findIndex((a) => a === '--students' || a.startsWith('--students='));
  if (at < 0) return DEFAULT_SCALE_STUDENTS;
  const arg = argv[at] as string;
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[at + 1];
  const students = Number(value);
  if (!/^\d+$/.test(value ?? '') || students > 100_000) {
    throw new Error(`--students takes a whole number from 0 to 100000, not "${value ?? ''}"`);
  }
  return students;
}

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') {
    throw new Error('the scale seed never runs with NODE_ENV=production (known passwords)');
  }
  const students = studentsArgument(process.argv.slice(2));
  const env = loadConfig(seedEnvSchema);
  const logger = createLogger('identity-scale-seed', env.LOG_LEVEL);
  const pool = createDatabasePool(env.DATABASE_URL, 2);
  const prisma = createPrismaClient(PrismaClient, pool);
  const started = Date.now();
  try {
    const result = await seedScaleCampus(prisma, { students, password: env.DEMO_PASSWORD });
    logger.info(result, 'scale seed done');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      result.added > 0
        ? `added ${result.added} students in ${result.buildings} buildings ` +
            `(${result.buildingsCreated} new; ${result.students} scale students now; ${seconds} s)\n`
        : `already ${result.students} scale students in ${result.buildings} buildings\n`,
    );
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`identity scale seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
