// Renders every overlay of deploy/k8s with `kubectl kustomize` and holds the objects against the
// service manifest (scripts/lib/services.ts) and the services' own config schemas: every present
// subgraph and the router have a Deployment (≥ 2 replicas, resources, probes on their real health
// paths), a Service with the manifest's ports, a PodDisruptionBudget and a CPU autoscaler; every
// variable their config requires in production is set, secrets only by reference; the Jobs migrate
// every database; NetworkPolicies open only the router to the outside. Without kubectl (Debian's
// `kubernetes-client`) the suite is skipped, and says so.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import {
  REPO_ROOT,
  ROUTER_PORT,
  grpcDependencyEnv,
  presentSubgraphs,
  routerServiceEnv,
  serviceSpec,
  type ServiceSpec,
} from '../../lib/services';
import { checkServiceEnv, routerConfig, subgraphConfig, type Env, type ServiceConfig } from '../../lib/service-env';

const K8S = path.join(REPO_ROOT, 'deploy', 'k8s');
const SECRET_EXAMPLES = path.join(K8S, 'secrets');

interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string; optional?: boolean };
    configMapKeyRef?: { name: string; key: string };
  };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface PodTemplate {
  metadata: { labels: Record<string, string> };
  spec: { containers: Container[] };
}
interface NetworkPolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}
interface NetworkPolicyRule {
  from?: NetworkPolicyPeer[];
  ports?: { port: string | number }[];
}

function kubectlAvailable(): { ok: true } | { ok: false; reason: string } {
  const probe = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (probe.error) return { ok: false, reason: `kubectl is not installed (apt-get install kubernetes-client)` };
  if (probe.status !== 0) return { ok: false, reason: `kubectl version --client failed: ${probe.stderr.trim()}` };
  return { ok: true };
}

function render(dir: string): K8sObject[] {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${result.stderr}`);
  return YAML.parseAllDocuments(result.stdout)
    .map((doc) => doc.toJSON() as K8sObject | null)
    .filter((o): o is K8sObject => !!o);
}

/** KEY=value lines of a deploy/k8s/secrets template: the stand-in values of a Secret's keys. */
function secretExample(name: string): Record<string, string> | undefined {
  const file = path.join(SECRET_EXAMPLES, `${name}.env.example`);
  if (!fs.existsSync(file)) return undefined;
  return Object.fromEntries(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** The health routes a process serves, read from the source that mounts them (`app.get('/health/…'`). */
function healthPaths(file: string): string[] {
  const source = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return [...source.matchAll(/app\.get\('(\/health\/[a-z]+)'/g)].map((m) => m[1]!);
}
const HEALTH = {
  subgraph: healthPaths('packages/platform/src/http.ts'),
  router: healthPaths('router/src/health.ts'),
};

const SECRET_LIKE = /SECRET|PASSWORD|TOKEN|_KEY\b|_KEYS_|DATABASE_URL|AMQP_URL|REDIS_URL/;

class Rendered {
  constructor(
    readonly where: string,
    readonly objects: K8sObject[],
  ) {}

  all(kind: string): K8sObject[] {
    return this.objects.filter((o) => o.kind === kind);
  }

  get(kind: string, name: string): K8sObject {
    const found = this.objects.find((o) => o.kind === kind && o.metadata.name === name);
    if (!found) throw new Error(`${this.where}: no ${kind} ${name}`);
    return found;
  }

  /** A ConfigMap by the name the manifests use (kustomize appends a content hash). */
  configMap(name: string): Record<string, string> {
    const found = this.all('ConfigMap').find((o) => o.metadata.name === name);
    if (!found) throw new Error(`${this.where}: no ConfigMap ${name}`);
    return found.data ?? {};
  }

  /**
   * The environment `container` starts with: literal values, ConfigMaps, and each secret reference
   * standing in with its deploy/k8s/secrets template value (an optional key missing there is unset).
   */
  environment(container: Container): { env: Env; problems: string[] } {
    const env: Env = {};
    const problems: string[] = [];
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef) Object.assign(env, this.configMap(source.configMapRef.name));
      if (source.secretRef)
        problems.push(`envFrom secretRef ${source.secretRef.name}: list the keys with secretKeyRef`);
    }
    for (const variable of container.env ?? []) {
      const secret = variable.valueFrom?.secretKeyRef;
      const configKey = variable.valueFrom?.configMapKeyRef;
      if (secret) {
        const example = secretExample(secret.name);
        const value = example?.[secret.key];
        if (value === undefined && !secret.optional)
          problems.push(`${variable.name}: key ${secret.key} of Secret ${secret.name} is not in deploy/k8s/secrets`);
        if (value !== undefined && value !== '') env[variable.name] = value;
      } else if (configKey) {
        env[variable.name] = this.configMap(configKey.name)[configKey.key];
      } else {
        env[variable.name] = variable.value ?? '';
      }
    }
    return { env, problems };
  }

  /** Variables given a value in plain sight (a literal or a ConfigMap) although they hold a secret. */
  inlinedSecrets(container: Container): string[] {
    const fromConfigMaps = (container.envFrom ?? []).flatMap((s) =>
      s.configMapRef ? Object.keys(this.configMap(s.configMapRef.name)) : [],
    );
    const literal = (container.env ?? []).filter((v) => !v.valueFrom?.secretKeyRef).map((v) => v.name);
    return [...fromConfigMaps, ...literal].filter((name) => SECRET_LIKE.test(name));
  }
}

const podTemplate = (o: K8sObject) => (o.spec as { template: PodTemplate }).template;
const mainContainer = (o: K8sObject): Container => {
  const container = podTemplate(o).spec.containers.find((c) => c.name === o.metadata.name);
  if (!container) throw new Error(`Deployment ${o.metadata.name} has no container of its name`);
  return container;
};

/** The processes the overlays must run: every present subgraph (derived, so new ones count) and the router. */
interface Process {
  name: string;
  tier: 'subgraph' | 'router';
  httpPort: number;
  grpcPort?: number;
  spec?: ServiceSpec;
}
const PROCESSES: Process[] = [
  ...presentSubgraphs().map((s) => ({
    name: s.name,
    tier: 'subgraph' as const,
    httpPort: s.httpPort,
    grpcPort: s.grpcPort,
    spec: s,
  })),
  { name: 'router', tier: 'router', httpPort: ROUTER_PORT },
];

const tool = kubectlAvailable();
const overlays = fs.readdirSync(path.join(K8S, 'overlays'));

if (!tool.ok) {
  // Never silently: the skipped test's title and the run's output say why.
  console.warn(`k8s manifests not checked: ${tool.reason}`);
  test.skip(`k8s manifests (skipped: ${tool.reason})`, () => undefined);
} else {
  const configs = new Map<string, ServiceConfig>();
  beforeAll(async () => {
    for (const p of PROCESSES) configs.set(p.name, p.spec ? await subgraphConfig(p.spec) : routerConfig());
  });

  it('has a dev and a prod overlay', () => {
    expect(overlays).toEqual(expect.arrayContaining(['dev', 'prod']));
  });

  describe.each(['base', ...overlays.map((o) => `overlays/${o}`)])('deploy/k8s/%s', (dir) => {
    let r: Rendered;
    beforeAll(() => {
      r = new Rendered(`deploy/k8s/${dir}`, render(path.join(K8S, dir)));
    });

    it('runs exactly the present subgraphs and the router, two replicas or more each', () => {
      const deployments = r.all('Deployment').map((d) => d.metadata.name);
      expect(deployments.sort()).toEqual(PROCESSES.map((p) => p.name).sort());
      const tooFew = r
        .all('Deployment')
        .filter((d) => ((d.spec as { replicas?: number }).replicas ?? 1) < 2)
        .map((d) => d.metadata.name);
      expect(tooFew).toEqual([]);
    });

    it.each(PROCESSES.map((p) => [p.name, p] as const))(
      '%s: ports, probes and resources of the Deployment and its Service',
      (_name, p) => {
        const deployment = r.get('Deployment', p.name);
        const container = mainContainer(deployment);
        const port = (name: string) => container.ports?.find((cp) => cp.name === name)?.containerPort;
        expect(port('http')).toBe(p.httpPort);
        if (p.grpcPort) expect(port('grpc')).toBe(p.grpcPort);

        const service = r.get('Service', p.name).spec as {
          selector: Record<string, string>;
          ports: { name: string; port: number; targetPort: string | number }[];
        };
        expect(service.selector).toEqual({ 'app.kubernetes.io/name': p.name });
        expect(podTemplate(deployment).metadata.labels).toMatchObject({
          'app.kubernetes.io/name': p.name,
          'campus.sirius/tier': p.tier,
        });
        expect(service.ports).toEqual(
          expect.arrayContaining([
            { name: 'http', port: p.httpPort, targetPort: 'http' },
            ...(p.grpcPort ? [{ name: 'grpc', port: p.grpcPort, targetPort: 'grpc' }] : []),
          ]),
        );

        const paths = HEALTH[p.tier];
        for (const [probe, kind] of [
          [container.readinessProbe, 'readiness'],
          [container.livenessProbe, 'liveness'],
        ] as const) {
          expect(probe?.httpGet?.path).toMatch(new RegExp(kind));
          expect(paths).toContain(probe?.httpGet?.path);
          // The probe's port is the listener serving those paths (HTTP_PORT), by name or number.
          const probePort = probe?.httpGet?.port;
          expect(typeof probePort === 'number' ? probePort : port(String(probePort))).toBe(p.httpPort);
        }
        expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(container.resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      },
    );

    it.each(PROCESSES.map((p) => [p.name] as const))(
      '%s: a PodDisruptionBudget and a CPU autoscaler of at least two',
      (name) => {
        const pdb = r.get('PodDisruptionBudget', name).spec as {
          minAvailable?: number;
          selector: { matchLabels: Record<string, string> };
        };
        expect(pdb.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
        expect(pdb.minAvailable).toBeGreaterThanOrEqual(1);
        const hpa = r.get('HorizontalPodAutoscaler', name).spec as {
          scaleTargetRef: { kind: string; name: string };
          minReplicas: number;
          maxReplicas: number;
          metrics: { type: string; resource?: { name: string } }[];
        };
        expect(hpa.scaleTargetRef).toMatchObject({ kind: 'Deployment', name });
        expect(hpa.minReplicas).toBeGreaterThanOrEqual(2);
        expect(hpa.maxReplicas).toBeGreaterThan(hpa.minReplicas);
        expect(hpa.metrics).toContainEqual(
          expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) }),
        );
      },
    );

    it.each(PROCESSES.map((p) => [p.name, p] as const))(
      '%s: every variable its config requires in production is set, secrets by reference only',
      (_name, p) => {
        const container = mainContainer(r.get('Deployment', p.name));
        const { env, problems } = r.environment(container);
        expect(problems).toEqual([]);
        expect(r.inlinedSecrets(container)).toEqual([]);
        expect(checkServiceEnv(p.name, configs.get(p.name)!, env, r.where)).toEqual([]);

        // The addresses and ports of the manifest (what compose and `npm start` use too).
        if (p.spec) {
          expect(env).toMatchObject({ HTTP_PORT: String(p.httpPort), GRPC_PORT: String(p.grpcPort) });
          const present = new Set(presentSubgraphs().map((s) => s.name));
          const expected = grpcDependencyEnv(p.spec, (dep) =>
            present.has(dep) ? `${dep}:${serviceSpec(dep).grpcPort}` : undefined,
          );
          expect(env).toMatchObject(expected);
        } else {
          expect(env).toMatchObject({
            HTTP_PORT: String(ROUTER_PORT),
            ...routerServiceEnv(presentSubgraphs(), (name) => `http://${name}:${serviceSpec(name).httpPort}`),
          });
        }
      },
    );

    it('holds no Secret: secrets are created apart and referenced', () => {
      expect(r.all('Secret').map((s) => s.metadata.name)).toEqual([]);
    });

    it('references exactly the Secrets deploy/k8s/secrets has a template of', () => {
      const referenced = new Set(
        [...r.all('Deployment'), ...r.all('Job')]
          .flatMap((o) => podTemplate(o).spec.containers)
          .flatMap((c) => (c.env ?? []).map((v) => v.valueFrom?.secretKeyRef?.name))
          .filter((name): name is string => name !== undefined),
      );
      const templates = fs
        .readdirSync(SECRET_EXAMPLES)
        .filter((f) => f.endsWith('.env.example'))
        .map((f) => f.replace(/\.env\.example$/, ''));
      expect(templates.sort()).toEqual([...referenced].sort());
    });

    it('migrates every present database and bootstraps identity', () => {
      const migrate = r.get('Job', 'campus-migrate');
      const container = (podTemplate(migrate).spec.containers[0] ?? {}) as Container;
      const env = Object.fromEntries((container.env ?? []).map((v) => [v.name, v]));
      const services = (env.SERVICES?.value ?? '').split(/\s+/).filter(Boolean);
      expect(services.sort()).toEqual(
        presentSubgraphs()
          .map((s) => s.name)
          .sort(),
      );
      for (const s of presentSubgraphs()) {
        expect(env[`${s.name.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`]?.valueFrom?.secretKeyRef).toEqual({
          name: `campus-${s.name}`,
          key: 'DATABASE_URL',
        });
      }
      const bootstrap = podTemplate(r.get('Job', 'campus-bootstrap')).spec.containers[0];
      expect(bootstrap?.env?.find((v) => v.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
        name: 'campus-identity',
        key: 'DATABASE_URL',
      });
    });

    it('lets only the router be reached from outside; subgraphs only from the router and each other', () => {
      const policies = r.all('NetworkPolicy').map((np) => ({
        name: np.metadata.name,
        ...(np.spec as {
          podSelector: { matchLabels?: Record<string, string> };
          policyTypes: string[];
          ingress?: NetworkPolicyRule[];
        }),
      }));
      // Everything is closed unless a policy opens it.
      const denyAll = policies.find((p) => Object.keys(p.podSelector).length === 0);
      expect(denyAll).toMatchObject({ policyTypes: ['Ingress'] });
      expect(denyAll?.ingress ?? []).toEqual([]);
      for (const policy of policies) {
        const tier = policy.podSelector.matchLabels?.['campus.sirius/tier'];
        for (const rule of policy.ingress ?? []) {
          const ports = (rule.ports ?? []).map((p) => p.port);
          if (!rule.from?.length) {
            // Open to anyone: only the router's public port.
            expect({ policy: policy.name, tier, ports }).toEqual({
              policy: policy.name,
              tier: 'router',
              ports: ['http'],
            });
            continue;
          }
          for (const peer of rule.from) {
            const fromTier = peer.podSelector?.matchLabels?.['campus.sirius/tier'];
            const fromMonitoring =
              peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring';
            if (fromMonitoring) {
              // Prometheus scrapes /metrics: the router's metrics port, the subgraphs' HTTP port; never gRPC.
              expect(ports).not.toContain('grpc');
            } else {
              expect({ policy: policy.name, peer: fromTier, namespace: peer.namespaceSelector }).toEqual({
                policy: policy.name,
                peer: expect.stringMatching(/^(router|subgraph)$/),
                namespace: undefined,
              });
            }
          }
        }
      }
      // Subgraph ports are opened to the router and the subgraphs.
      const internal = policies.filter((p) => p.podSelector.matchLabels?.['campus.sirius/tier'] === 'subgraph');
      const peers = internal.flatMap((p) =>
        (p.ingress ?? []).flatMap((rule) =>
          (rule.from ?? []).map((peer) => ({
            tier: peer.podSelector?.matchLabels?.['campus.sirius/tier'],
            ports: (rule.ports ?? []).map((port) => port.port),
          })),
        ),
      );
      expect(peers).toEqual(
        expect.arrayContaining([
          { tier: 'router', ports: ['http', 'grpc'] },
          { tier: 'subgraph', ports: ['http', 'grpc'] },
        ]),
      );
    });
  });
}
