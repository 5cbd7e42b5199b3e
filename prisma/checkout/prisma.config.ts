import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { migrationAdapter } from '../prisma-cli-adapter';

// The CLI reaches the database through a driver adapter (the bundled WASM schema engine), because
// Prisma's native engines cannot be downloaded on these machines. See docs/architecture.md.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(__dirname, 'schema.prisma'),
  migrations: { path: path.join(__dirname, 'migrations') },
  adapter: () => migrationAdapter('checkout'),
});
