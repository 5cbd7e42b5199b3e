// The Grafana dashboards (deploy/grafana/dashboards) and the Prometheus rules query only metrics that
// exist. How the exported names are derived, without starting anything:
// - campus_* metrics: a regex over the services' source (packages/platform/src, router/src,
//   subgraphs/*/src) for the places prom-client metrics are declared — `new Counter|Gauge|Histogram({
//   name: '…' })`, `metrics.gauge('…'` / `metrics.counter('…'` and the consumer's `sharedCounter(metrics,
//   '…'`; histograms also export _bucket, _sum and _count;
// - the default Node/process metrics: listed from a real platform `Metrics` registry;
// - the recording rules' outputs (deploy/prometheus/rules), Prometheus's own `up`;
// - RabbitMQ's exporter (job "rabbitmq" in prometheus.yml): its queue_coarse_metrics family, listed here.
// The regex is itself checked: it must find every metric a fresh `Metrics` registry declares.
// With promtool installed, every dashboard query is also parsed as PromQL (Grafana variables replaced).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { Metrics } from '@campus/platform';
import { REPO_ROOT } from '../../lib/services';

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';
interface Declared {
  name: string;
  type: MetricType;
  file: string;
}

const SOURCE_ROOTS = [
  'packages/platform/src',
  'router/src',
  ...fs.readdirSync(path.join(REPO_ROOT, 'subgraphs')).map((s) => `subgraphs/${s}/src`),
];

function sourceFiles(dir: string): string[] {
  const full = path.join(REPO_ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

const NAME = `'([a-zA-Z_:][a-zA-Z0-9_:]*)'`;
const DECLARATIONS: [RegExp, (m: RegExpMatchArray) => MetricType][] = [
  [
    new RegExp(`new (Counter|Gauge|Histogram|Summary)(?:<[^>]*>)?\\(\\s*\\{\\s*name:\\s*${NAME}`, 'g'),
    (m) => m[1]!.toLowerCase() as MetricType,
  ],
  [new RegExp(`\\.(gauge|counter)\\(\\s*${NAME}`, 'g'), (m) => m[1] as MetricType],
  [new RegExp(`sharedCounter\\(\\s*\\w+,\\s*${NAME}`, 'g'), () => 'counter'],
];

/** The metrics declared in the services' source. */
export function declaredMetrics(): Declared[] {
  return SOURCE_ROOTS.flatMap(sourceFiles).flatMap((file) => {
    const source = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
    return DECLARATIONS.flatMap(([pattern, typeOf]) =>
      [...source.matchAll(pattern)].map((m) => ({ name: m[m.length - 1]!, type: typeOf(m), file })),
    );
  });
}

/** The names a Prometheus query sees for a metric (histograms and summaries expose several series). */
function seriesNames(name: string, type: MetricType): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

/** RabbitMQ's prometheus plugin, family queue_coarse_metrics (the rabbitmq job of prometheus.yml). */
const RABBITMQ_METRICS = [
  'rabbitmq_detailed_queue_messages',
  'rabbitmq_detailed_queue_messages_ready',
  'rabbitmq_detailed_queue_messages_unacked',
  'rabbitmq_detailed_queue_process_reductions_total',
];

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/** The metric names a PromQL expression reads (strings, label matchers, groupings, ranges and functions removed). */
export function queriedMetrics(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\$\{?\w+\}?/g, '1m')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  return [...stripped.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((word) => !PROMQL_WORDS.has(word.toLowerCase()) && !/^\d/.test(word) && !/^\d+[smhdwy]$/.test(word));
}

const GRAFANA = path.join(REPO_ROOT, 'deploy', 'grafana');
const PROMETHEUS = path.join(REPO_ROOT, 'deploy', 'prometheus');

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; refId: string }[];
  panels?: Panel[];
  gridPos: { h: number; w: number; x: number; y: number };
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown }[] };
}

const dashboards = fs
  .readdirSync(path.join(GRAFANA, 'dashboards'))
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, text: fs.readFileSync(path.join(GRAFANA, 'dashboards', file), 'utf8') }));

const parsed = () => dashboards.map(({ file, text }) => ({ file, dashboard: JSON.parse(text) as Dashboard }));
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
const dashboardQueries = () =>
  parsed().flatMap(({ file, dashboard }) => [
    ...allPanels(dashboard.panels).flatMap((p) =>
      (p.targets ?? []).map((t) => ({ where: `${file}: ${p.title}`, expr: t.expr })),
    ),
    ...dashboard.templating.list.flatMap((v) => {
      const query = (v.query as { query?: string } | undefined)?.query;
      const inner = query && /label_values\(([^,)]+)/.exec(query)?.[1];
      return inner ? [{ where: `${file}: variable ${v.name}`, expr: inner }] : [];
    }),
  ]);

interface RulesFile {
  groups: { rules: { record?: string; alert?: string; expr: string }[] }[];
}
const ruleFiles = fs.readdirSync(path.join(PROMETHEUS, 'rules')).filter((f) => f.endsWith('.yml'));
const ruleList = () =>
  ruleFiles.flatMap((file) =>
    (YAML.parse(fs.readFileSync(path.join(PROMETHEUS, 'rules', file), 'utf8')) as RulesFile).groups.flatMap((g) =>
      g.rules.map((r) => ({ ...r, file })),
    ),
  );

function exportedNames(): Set<string> {
  const names = new Set<string>(['up']);
  for (const m of declaredMetrics()) for (const n of seriesNames(m.name, m.type)) names.add(n);
  const registry = new Metrics('probe').registry;
  for (const m of registry.getMetricsAsArray()) {
    for (const n of seriesNames(m.name, m.type as unknown as MetricType)) names.add(n);
  }
  for (const r of ruleList()) if (r.record) names.add(r.record);
  const scrape = YAML.parse(fs.readFileSync(path.join(PROMETHEUS, 'prometheus.yml'), 'utf8')) as {
    scrape_configs: { job_name: string }[];
  };
  if (scrape.scrape_configs.some((job) => job.job_name === 'rabbitmq')) RABBITMQ_METRICS.forEach((n) => names.add(n));
  return names;
}

describe('metric names declared in the source', () => {
  it('the declaration regex finds every metric of a fresh platform registry (campus_*) and more', () => {
    const declared = new Map(declaredMetrics().map((m) => [m.name, m.type]));
    const platform = new Metrics('probe').registry
      .getMetricsAsArray()
      .filter((m) => m.name.startsWith('campus_'))
      .map((m) => [m.name, String(m.type)]);
    expect(platform.length).toBeGreaterThan(0);
    for (const [name, type] of platform) expect([name, declared.get(name!)]).toEqual([name, type]);
    // Metrics of outbox, consumers, scheduler, pool and router, declared elsewhere.
    expect([...declared.keys()]).toEqual(
      expect.arrayContaining([
        'campus_outbox_oldest_unsent_age_seconds',
        'campus_consumer_parked_total',
        'campus_scheduler_jobs',
        'campus_db_pool_max_connections',
        'campus_router_subgraph_in_flight',
      ]),
    );
  });

  it('reads metric names out of PromQL', () => {
    expect(
      queriedMetrics(
        'sum by (service) (rate(campus_requests_total{outcome=~"INTERNAL_ERROR|x"}[$__rate_interval])) / ignoring(le) up{job="campus"} > 0.5 and on (service) service:x:rate5m offset 5m',
      ).sort(),
    ).toEqual(['campus_requests_total', 'service:x:rate5m', 'up']);
    expect(queriedMetrics('histogram_quantile(0.99, sum by (le) (rate(a_bucket[5m])))')).toEqual(['a_bucket']);
  });
});

describe('deploy/grafana', () => {
  it('has the overview and the messaging dashboard, valid JSON with unique uids', () => {
    const uids = parsed().map(({ dashboard }) => dashboard.uid);
    expect(uids.sort()).toEqual(['campus-messaging', 'campus-overview']);
    for (const { dashboard } of parsed()) {
      expect(dashboard.title).toMatch(/Campus Sirius/);
      const panels = allPanels(dashboard.panels);
      expect(new Set(panels.map((p) => (p as { id?: number }).id)).size).toBe(panels.length);
      for (const panel of panels.filter((p) => p.type !== 'row')) {
        expect({ title: panel.title, datasource: panel.datasource }).toEqual({
          title: panel.title,
          datasource: { type: 'prometheus', uid: '${datasource}' },
        });
        expect(panel.targets?.length).toBeGreaterThan(0);
        expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      }
    }
  });

  it('provisions a Prometheus data source and the dashboards folder compose mounts', () => {
    const datasources = YAML.parse(
      fs.readFileSync(path.join(GRAFANA, 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'),
    ) as { datasources: { type: string; url: string }[] };
    expect(datasources.datasources).toContainEqual(
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }),
    );
    const providers = YAML.parse(
      fs.readFileSync(path.join(GRAFANA, 'provisioning', 'dashboards', 'campus.yml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    const compose = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { volumes?: string[]; ports?: string[] }>;
    };
    const volumes = compose.services.grafana?.volumes ?? [];
    expect(volumes).toContain(`./deploy/grafana/dashboards:${providers.providers[0]!.options.path}:ro`);
    expect(volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
    // A dev tool: published on localhost only, never on every interface.
    for (const port of compose.services.grafana?.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:/);
  });

  it('queries, in dashboards and rules, only metrics the services (or RabbitMQ) export', () => {
    const exported = exportedNames();
    const queries = [
      ...dashboardQueries(),
      ...ruleList().map((r) => ({ where: `${r.file}: ${r.record ?? r.alert}`, expr: r.expr })),
    ];
    expect(queries.length).toBeGreaterThan(20);
    const unknown = queries.flatMap(({ where, expr }) =>
      queriedMetrics(expr)
        .filter((name) => !exported.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  const noPromtool = promtool.error ? 'promtool is not installed (apt-get install prometheus)' : undefined;
  if (noPromtool) {
    console.warn(`dashboard queries not parsed as PromQL: ${noPromtool}`);
    test.skip(`every dashboard query is valid PromQL (skipped: ${noPromtool})`, () => undefined);
  } else {
    it('every dashboard query is valid PromQL (promtool check rules over them)', () => {
      // Grafana's variables replaced by what they stand for at query time.
      const rules = dashboardQueries().map(({ expr }, i) => ({
        record: `dashboard:query_${i}`,
        expr: expr.replace(/\$__rate_interval/g, '5m').replace(/\$service/g, '.+'),
      }));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campus-dashboards-'));
      const file = path.join(dir, 'queries.yml');
      fs.writeFileSync(file, YAML.stringify({ groups: [{ name: 'dashboards', rules }] }));
      const result = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      fs.rmSync(dir, { recursive: true, force: true });
      expect(`${result.stdout}${result.stderr}`).toContain(`SUCCESS: ${rules.length} rules found`);
      expect(result.status).toBe(0);
    });
  }
});
