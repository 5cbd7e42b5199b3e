#!/usr/bin/env node
// Runs the Prisma CLI for every service schema under prisma/<service>/ (one schema, config and
// migrations folder per service). Plain JS so it can run as a postinstall before anything is built.
//   node scripts/prisma.js generate            prisma generate for every service
//   node scripts/prisma.js check               fail if a schema drifted from its committed migrations
//   node scripts/prisma.js new <service> <name> write a new migration from the schema diff
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const prismaBin = path.join(root, 'node_modules', '.bin', 'prisma');

function services() {
  const dir = path.join(root, 'prisma');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => fs.existsSync(path.join(dir, name, 'schema.prisma')))
    .sort();
}

function prisma(service, args, options = {}) {
  const config = path.join('prisma', service, 'prisma.config.ts');
  const result = spawnSync(prismaBin, [...args, '--config', config], {
    cwd: root,
    encoding: 'utf8',
    stdio: options.capture ? 'pipe' : 'inherit',
    env: {
      ...process.env,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
      // diff/check only need a server to create a throw-away shadow database on
      ...(options.diff
        ? { DATABASE_URL: process.env.PRISMA_DIFF_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres' }
        : {}),
    },
  });
  return result;
}

function migrationsDir(service) {
  return path.join('prisma', service, 'migrations');
}

/**
 * The line that starts a migration's hand-written invariants: check and exclusion constraints
 * (coworking's no-overlap constraint, say) that are outside Prisma's datamodel and that Prisma 6's
 * schema engine cannot introspect (it crashes). Everything after it is left out when migrations are
 * compared with schema.prisma; `prisma migrate deploy` applies the whole file as usual.
 */
const INVARIANTS_MARKER = '-- campus:invariants';

/** A temporary copy of `service`'s migrations without their hand-written invariants. */
function migrationsForDiff(service) {
  const dir = migrationsDir(service);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), `prisma-${service}-`));
  if (fs.existsSync(dir)) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const from = path.join(dir, entry.name);
      if (!entry.isDirectory()) {
        fs.copyFileSync(from, path.join(copy, entry.name));
        continue;
      }
      fs.mkdirSync(path.join(copy, entry.name));
      const sqlFile = path.join(from, 'migration.sql');
      if (!fs.existsSync(sqlFile)) continue;
      const sql = fs.readFileSync(sqlFile, 'utf8');
      const at = sql.indexOf(INVARIANTS_MARKER);
      fs.writeFileSync(path.join(copy, entry.name, 'migration.sql'), at < 0 ? sql : sql.slice(0, at));
    }
  }
  return copy;
}

/** `prisma migrate diff` from the committed migrations of `service` (invariants left out) to its schema.prisma. */
function diffFromMigrations(service, flag) {
  const copy = migrationsForDiff(service);
  try {
    return prisma(
      service,
      [
        'migrate',
        'diff',
        '--from-migrations',
        copy,
        '--to-schema-datamodel',
        path.join('prisma', service, 'schema.prisma'),
        flag,
      ],
      { capture: true, diff: true },
    );
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'generate') {
  for (const service of services()) {
    const r = prisma(service, ['generate', '--no-hints']);
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
} else if (command === 'check') {
  {
    let drift = false;
    for (const service of services()) {
      const r = diffFromMigrations(service, '--exit-code');
      if (r.status === 2) {
        drift = true;
        console.error(
          `prisma/${service}: schema.prisma differs from its migrations; run: npm run migration:new -- ${service} <name>`,
        );
        console.error(r.stdout);
      } else if (r.status !== 0) {
        console.error(r.stdout, r.stderr);
        process.exit(r.status ?? 1);
      } else {
        console.log(`prisma/${service}: migrations match the schema`);
      }
    }
    process.exit(drift ? 1 : 0);
  }
} else if (command === 'new') {
  const [service, name] = rest;
  if (!service || !name || !/^[a-z0-9_]+$/.test(name)) {
    console.error('usage: node scripts/prisma.js new <service> <snake_case_name>');
    process.exit(64);
  }
  const dir = migrationsDir(service);
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(path.join(dir, 'migration_lock.toml'))) {
    fs.writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  }
  const r = diffFromMigrations(service, '--script');
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    process.exit(r.status ?? 1);
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const target = path.join(dir, `${stamp}_${name}`);
  fs.mkdirSync(target);
  fs.writeFileSync(path.join(target, 'migration.sql'), r.stdout);
  console.log(`wrote ${target}/migration.sql`);
} else {
  console.error('usage: node scripts/prisma.js generate|check|new <service> <name>');
  process.exit(64);
}
