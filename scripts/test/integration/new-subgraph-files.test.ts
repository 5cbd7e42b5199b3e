// `npm run new:subgraph` on a scratch copy of what it reads and edits, inside the repository (under
// .data/, so @campus/*, prisma and typescript resolve by walking up): the generated subgraphs follow
// the template, are wired everywhere `npm run services:check` looks and into deploy/k8s (the k8s
// manifests test passes on the copy), compose with the others, and type-check and lint. No database
// here: the init migration is held against leave's committed one (the same outbox model);
// scripts/test/integration/new-subgraph.test.ts migrates and starts one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { OUTBOX_PRISMA_MODEL } from '../../../packages/platform/src/messaging/outbox';
import { composeSupergraph, readSupergraphConfig } from '../../../router/tools/compose';
import { checkServices } from '../../lib/check-services';
import { planSubgraph, Refusal } from '../../lib/new-subgraph';
import { layoutProblems } from '../../lib/layout';
import { prometheusTargets } from '../../lib/subgraph-wiring';
import { REPO_ROOT, presentSubgraphs } from '../../lib/services';
import { bin, filesUnder, newSubgraph, prismaIn, scratchCheckout } from '../support/scratch-checkout';

/** The files outside the new subgraphs' own that the generator edits. */
const EDITED = [
  'supergraph.yaml',
  'docker-compose.yml',
  '.env.example',
  'deploy/postgres/init.sh',
  'deploy/prometheus/prometheus.yml',
];
const K8S_EDITED = [
  'deploy/k8s/base/kustomization.yaml',
  'deploy/k8s/base/migrate-job.yaml',
  'deploy/k8s/overlays/dev/kustomization.yaml',
  'deploy/k8s/overlays/dev/autoscaling.yaml',
  'deploy/k8s/overlays/prod/kustomization.yaml',
  'deploy/k8s/overlays/prod/scaling.yaml',
];

/** kubectl (Debian's kubernetes-client) renders the overlays in the k8s manifests test. */
const kubectl = (() => {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  return !probe.error && probe.status === 0;
})();

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
    // gym gets a planned row in the scratch manifest (it calls identity and serves a proxy route, so
    // that the router's PROXY_ROUTES gets it), as a subgraph whose issue reserved its ports has;
    // laundry has no row and gets one.
    const manifestFile = path.join(root, 'scripts', 'lib', 'services.ts');
    const manifestSource = fs.readFileSync(manifestFile, 'utf8');
    const end = '] as const satisfies readonly ManifestRow[];';
    expect(manifestSource).toContain(end);
    const planned =
      "{ name: 'gym', httpPort: 4012, grpcPort: 50062, calls: ['identity'], proxyRoutes: ['/exports/gym'] },";
    fs.writeFileSync(manifestFile, manifestSource.replace(end, `  ${planned}\n${end}`));
    for (const file of [...EDITED, ...K8S_EDITED]) originals[file] = read(file)!;
    for (const args of [
      ['gym', '4012', '50062'],
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
    for (const name of ['gym', 'laundry']) {
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
    expect(present).toEqual(expect.arrayContaining(['gym', 'laundry']));
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
      expect.stringMatching(/^PROXY_ROUTES: /),
      expect.stringMatching(/^depends_on: \[/),
    ]);
    expect(removed('.env.example')).toEqual([]);
    // the router's depends_on: what it had, then the new subgraphs
    const routerDependsOn = (text: string) => /depends_on: \[(identity[^\]]*)\]/.exec(text)![1]!;
    expect(routerDependsOn(read('docker-compose.yml')!)).toBe(
      `${routerDependsOn(originals['docker-compose.yml']!)}, gym, laundry`,
    );
    expect(removed('deploy/postgres/init.sh')).toEqual([expect.stringMatching(/^for service in /)]);
    // A one-line targets list is rewritten (prettier may wrap it); a wrapped one only grows.
    for (const line of removed('deploy/prometheus/prometheus.yml')) expect(line).toMatch(/targets: \[/);
    // The new ones join the subgraphs' list (not rabbitmq's job).
    const campusTargets = (text: string) => prometheusTargets(text).filter((t) => !t.startsWith('rabbitmq:'));
    expect(campusTargets(read('deploy/prometheus/prometheus.yml')!)).toEqual([
      ...campusTargets(originals['deploy/prometheus/prometheus.yml']!),
      'gym:4012',
      'laundry:4008',
    ]);
    expect(removed('deploy/k8s/base/migrate-job.yaml').map((l) => l.trim())).toEqual([
      expect.stringMatching(/^- \{ name: SERVICES, value: /),
    ]);
    // The router's PROXY_ROUTES literal gains gym's route in the base (as in docker-compose.yml).
    expect(removed('deploy/k8s/base/kustomization.yaml').map((l) => l.trim())).toEqual([
      expect.stringMatching(/^- PROXY_ROUTES=/),
    ]);
    expect(read('deploy/k8s/base/kustomization.yaml')).toMatch(/- PROXY_ROUTES=.*\/exports\/gym=/);
    for (const file of K8S_EDITED.filter(
      (f) => !f.endsWith('migrate-job.yaml') && !f.endsWith('base/kustomization.yaml'),
    ))
      expect([file, removed(file)]).toEqual([file, []]);
  });

  it("requires each database owner's password from .env (no default) wherever compose uses it, with a placeholder in .env.example", () => {
    const compose = YAML.parse(read('docker-compose.yml')!) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    for (const name of ['gym', 'laundry']) {
      const secret = `${name.toUpperCase()}_DB_PASSWORD`;
      const required = `\${${secret}:?set ${secret} in .env}`;
      expect(compose.services[name]!.environment!.DATABASE_URL).toBe(
        `postgresql://${name}:${required}@postgres:5432/campus_${name}`,
      );
      expect(compose.services.postgres!.environment![secret]).toBe(required);
      expect(compose.services.migrate!.environment![secret]).toBe(required);
      expect(read('.env.example')).toContain(`\n${secret}=change-me-${name}-db\n`);
    }
    // After the other services' passwords, in generation order.
    const passwords = [...read('.env.example')!.matchAll(/^([A-Z]+)_DB_PASSWORD=/gm)].map((m) => m[1]);
    expect(passwords.slice(-2)).toEqual(['GYM', 'LAUNDRY']);
    const postgresKeys = Object.keys(compose.services.postgres!.environment!);
    expect(postgresKeys.slice(-2)).toEqual(['GYM_DB_PASSWORD', 'LAUNDRY_DB_PASSWORD']);
  });

  it("adds a planned row's proxy routes to the router's PROXY_ROUTES, keeping the others", () => {
    const routes = (text: string) =>
      (YAML.parse(text) as { services: { router: { environment: { PROXY_ROUTES: string } } } }).services.router
        .environment.PROXY_ROUTES;
    expect(routes(read('docker-compose.yml')!)).toBe(
      `${routes(originals['docker-compose.yml']!)},/exports/gym=http://gym:4012`,
    );
  });

  it("gives each a Kubernetes manifest like patrol's, its ConfigMap, its database in the migrate Job and its image", () => {
    const patrol = read('deploy/k8s/base/patrol.yaml')!;
    expect(read('deploy/k8s/base/laundry.yaml')).toBe(
      patrol
        .replace(/patrol/g, 'laundry')
        .replace(/50052/g, '50058')
        .replace(/4002/g, '4008'),
    );
    expect(read('deploy/k8s/secrets/campus-laundry.env.example')).toBe(
      'DATABASE_URL=postgresql://laundry:change-me-laundry-db@postgres.campus-infra.svc:5432/campus_laundry\n',
    );
    const kustomization = YAML.parse(read('deploy/k8s/base/kustomization.yaml')!) as {
      resources: string[];
      configMapGenerator: { name: string; literals: string[] }[];
    };
    expect(kustomization.resources).toEqual(expect.arrayContaining(['gym.yaml', 'laundry.yaml']));
    const literals = (name: string) => kustomization.configMapGenerator.find((g) => g.name === name)?.literals;
    expect(literals('campus-laundry-config')).toEqual(['HTTP_PORT=4008', 'GRPC_PORT=50058']);
    expect(literals('campus-gym-config')).toEqual([
      'HTTP_PORT=4012',
      'GRPC_PORT=50062',
      'IDENTITY_GRPC_URL=identity:50051',
    ]);
    expect(literals('campus-router-config')).toEqual(
      expect.arrayContaining([
        'SUBGRAPH_GYM_URL=http://gym:4012/graphql',
        'SUBGRAPH_LAUNDRY_URL=http://laundry:4008/graphql',
      ]),
    );
    const migrate = read('deploy/k8s/base/migrate-job.yaml')!;
    expect(migrate).toMatch(/name: SERVICES, value: [a-z ]* gym laundry \}/);
    expect(migrate).toContain(
      '- name: LAUNDRY_DATABASE_URL\n              valueFrom:\n                secretKeyRef: { name: campus-laundry, key: DATABASE_URL }\n',
    );
    expect(read('deploy/k8s/overlays/prod/kustomization.yaml')).toContain(
      "- name: campus/laundry\n    newName: registry.campus.example/campus/laundry\n    newTag: '0.1.0'\n",
    );
    expect(read('deploy/k8s/overlays/dev/autoscaling.yaml')).toContain(
      'kind: HorizontalPodAutoscaler\nmetadata:\n  name: laundry\nspec:\n  maxReplicas: 3\n',
    );
    // prod patches the router and identity only: not a per-subgraph patch.
    expect(read('deploy/k8s/overlays/prod/scaling.yaml')).toBe(originals['deploy/k8s/overlays/prod/scaling.yaml']);
  });

  (kubectl ? it : it.skip)(
    `passes the Kubernetes manifests test on the generated tree${kubectl ? '' : ' (skipped: kubectl is not installed)'}`,
    () => {
      // The test itself and what it reads, as in the repository; its manifest is the scratch one.
      for (const dir of [
        'scripts/test/integration/k8s-manifests.test.ts',
        'scripts/lib/service-env.ts',
        'router/src',
      ]) {
        fs.cpSync(path.join(REPO_ROOT, dir), path.join(root, dir), { recursive: true });
      }
      fs.cpSync(
        path.join(REPO_ROOT, 'packages/platform/src/http.ts'),
        path.join(root, 'packages/platform/src/http.ts'),
      );
      for (const { name } of presentSubgraphs()) {
        fs.cpSync(path.join(REPO_ROOT, 'subgraphs', name, 'src'), path.join(root, 'subgraphs', name, 'src'), {
          recursive: true,
        });
      }
      const config = path.join(root, 'jest.k8s.config.js');
      fs.writeFileSync(
        config,
        `const [unit] = require(${JSON.stringify(path.join(REPO_ROOT, 'jest.config.js'))}).projects;
module.exports = {
  ...unit,
  rootDir: __dirname,
  displayName: 'k8s',
  moduleNameMapper: { '^@campus/(platform|contracts|testkit)$': ${JSON.stringify(REPO_ROOT)} + '/packages/$1/src' },
  testMatch: ['<rootDir>/scripts/test/integration/k8s-manifests.test.ts'],
};\n`,
      );
      const run = spawnSync(bin('jest'), ['--config', config, '--json', '--ci'], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 32 * 1024 * 1024,
      });
      const report = JSON.parse(run.stdout || '{}') as {
        numFailedTests?: number;
        numPendingTests?: number;
        testResults?: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
      };
      const results = (report.testResults ?? []).flatMap((file) => file.assertionResults);
      expect({
        status: run.status,
        failed: results.filter((t) => t.status !== 'passed').map((t) => [t.fullName, ...t.failureMessages]),
        stderr: results.length ? '' : run.stderr,
      }).toEqual({ status: 0, failed: [], stderr: '' });
      // It checked the new subgraphs (three tests each) in the base and every overlay.
      const dirs = 1 + fs.readdirSync(path.join(root, 'deploy', 'k8s', 'overlays')).length;
      for (const name of ['gym', 'laundry']) {
        const titles = results.map((t) => t.fullName).filter((t) => t.includes(` ${name}: `));
        expect([name, titles.length]).toEqual([name, 3 * dirs]);
      }
    },
    180_000,
  );

  it('writes what prettier would (as `npm run lint` checks)', () => {
    const files = [
      'supergraph.yaml',
      'docker-compose.yml',
      'deploy/prometheus/prometheus.yml',
      'scripts/lib/services.ts',
      ...K8S_EDITED,
      'deploy/k8s/base/laundry.yaml',
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
    const run = newSubgraph('laundry', '4009', '50059', '--root', root);
    expect(run).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(
        /laundry already exists in subgraphs\/laundry, prisma\/laundry, proto\/campus\/laundry, supergraph.yaml/,
      ),
    });
    // deploy/k8s counts too: its own files and its entries in the base.
    expect(run.stderr).toContain(
      'deploy/k8s/base/laundry.yaml, deploy/k8s/secrets/campus-laundry.env.example, deploy/k8s/base/kustomization.yaml, deploy/k8s/base/migrate-job.yaml;',
    );
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
    expect(refusal('gym', 4010, 50060)).toMatch(/reserves HTTP 4012 and gRPC 50062 for gym/);
    // (the planned row's own ports were accepted in beforeAll; now it exists)
    expect(refusal('gym', 4012, 50062)).toMatch(/^gym already exists in subgraphs\/gym/);
  });
});
