// Jest global setup for integration and e2e: one migrated template database per service (built
// by the real `prisma migrate deploy`, reused while its migrations are unchanged).
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, dropStaleTestDatabases, ensureTemplateDatabase } from './database';

export default async function globalSetup(): Promise<void> {
  const services = fs
    .readdirSync(path.join(REPO_ROOT, 'prisma'))
    .filter((s) => fs.existsSync(path.join(REPO_ROOT, 'prisma', s, 'schema.prisma')));
  await dropStaleTestDatabases();
  await Promise.all(services.map((s) => ensureTemplateDatabase(s)));
}
