// `npm run new:subgraph` on a scratch copy of what it reads and edits, inside the repository (under
// .data/, so @campus/*, prisma and typescript resolve by walking up): the generated subgraphs follow
// the template, are wired everywhere `npm run services:check` looks, compose with the others, and
// type-check and lint. No database here: the init migration is held against leave's committed one
// (the same outbox model); scripts/test/integration/new-subgraph.test.ts migrates and starts one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { OUTBOX_PRISMA_MODEL } from '../../../packages/platform/src/messaging/outbox';
import { composeSupergraph, readSupergraphConfig } from '../../../router/tools/compose';
import { checkServices } from '../../lib/check-services';
import { planSubgraph, Refusal } from '../../lib/new-subgraph';
import { layoutProblems } from '../../lib/layout';
import { REPO_ROOT } from '../../lib/services';
import { bin, filesUnder, newSubgraph, prismaIn, scratchCheckout } from '../support/scratch-checkout';

/** `model <name> { … }` of a Prisma schema, whitespace runs collapsed (as platform's test compares it). */
const modelBlock = (schema: string, model: string) =>
  new RegExp(`^model ${model} \\{[\\s\\S]*?^\\}`, 'm').exec(schema)?.[0].trim().replace(/\s+/g, ' ');

/** The statements of a migration that concern `table` (prisma separates statements by a blank line). */
const statementsOn = (sql: string, table: string) =>
  sql
    .split(/\n\n(?=-- )/)
    .map((s) => s.trim())
    .filter((s) => s.includes(`"${table}"`));

describe('npm run new:subgraph', () => {
  let root: string;
  const originals: Record<string, string> = {};
  const read = (file: string) =>
    fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : undefined;

  beforeAll(() => {
    root = scratchCheckout();
    for (const file of [
      'supergraph.yaml',
      'docker-compose.yml',
      'deploy/postgres/init.sh',
      'deploy/prometheus/prometheus.yml',
    ]) {
      originals[file] = read(file)!;
    }
    // duty has a planned row in the manifest; laundry gets one.
    for (const args of [
      ['duty', '4003', '50053'],
      ['laundry', '4008', '50058'],
    ]) {
      const run = newSubgraph(...args, '--root', root);
      expect({ args, status: run.status, stderr: run.stderr }).toEqual({ args, status: 0, stderr: '' });
    }
  }, 90_000);

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('lays each subgraph out as the template (layout:check)', () => {
    for (const name of ['duty', 'laundry']) {
      const files = filesUnder(path.join(root, 'subgraphs', name));
      expect(files).toContain(`src/api/grpc/${name}.grpc.ts`);
      expect(layoutProblems(name, files)).toEqual([]);
    }
  });

  it('wires them everywhere services:check looks, adding the manifest row laundry lacked', async () => {
    const manifest = (await import(
      path.join(root, 'scripts', 'lib', 'services.ts')
    )) as typeof import('../../lib/services');
    const present = manifest.presentSubgraphs().map((s) => s.name);
    expect(present).toEqual(expect.arrayContaining(['duty', 'laundry']));
    expect(manifest.serviceSpec('laundry' as never)).toMatchObject({ httpPort: 4008, grpcPort: 50058, calls: [] });
    expect(checkServices(manifest.SUBGRAPHS, read, present)).toEqual([]);
  });

  it('changes nothing else in the files it edits: comments, quoting and flow style stay', () => {
    const removed = (file: string) => {
      const now = new Set(read(file)!.split('\n'));
      return originals[file]!.split('\n').filter((line) => !now.has(line));
    };
    expect(removed('supergraph.yaml')).toEqual([]);
    expect(removed('docker-compose.yml').map((l) => l.trim())).toEqual([
      expect.stringMatching(/^SERVICES: /),
      expect.stringMatching(/^depends_on: \[/),
    ]);
    // the router's depends_on: what it had, then the new subgraphs
    const routerDependsOn = (text: string) => /depends_on: \[(identity[^\]]*)\]/.exec(text)![1]!;
    expect(routerDependsOn(read('docker-compose.yml')!)).toBe(
      `${routerDependsOn(originals['docker-compose.yml']!)}, duty, laundry`,
    );
    expect(removed('deploy/postgres/init.sh')).toEqual([expect.stringMatching(/^for service in /)]);
    expect(removed('deploy/prometheus/prometheus.yml')).toEqual([expect.stringMatching(/targets: \[/)]);
  });

  it('writes what prettier would (as `npm run lint` checks)', () => {
    const files = [
      'supergraph.yaml',
      'docker-compose.yml',
      'deploy/prometheus/prometheus.yml',
      'scripts/lib/services.ts',
      ...filesUnder(path.join(root, 'subgraphs', 'laundry')).map((f) => `subgraphs/laundry/${f}`),
    ];
    // .data/ is ignored by .prettierignore and .gitignore; the repository's .prettierrc.json applies.
    const run = spawnSync(bin('prettier'), ['--check', '--ignore-path', '/dev/null', ...files], {
      cwd: root,
      encoding: 'utf8',
    });
    expect({ status: run.status, output: run.status ? run.stdout + run.stderr : '' }).toEqual({
      status: 0,
      output: '',
    });
  }, 30_000);

  it('composes into the supergraph with the other subgraphs', () => {
    const result = composeSupergraph(readSupergraphConfig(path.join(root, 'supergraph.yaml')));
    expect(result).toMatchObject({ ok: true, hints: [] });
  });

  it('declares the outbox as platform expects, with the init migration prisma writes for it', () => {
    const schema = read('prisma/laundry/schema.prisma')!;
    expect(modelBlock(schema, 'OutboxEvent')).toBe(OUTBOX_PRISMA_MODEL.trim().replace(/\s+/g, ' '));
    const [init, ...others] = fs.readdirSync(path.join(root, 'prisma', 'laundry', 'migrations')).sort();
    expect(init).toMatch(/^\d{14}_init$/);
    expect(others).toEqual(['migration_lock.toml']);
    const leaveDir = path.join(REPO_ROOT, 'prisma', 'leave', 'migrations');
    const leaveInit = fs.readdirSync(leaveDir).find((d) => d.endsWith('_init'))!;
    const leaveSql = fs.readFileSync(path.join(leaveDir, leaveInit, 'migration.sql'), 'utf8');
    expect(statementsOn(read(`prisma/laundry/migrations/${init}/migration.sql`)!, 'outbox')).toEqual(
      statementsOn(leaveSql, 'outbox'),
    );
  });

  it('type-checks once its Prisma client is generated', () => {
    const prisma = prismaIn(root, 'laundry', ['generate', '--no-hints']);
    expect({ status: prisma.status, stderr: prisma.status ? prisma.stderr : '' }).toEqual({ status: 0, stderr: '' });
    const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', path.join(root, 'subgraphs', 'laundry', 'tsconfig.json')], {
      encoding: 'utf8',
    });
    expect({ status: tsc.status, errors: tsc.stdout }).toEqual({ status: 0, errors: '' });
  }, 60_000);

  it('passes the lint rules', () => {
    // The repository's rules, from the scratch root (so its subgraphs/ patterns apply to the copy).
    // Under .data/ the rule's "**/test/**" glob does not match (it skips dot folders); in subgraphs/ it does.
    fs.writeFileSync(
      path.join(root, 'eslint.config.js'),
      `module.exports = [...require(${JSON.stringify(path.join(REPO_ROOT, 'eslint.config.js'))}), {
        files: ['**/test/**/*.ts'],
        rules: { 'import-x/no-extraneous-dependencies': ['error', { devDependencies: true, includeTypes: true }] },
      }];\n`,
    );
    const run = spawnSync(bin('eslint'), ['subgraphs/laundry'], { cwd: root, encoding: 'utf8' });
    expect({ status: run.status, output: run.stdout + run.stderr }).toEqual({ status: 0, output: '' });
  }, 60_000);

  it('refuses a name that exists, with exit code 2 and nothing written', () => {
    const before = filesUnder(root).length;
    expect(newSubgraph('laundry', '4009', '50059', '--root', root)).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(
        /laundry already exists in subgraphs\/laundry, prisma\/laundry, proto\/campus\/laundry, supergraph.yaml/,
      ),
    });
    expect(filesUnder(root).length).toBe(before);
  }, 30_000);

  it("refuses a name that is not lowercase letters, ports another service owns, and other ports than a planned row's", () => {
    const refusal = (name: string, httpPort: number, grpcPort: number) => {
      try {
        planSubgraph({ root, name, httpPort, grpcPort });
        return undefined;
      } catch (error) {
        return error instanceof Refusal ? error.message : error;
      }
    };
    expect(refusal('room-booking', 4009, 50059)).toBe(
      'the name "room-booking" is not lowercase letters (a-z), e.g. duty',
    );
    expect(refusal('ironing', 4005, 50051)).toBe(
      "port 50051 is identity's (scripts/lib/services.ts)\nport 4005 is leave's (scripts/lib/services.ts)",
    );
    expect(refusal('ironing', 4009, 4009)).toBe('the HTTP and gRPC ports are both 4009');
    expect(refusal('ironing', 4000, 50059)).toBe("port 4000 is the router's");
    expect(refusal('coworking', 4010, 50060)).toMatch(/reserves HTTP 4004 and gRPC 50054 for coworking/);
    expect(refusal('coworking', 4004, 50054)).toBeUndefined();
  });
});
