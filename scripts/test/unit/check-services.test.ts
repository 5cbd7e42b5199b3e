import YAML from 'yaml';
import { checkServices, type Problem } from '../../lib/check-services';
import type { ServiceSpec } from '../../lib/services';

// A two-subgraph campus: leave calls identity and owns two proxy routes; duty is planned (absent).
const manifest: ServiceSpec[] = [
  {
    name: 'identity',
    httpPort: 4001,
    grpcPort: 50051,
    database: 'campus_identity',
    calls: [],
    proxyRoutes: [],
    present: true,
  },
  {
    name: 'leave',
    httpPort: 4005,
    grpcPort: 50055,
    database: 'campus_leave',
    calls: ['identity'],
    proxyRoutes: ['/uploads/leave', '/files/leave'],
    present: true,
  },
  {
    name: 'duty',
    httpPort: 4003,
    grpcPort: 50053,
    database: 'campus_duty',
    calls: ['identity'],
    proxyRoutes: [],
    present: false,
  },
];

const supergraph = () => ({
  federation_version: '=2.14.4',
  subgraphs: Object.fromEntries(
    ['identity', 'leave'].map((name, i) => [
      name,
      {
        routing_url: `http://127.0.0.1:${[4001, 4005][i]}/graphql`,
        schema: { file: `./subgraphs/${name}/src/api/graphql/schema.graphql` },
      },
    ]),
  ),
});

const subgraphService = (name: string, http: number, grpc: number, extra: Record<string, string> = {}) => ({
  build: { context: '.', target: 'runtime', args: { SERVICE: name } },
  restart: 'unless-stopped',
  depends_on: { migrate: { condition: 'service_completed_successfully' } },
  environment: {
    HTTP_PORT: String(http),
    GRPC_PORT: String(grpc),
    DATABASE_URL: `postgresql://${name}:\${${name.toUpperCase()}_DB_PASSWORD:-${name}}@postgres:5432/campus_${name}`,
    ...extra,
  },
});

const compose = () => ({
  services: {
    migrate: { restart: 'no', environment: { SERVICES: 'identity leave' } },
    identity: subgraphService('identity', 4001, 50051),
    leave: subgraphService('leave', 4005, 50055, { IDENTITY_GRPC_URL: 'identity:50051' }),
    router: {
      restart: 'unless-stopped',
      depends_on: ['identity', 'leave'],
      environment: {
        SUBGRAPH_IDENTITY_URL: 'http://identity:4001/graphql',
        SUBGRAPH_LEAVE_URL: 'http://leave:4005/graphql',
        PROXY_ROUTES: '/uploads/leave=http://leave:4005,/files/leave=http://leave:4005',
      },
    },
  },
});

const initScript = (services: string) =>
  `#!/bin/sh\nset -eu\nfor service in ${services}; do\n  psql <<SQL\nCREATE USER \${service};\nCREATE DATABASE campus_\${service} OWNER \${service};\nSQL\ndone\n`;

const dockerfile = (flags: string) =>
  `FROM node:20 AS runtime\nCMD ["sh", "-c", "exec node ${flags}-r @campus/platform/telemetry-register $SERVICE/dist/main.js"]\n`;

const prometheus = (targets: string[]) => ({ scrape_configs: [{ job_name: 'campus', static_configs: [{ targets }] }] });

/** The files of a correctly wired tree; `change` edits one of them before it is serialised. */
function tree(change: (files: Record<string, unknown>) => void = () => undefined) {
  const files: Record<string, unknown> = {
    'supergraph.yaml': supergraph(),
    'docker-compose.yml': compose(),
    'deploy/postgres/init.sh': initScript('identity leave'),
    'deploy/prometheus/prometheus.yml': prometheus(['router:4000', 'identity:4001', 'leave:4005']),
    Dockerfile: dockerfile('--max-semi-space-size=64 '),
    ...Object.fromEntries(
      ['identity', 'leave'].flatMap((name) => [
        [`proto/campus/${name}/v1/${name}.proto`, 'syntax = "proto3";'],
        [`prisma/${name}/schema.prisma`, 'generator client {}'],
        [`subgraphs/${name}/src/api/graphql/schema.graphql`, 'type Query { ok: Boolean }'],
      ]),
    ),
  };
  change(files);
  return (file: string): string | undefined => {
    const content = files[file];
    return content === undefined || typeof content === 'string' ? content : YAML.stringify(content);
  };
}

type Compose = ReturnType<typeof compose>;
type YamlMap = Record<string, unknown>;
const filesNamed = (problems: Problem[]) => [...new Set(problems.map((p) => p.file))];

describe('checkServices', () => {
  it('finds nothing wrong in a tree wired as the manifest says (planned subgraphs are ignored)', () => {
    expect(checkServices(manifest, tree(), ['identity', 'leave'])).toEqual([]);
  });

  it.each<[string, (files: Record<string, unknown>) => void]>([
    ['supergraph.yaml', (f) => delete (f['supergraph.yaml'] as { subgraphs: YamlMap }).subgraphs.leave],
    ['docker-compose.yml', (f) => delete (f['docker-compose.yml'] as { services: YamlMap }).services.leave],
    ['deploy/postgres/init.sh', (f) => (f['deploy/postgres/init.sh'] = initScript('identity'))],
    [
      'deploy/prometheus/prometheus.yml',
      (f) => (f['deploy/prometheus/prometheus.yml'] = prometheus(['identity:4001'])),
    ],
    ['proto/campus/leave/v1/leave.proto', (f) => delete f['proto/campus/leave/v1/leave.proto']],
    ['prisma/leave/schema.prisma', (f) => delete f['prisma/leave/schema.prisma']],
  ])('fails naming %s when leave is missing from it', (file, removeLeave) => {
    const problems = checkServices(manifest, tree(removeLeave));
    expect(filesNamed(problems)).toEqual([file]);
    expect(problems.map((p) => p.message).join('\n')).toMatch(/leave/);
  });

  it('holds the Dockerfile CMD to the V8 flags npm start and the test stacks use', () => {
    const flags = ['--max-semi-space-size=64'];
    expect(checkServices(manifest, tree(), [], flags)).toEqual([]);
    const without = checkServices(
      manifest,
      tree((f) => (f.Dockerfile = dockerfile(''))),
      [],
      flags,
    );
    expect(without).toEqual([{ file: 'Dockerfile', message: expect.stringMatching(/--max-semi-space-size=64/) }]);
    expect(checkServices(manifest, tree(), [], ['--max-semi-space-size=32'])).toHaveLength(1);
  });

  it('names the router wiring of docker-compose.yml: subgraph URL, proxy routes, depends_on', () => {
    const problems = checkServices(
      manifest,
      tree((f) => {
        const router = (f['docker-compose.yml'] as Compose).services.router;
        router.environment = {
          SUBGRAPH_IDENTITY_URL: 'http://identity:4001/graphql',
          SUBGRAPH_LEAVE_URL: 'http://leave:4004/graphql',
          PROXY_ROUTES: '/uploads/leave=http://leave:4005,/old=http://leave:4005',
        };
        router.depends_on = ['identity'];
      }),
    );
    expect(problems).toEqual([
      expect.objectContaining({ file: 'docker-compose.yml', message: expect.stringContaining('SUBGRAPH_LEAVE_URL') }),
      expect.objectContaining({
        message: expect.stringContaining('PROXY_ROUTES lacks /files/leave=http://leave:4005'),
      }),
      expect.objectContaining({ message: 'services.router.depends_on lacks leave' }),
      expect.objectContaining({ message: expect.stringContaining('PROXY_ROUTES has /old') }),
    ]);
  });

  it('names a gRPC dependency URL, a port and the migrate list of docker-compose.yml', () => {
    const problems = checkServices(
      manifest,
      tree((f) => {
        const { services } = f['docker-compose.yml'] as Compose;
        services.leave = subgraphService('leave', 4005, 50056);
        services.migrate.environment.SERVICES = 'identity';
      }),
    );
    expect(problems.map((p) => `${p.file}: ${p.message}`)).toEqual([
      'docker-compose.yml: services.leave.environment.GRPC_PORT is "50056", expected "50055"',
      'docker-compose.yml: services.leave.environment.IDENTITY_GRPC_URL is undefined, expected "identity:50051"',
      'docker-compose.yml: services.migrate.environment.SERVICES lacks leave (its migrations)',
    ]);
  });

  it('names the manifest when a subgraph on disk has no present row', () => {
    const problems = checkServices(manifest, tree(), ['identity', 'leave', 'duty']);
    expect(problems).toEqual([{ file: 'scripts/lib/services.ts', message: 'subgraphs/duty has no present row' }]);
  });
});
