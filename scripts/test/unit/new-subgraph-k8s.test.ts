import YAML from 'yaml';
import {
  k8sPlacesTaken,
  overlayPatchFiles,
  wireK8sKustomization,
  wireK8sMigrateJob,
  wireK8sOverlay,
  wireK8sPatches,
  withProxyRoutes,
} from '../../lib/k8s-wiring';
import type { ManifestRow } from '../../lib/subgraph-wiring';

// A small campus: identity, leave (two proxy routes) and notification; rows are added per test.
const identity: ManifestRow = { name: 'identity', httpPort: 4001, grpcPort: 50051, calls: [], proxyRoutes: [] };
const leave: ManifestRow = {
  name: 'leave',
  httpPort: 4005,
  grpcPort: 50055,
  calls: ['identity'],
  proxyRoutes: ['/uploads/leave', '/files/leave'],
};
const notification: ManifestRow = {
  name: 'notification',
  httpPort: 4006,
  grpcPort: 50056,
  calls: ['identity'],
  proxyRoutes: ['/notifications/stream'],
};
const duty: ManifestRow = {
  name: 'duty',
  httpPort: 4003,
  grpcPort: 50053,
  calls: ['identity', 'leave'],
  proxyRoutes: ['/uploads/duty', '/calendars/duty'],
};
const laundry: ManifestRow = { name: 'laundry', httpPort: 4008, grpcPort: 50058, calls: [], proxyRoutes: [] };
// Manifest order: identity, duty, leave, notification, laundry.
const manifest = [identity, duty, leave, notification, laundry];

const LEAVE_ROUTES = '/uploads/leave=http://leave:4005,/files/leave=http://leave:4005';
const kustomization = `# The base.
resources:
  - identity.yaml
  - leave.yaml
  - notification.yaml
  - router.yaml
  - network-policies.yaml
configMapGenerator:
  - name: campus-common-config
    literals:
      - NODE_ENV=production
  - name: campus-identity-config
    literals:
      - HTTP_PORT=4001
      - GRPC_PORT=50051
  - name: campus-leave-config
    literals:
      - HTTP_PORT=4005
      # documents in S3
      - DOCUMENT_STORAGE=s3
  - name: campus-notification-config
    literals:
      - HTTP_PORT=4006
  - name: campus-router-config
    literals:
      - HTTP_PORT=4000
      - SUBGRAPH_IDENTITY_URL=http://identity:4001/graphql
      - SUBGRAPH_LEAVE_URL=http://leave:4005/graphql
      - SUBGRAPH_NOTIFICATION_URL=http://notification:4006/graphql
      - PROXY_ROUTES=${LEAVE_ROUTES},/notifications/stream=http://notification:4006
`;

interface Kustomization {
  resources: string[];
  configMapGenerator: { name: string; literals: string[] }[];
}
const literalsOf = (source: string, name: string) =>
  (YAML.parse(source) as Kustomization).configMapGenerator.find((g) => g.name === name)?.literals;

describe('withProxyRoutes', () => {
  it("puts the service's routes after those of the services above it in the manifest", () => {
    const value = withProxyRoutes(`${LEAVE_ROUTES},/notifications/stream=http://notification:4006`, duty, manifest);
    expect(value.split(',')).toEqual([
      '/uploads/duty=http://duty:4003',
      '/calendars/duty=http://duty:4003',
      '/uploads/leave=http://leave:4005',
      '/files/leave=http://leave:4005',
      '/notifications/stream=http://notification:4006',
    ]);
  });

  it('replaces stale entries of its own prefixes, and starts an empty value', () => {
    expect(withProxyRoutes('/uploads/duty=http://old:1', duty, manifest)).toBe(
      '/uploads/duty=http://duty:4003,/calendars/duty=http://duty:4003',
    );
    expect(withProxyRoutes('', { ...laundry, proxyRoutes: ['/laundry/stream'] }, manifest)).toBe(
      '/laundry/stream=http://laundry:4008',
    );
  });
});

describe('wireK8sKustomization', () => {
  it('adds the resource, the ConfigMap after the subgraphs ones, and the router URL; nothing else changes', () => {
    const wired = wireK8sKustomization(kustomization, laundry, manifest);
    const parsed = YAML.parse(wired) as Kustomization;
    expect(parsed.resources).toEqual([
      'identity.yaml',
      'leave.yaml',
      'notification.yaml',
      'laundry.yaml',
      'router.yaml',
      'network-policies.yaml',
    ]);
    expect(parsed.configMapGenerator.map((g) => g.name)).toEqual([
      'campus-common-config',
      'campus-identity-config',
      'campus-leave-config',
      'campus-notification-config',
      'campus-laundry-config',
      'campus-router-config',
    ]);
    expect(literalsOf(wired, 'campus-laundry-config')).toEqual(['HTTP_PORT=4008', 'GRPC_PORT=50058']);
    expect(literalsOf(wired, 'campus-router-config')).toEqual([
      'HTTP_PORT=4000',
      'SUBGRAPH_IDENTITY_URL=http://identity:4001/graphql',
      'SUBGRAPH_LEAVE_URL=http://leave:4005/graphql',
      'SUBGRAPH_NOTIFICATION_URL=http://notification:4006/graphql',
      'SUBGRAPH_LAUNDRY_URL=http://laundry:4008/graphql',
      `PROXY_ROUTES=${LEAVE_ROUTES},/notifications/stream=http://notification:4006`,
    ]);
    // Only insertions: every original line is still there, comments included.
    const lines = new Set(wired.split('\n'));
    expect(kustomization.split('\n').filter((line) => !lines.has(line))).toEqual([]);
    expect(wired).toContain(
      '  - name: campus-laundry-config\n    literals:\n      - HTTP_PORT=4008\n      - GRPC_PORT=50058\n  - name: campus-router-config\n',
    );
  });

  it('gives a service its calls as <NAME>_GRPC_URL and its routes in PROXY_ROUTES', () => {
    const wired = wireK8sKustomization(kustomization, duty, manifest);
    expect(literalsOf(wired, 'campus-duty-config')).toEqual([
      'HTTP_PORT=4003',
      'GRPC_PORT=50053',
      'IDENTITY_GRPC_URL=identity:50051',
      'LEAVE_GRPC_URL=leave:50055',
    ]);
    expect(literalsOf(wired, 'campus-router-config')?.at(-1)).toBe(
      `PROXY_ROUTES=/uploads/duty=http://duty:4003,/calendars/duty=http://duty:4003,${LEAVE_ROUTES},/notifications/stream=http://notification:4006`,
    );
  });

  it('refuses a call to a service the manifest lacks, and a base without the router ConfigMap', () => {
    expect(() => wireK8sKustomization(kustomization, { ...laundry, calls: ['ghost'] }, manifest)).toThrow(
      'laundry calls ghost, which has no row',
    );
    const noRouter = kustomization.slice(0, kustomization.indexOf('  - name: campus-router-config'));
    expect(() => wireK8sKustomization(noRouter, laundry, manifest)).toThrow(
      'no configMapGenerator campus-router-config',
    );
  });
});

const migrateJob = `apiVersion: batch/v1
kind: Job
spec:
  template:
    spec:
      containers:
        - name: migrate
          env:
            - { name: SERVICES, value: identity leave }
            - name: IDENTITY_DATABASE_URL
              valueFrom:
                secretKeyRef: { name: campus-identity, key: DATABASE_URL }
            - name: LEAVE_DATABASE_URL
              valueFrom:
                secretKeyRef: { name: campus-leave, key: DATABASE_URL }
          resources:
            requests: { cpu: 100m }`;

describe('wireK8sMigrateJob', () => {
  it('migrates the new database too: SERVICES and <NAME>_DATABASE_URL from its Secret', () => {
    const wired = wireK8sMigrateJob(migrateJob, laundry);
    const env = (
      YAML.parse(wired) as {
        spec: {
          template: { spec: { containers: { env: { name: string; value?: string; valueFrom?: unknown }[] }[] } };
        };
      }
    ).spec.template.spec.containers[0]!.env;
    expect(env.map((v) => v.name)).toEqual([
      'SERVICES',
      'IDENTITY_DATABASE_URL',
      'LEAVE_DATABASE_URL',
      'LAUNDRY_DATABASE_URL',
    ]);
    expect(env[0]!.value).toBe('identity leave laundry');
    expect(env[3]!.valueFrom).toEqual({ secretKeyRef: { name: 'campus-laundry', key: 'DATABASE_URL' } });
    expect(wired).toContain('            - { name: SERVICES, value: identity leave laundry }\n');
  });

  it('finds its own entries as taken, with the base files', () => {
    const files: Record<string, string> = {
      'deploy/k8s/base/kustomization.yaml': kustomization,
      'deploy/k8s/base/migrate-job.yaml': migrateJob,
    };
    const taken = (name: string, existing: string[] = []) =>
      k8sPlacesTaken(
        (file) => files[file]!,
        (file) => existing.includes(file),
        name,
      );
    expect(taken('laundry')).toEqual([]);
    expect(taken('leave', ['deploy/k8s/base/leave.yaml'])).toEqual([
      'deploy/k8s/base/leave.yaml',
      'deploy/k8s/base/kustomization.yaml',
      'deploy/k8s/base/migrate-job.yaml',
    ]);
    files['deploy/k8s/base/migrate-job.yaml'] = wireK8sMigrateJob(migrateJob, laundry);
    expect(taken('laundry')).toEqual(['deploy/k8s/base/migrate-job.yaml']);
  });
});

describe('the overlays', () => {
  const overlay = `namespace: campus
bases:
  - ../../base
patchesStrategicMerge:
  - scaling.yaml
images:
  - name: campus/identity
    newName: registry.example/campus/identity
    newTag: '0.1.0'
  - name: campus/leave
    newName: registry.example/campus/leave
    newTag: '0.1.0'
  - name: campus/router
    newName: registry.example/campus/router
    newTag: '0.1.0'`;

  it("set the new image as the last subgraph's: same registry, same tag", () => {
    expect(wireK8sOverlay('prod', overlay, laundry, manifest)).toBe(
      overlay.replace(
        '  - name: campus/router',
        "  - name: campus/laundry\n    newName: registry.example/campus/laundry\n    newTag: '0.1.0'\n  - name: campus/router",
      ),
    );
    const noImages = 'namespace: campus\nbases:\n  - ../../base\n';
    expect(wireK8sOverlay('dev', noImages, laundry, manifest)).toBe(noImages);
    expect(overlayPatchFiles(overlay)).toEqual(['scaling.yaml']);
    expect(overlayPatchFiles('patches:\n  - path: a.yaml\n  - patch: inline\n')).toEqual(['a.yaml']);
  });

  const hpa = (name: string, max: number) =>
    `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${name}\nspec:\n  maxReplicas: ${max}\n`;

  it('copy a patch every subgraph has, after the last subgraph, and leave patches of a few alone', () => {
    const caps = `# Caps.\n${hpa('identity', 3)}---\n${hpa('leave', 4)}---\n${hpa('router', 3)}`;
    expect(wireK8sPatches('caps.yaml', caps, laundry, ['identity', 'leave'])).toBe(
      `# Caps.\n${hpa('identity', 3)}---\n${hpa('leave', 4)}---\n${hpa('laundry', 4)}---\n${hpa('router', 3)}`,
    );
    const few = `${hpa('router', 12)}---\n${hpa('identity', 12)}`;
    expect(wireK8sPatches('scaling.yaml', few, laundry, ['identity', 'leave'])).toBe(few);
    // Already there: nothing to add.
    const all = `${hpa('identity', 3)}---\n${hpa('leave', 3)}---\n${hpa('laundry', 3)}`;
    expect(wireK8sPatches('caps.yaml', all, laundry, ['identity', 'leave'])).toBe(all);
  });
});
