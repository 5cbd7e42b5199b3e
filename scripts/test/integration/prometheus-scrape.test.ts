// A real Prometheus (Debian's `prometheus` package) scrapes a real stack (issue 14): the project's
// deploy/prometheus/prometheus.yml, rendered for the stack — same jobs, settings and rule files,
// each compose target (identity:4001, router:9400, …) rewritten to the process's 127.0.0.1 port and
// a 1 s scrape/evaluation interval. Through Prometheus's HTTP API: every target is up, the key
// series exist (requests and their latency, database pools, outbox, scheduler, check-out steps) and
// the alerting and recording rules of deploy/prometheus/rules are loaded and evaluate without error.
// Without the prometheus binary the suite is skipped, and says so. RabbitMQ's own exporter (job
// "rabbitmq") is kept only when it answers on 127.0.0.1:15692 (its plugin is off on a bare broker).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { eventually, freePort } from '@campus/testkit';
import { startStack, type Stack } from '../../../e2e/support/stack';
import { REPO_ROOT, presentSubgraphs, type ServiceName } from '../../lib/services';

jest.setTimeout(300_000);

const DIR = path.join(REPO_ROOT, 'deploy', 'prometheus');
const RABBITMQ_EXPORTER = '127.0.0.1:15692';
const SUBGRAPHS = presentSubgraphs().map((s) => s.name);

interface StaticConfig {
  targets: string[];
  labels?: Record<string, string>;
}
interface ScrapeConfig {
  job_name: string;
  static_configs?: StaticConfig[];
  [setting: string]: unknown;
}
interface PrometheusConfig {
  global?: Record<string, unknown>;
  rule_files?: string[];
  scrape_configs: ScrapeConfig[];
  [section: string]: unknown;
}
interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface Target {
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}
interface RuleGroup {
  name: string;
  file: string;
  lastEvaluation: string;
  rules: { name: string; type: 'alerting' | 'recording'; health: string; lastError?: string }[];
}

function prometheusMissing(): string | undefined {
  const version = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
  if (version.error) return 'prometheus is not installed (apt-get install prometheus)';
  if (version.status !== 0) return `prometheus --version failed: ${`${version.stdout}${version.stderr}`.trim()}`;
  return undefined;
}

/** Whether `url` answers 2xx within 2 s. */
async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

/**
 * prometheus.yml with every target moved to where this stack listens. `addressOf` maps a compose
 * target (host:port) to 127.0.0.1:<port> and a name for messages, or undefined to drop the job.
 */
function renderConfig(
  addressOf: (job: string, target: string) => { address: string; name: string } | undefined,
  interval: string,
): { config: PrometheusConfig; targets: Map<string, string>; dropped: string[] } {
  const config = YAML.parse(fs.readFileSync(path.join(DIR, 'prometheus.yml'), 'utf8')) as PrometheusConfig;
  const targets = new Map<string, string>(); // "job/address" → name
  const dropped: string[] = [];
  config.global = { ...config.global, scrape_interval: interval, evaluation_interval: interval };
  // Relative to prometheus.yml in the repository, not to the temporary copy.
  config.rule_files = (config.rule_files ?? []).map((file) => path.resolve(DIR, file));
  config.scrape_configs = config.scrape_configs.flatMap((job) => {
    const statics = (job.static_configs ?? []).map((group) => ({
      ...group,
      targets: group.targets.map((target) => {
        const found = addressOf(job.job_name, target);
        if (found) targets.set(`${job.job_name}/${found.address}`, found.name);
        return found?.address;
      }),
    }));
    if (statics.some((group) => group.targets.some((t) => t === undefined))) {
      dropped.push(job.job_name);
      for (const key of [...targets.keys()]) if (key.startsWith(`${job.job_name}/`)) targets.delete(key);
      return [];
    }
    return [{ ...job, static_configs: statics.map((g) => ({ ...g, targets: g.targets as string[] })) }];
  });
  return { config, targets, dropped };
}

/** The groups of deploy/prometheus/rules, as "<file>/<group>: <rule count>". */
function expectedRuleGroups(): string[] {
  const dir = path.join(DIR, 'rules');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((file) =>
      (
        YAML.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { groups: { name: string; rules: unknown[] }[] }
      ).groups.map((g) => `${file}/${g.name}: ${g.rules.length}`),
    )
    .sort();
}

const missing = prometheusMissing();

if (missing) {
  // Never silently: the skipped test's title and the run's output say why.
  console.warn(`Prometheus scrape test not run: ${missing}`);
  test.skip(`Prometheus scrapes a running stack (skipped: ${missing})`, () => undefined);
} else {
  describe('Prometheus scrapes a running stack with deploy/prometheus/prometheus.yml', () => {
    let stack: Stack | undefined;
    let prometheus: ChildProcess | undefined;
    const prometheusOutput: string[] = [];
    let apiUrl = '';
    let workDir = '';
    let targets = new Map<string, string>();
    let dropped: string[] = [];

    async function api<T>(endpoint: string, params: Record<string, string> = {}): Promise<T> {
      const url = new URL(`${apiUrl}/api/v1/${endpoint}`);
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      const res = await fetch(url);
      const body = (await res.json()) as { status: string; data: T; error?: string };
      if (body.status !== 'success') throw new Error(`GET ${url.pathname}${url.search}: ${body.error ?? res.status}`);
      return body.data;
    }
    const query = async (expr: string) => (await api<{ result: Sample[] }>('query', { query: expr })).result;

    /** The `service` label of every series `selector` matches, once each, sorted. */
    const servicesWith = async (selector: string) =>
      (await query(`count by (service) (${selector})`)).map((s) => s.metric.service ?? '(none)').sort();

    /** Waits (scrapes run every second) until `selector` has series for each of `services` (none: for any). */
    const seriesFor = (selector: string, services: readonly string[], timeoutMs = 30_000) =>
      eventually(
        () => servicesWith(selector),
        (found) => (services.length ? services.every((s) => found.includes(s)) : found.length > 0),
        timeoutMs,
        `${selector} for ${services.join(', ') || 'any service'}`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\nPrometheus output:\n${prometheusOutput.slice(-20).join('')}`);
      });

    beforeAll(async () => {
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'campus-prometheus-'));
      stack = await startStack({ services: SUBGRAPHS });
      const running = stack;
      const rabbitmqUp = await answers(`http://${RABBITMQ_EXPORTER}/metrics`);
      if (!rabbitmqUp)
        console.warn(`RabbitMQ's prometheus plugin does not answer on ${RABBITMQ_EXPORTER}: job "rabbitmq" left out`);

      const rendered = renderConfig((job, target) => {
        const host = target.split(':')[0]!;
        if (host === 'router') return { address: new URL(running.routerMetricsUrl).host, name: 'router' };
        if (host === 'rabbitmq') return rabbitmqUp ? { address: RABBITMQ_EXPORTER, name: 'rabbitmq' } : undefined;
        const port = running.ports[host as ServiceName]?.[0]?.http;
        if (!port) throw new Error(`prometheus.yml job ${job} scrapes ${target}, which this stack does not run`);
        return { address: `127.0.0.1:${port}`, name: host };
      }, '1s');
      targets = rendered.targets;
      dropped = rendered.dropped;
      const configFile = path.join(workDir, 'prometheus.yml');
      fs.writeFileSync(configFile, YAML.stringify(rendered.config));

      const port = await freePort();
      apiUrl = `http://127.0.0.1:${port}`;
      prometheus = spawn(
        'prometheus',
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${path.join(workDir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      prometheus.stdout!.on('data', (d: Buffer) => prometheusOutput.push(d.toString()));
      prometheus.stderr!.on('data', (d: Buffer) => prometheusOutput.push(d.toString()));
      const child = prometheus;
      await eventually(
        async () => {
          if (child.exitCode !== null)
            throw new Error(`prometheus exited (${child.exitCode}):\n${prometheusOutput.join('')}`);
          return answers(`${apiUrl}/-/ready`);
        },
        Boolean,
        60_000,
        'prometheus /-/ready',
      );
    }, 280_000);

    afterAll(async () => {
      const child = prometheus;
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await stack?.stop();
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    }, 60_000);

    it('scrapes every service (and the router) of prometheus.yml, and every one is up', async () => {
      expect([...targets.values()]).toEqual(expect.arrayContaining(['router', ...SUBGRAPHS]));
      const key = (s: Sample) => `${s.metric.job}/${s.metric.instance}`;
      // First a sample of `up` for every target, then (a scrape may time out on a busy machine) all at 1.
      await eventually(
        () => query('up'),
        (samples) => [...targets.keys()].every((t) => samples.some((s) => key(s) === t)),
        60_000,
        `a sample of up for each of ${[...targets.keys()].join(', ')}`,
      );
      const samples = await eventually(
        () => query('up'),
        (samples) => samples.every((s) => s.value[1] === '1'),
        30_000,
        'every target up',
      ).catch(() => query('up'));
      const down = samples.filter((s) => s.value[1] !== '1').map(key);
      if (down.length) {
        const { activeTargets } = await api<{ activeTargets: Target[] }>('targets');
        const why = activeTargets
          .filter((t) => down.includes(`${t.labels.job}/${t.labels.instance}`))
          .map((t) => `${targets.get(`${t.labels.job}/${t.labels.instance}`)} (${t.labels.instance}): ${t.lastError}`);
        expect(why).toEqual([]);
      }
      expect(samples.map(key).sort()).toEqual([...targets.keys()].sort());
      console.log(
        `prometheus scraped ${samples.length} targets, all up: ${[...targets.values()].join(', ')}` +
          (dropped.length ? ` (jobs left out: ${dropped.join(', ')})` : ''),
      );
    });

    it('has the request series of the operations just made through the router', async () => {
      const admin = await stack!.login('admin@sirius.local');
      for (let i = 0; i < 3; i++) {
        const res = await stack!.graphql<{ me: { id: string } }>('query Me { me { id } }', { token: admin });
        expect(res.errors).toBeUndefined();
      }
      // Login and `me` are identity's: the router and identity both count them.
      expect(await seriesFor('campus_requests_total', ['router', 'identity'])).toEqual(
        expect.arrayContaining(['router', 'identity']),
      );
      await seriesFor('campus_request_duration_seconds_bucket', ['router', 'identity']);
      // The recording rules evaluate on real samples (a rate needs two scrapes).
      await seriesFor('service:campus_requests:rate5m', ['router', 'identity']);
    });

    it('has the database pool, outbox and scheduler series', async () => {
      // Every subgraph has a database of its own and reports its pool.
      await seriesFor('campus_db_pool_connections', SUBGRAPHS);
      await seriesFor('campus_db_pool_max_connections', SUBGRAPHS);
      const outbox = await seriesFor('{__name__=~"campus_outbox_.*"}', []);
      const scheduler = await seriesFor('campus_scheduler_jobs', []);
      console.log(`outbox series from: ${outbox.join(', ')}; scheduler series from: ${scheduler.join(', ')}`);
    });

    (SUBGRAPHS.includes('checkout') ? it : it.skip)(
      'has the check-out step latencies once a student is checked out',
      async () => {
        const admin = await stack!.login('admin@sirius.local');
        const student = await stack!.login('student.adult@sirius.local');
        const me = await stack!.graphql<{ me: { id: string } }>('query Me { me { id } }', { token: student });
        const studentId = me.data!.me.id;
        const started = await stack!.graphql<{ checkOut: { id: string } }>(
          'mutation CheckOut($ids: [ID!]!, $reason: String!) { checkOut(userIds: $ids, reason: $reason) { id } }',
          { token: admin, variables: { ids: [studentId], reason: 'Prometheus scrape test' } },
        );
        expect(started.errors).toBeUndefined();
        await eventually(
          async () =>
            (
              await stack!.graphql<{ checkOutBatch: { endedAt: string | null } }>(
                'query Batch($id: ID!) { checkOutBatch(id: $id) { endedAt } }',
                { token: admin, variables: { id: started.data!.checkOut.id } },
              )
            ).data?.checkOutBatch.endedAt,
          Boolean,
          60_000,
          'the check-out to end',
        );
        await seriesFor('campus_checkout_step_duration_seconds_bucket', ['checkout']);
        await seriesFor('campus_checkout_sagas_ended_total', ['checkout']);
      },
    );

    it('loads the alerting and recording rules of deploy/prometheus/rules, and they evaluate', async () => {
      const groups = await eventually(
        async () => (await api<{ groups: RuleGroup[] }>('rules')).groups,
        (groups) => groups.length > 0 && groups.every((g) => !g.lastEvaluation.startsWith('0001-')),
        30_000,
        'every rule group evaluated once',
      );
      expect(groups.map((g) => `${path.basename(g.file)}/${g.name}: ${g.rules.length}`).sort()).toEqual(
        expectedRuleGroups(),
      );
      const failing = groups.flatMap((g) =>
        g.rules.filter((r) => r.health === 'err').map((r) => `${g.name}/${r.name}: ${r.lastError}`),
      );
      expect(failing).toEqual([]);
      const count = (type: string) => groups.flatMap((g) => g.rules).filter((r) => r.type === type).length;
      console.log(
        `rules loaded: ${groups.length} groups, ${count('alerting')} alerts, ${count('recording')} recording rules`,
      );
    });
  });
}
