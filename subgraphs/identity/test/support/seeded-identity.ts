// The whole identity service in-process over a test database seeded with the demo campus: what the
// GraphQL-level integration tests start from.
import { createDatabasePool, createPrismaClient } from '@campus/platform';
import { createTestDatabase, freePort, serviceTestEnv, type TestDatabase } from '@campus/testkit';
import { startIdentity, type RunningIdentity } from '../../src/app';
import { loadIdentityConfig } from '../../src/config';
import { PrismaClient } from '../../src/repository/database';
import { seedDemoCampus } from '../../src/seed/demo-campus';

/** The demo accounts' password. */
export const DEMO_PASSWORD = 'sirius2026';

export interface SeededIdentity {
  db: TestDatabase;
  identity: RunningIdentity;
  /** http://127.0.0.1:<port> */
  base: string;
  /** The GraphQL endpoint. */
  url: string;
  /** Stops the service and drops the database. */
  stop(): Promise<void>;
}

/** Seeds a new test database with the demo campus and starts identity on it (`env` adds settings). */
export async function startSeededIdentity(env: Record<string, string> = {}): Promise<SeededIdentity> {
  const db = await createTestDatabase('identity');
  const pool = createDatabasePool(db.url, 2);
  const prisma = createPrismaClient(PrismaClient, pool);
  await seedDemoCampus(prisma, { password: DEMO_PASSWORD });
  await prisma.$disconnect();
  await pool.end();

  const config = loadIdentityConfig({
    ...serviceTestEnv({ databaseUrl: db.url, httpPort: await freePort(), grpcPort: await freePort(), poolSize: 10 }),
    ...env,
  });
  const identity = await startIdentity(config);
  const base = `http://127.0.0.1:${identity.httpPort}`;
  return {
    db,
    identity,
    base,
    url: `${base}/graphql`,
    stop: async () => {
      await identity.close();
      await db.drop();
    },
  };
}
