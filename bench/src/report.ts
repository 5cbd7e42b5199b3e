// The bench's report: one table per scenario with the ratios that matter (router ÷ Hive Gateway
// throughput and p99, router ÷ vanilla Apollo CPU per request, router ÷ direct p99), printed and
// written to bench/results/ (a Markdown table and the raw JSON).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioGoals, TargetResult } from './load';
import { mostOverSql } from './operation-times';
import { REPO_ROOT } from '../../scripts/lib/services';

export const ROUTER = 'router';
/** An earlier build of the router (BENCH_ROUTER_BEFORE), for a before/after in one run. */
export const ROUTER_BEFORE = 'router (before)';
export const HIVE = 'Hive Gateway';
export const VANILLA = 'vanilla Apollo Gateway';
export const DIRECT = 'subgraphs directly';
/**
 * The router and the direct calls again, at one and the same offered load (calls per second on a
 * timetable, below saturation): the latency the router adds, apart from the queue for the cores.
 */
export const ROUTER_AT_LOAD = 'router, equal load';
export const DIRECT_AT_LOAD = 'subgraphs directly, equal load';
/**
 * BENCH_GATEWAYS=…,hop: a plain Node server running the join queries' plans and nothing else
 * (bench/src/plain-hop.ts), the floor under any Node gateway's p99 over the direct calls.
 */
export const HOP = 'plain Node hop';
export const HOP_AT_LOAD = 'plain Node hop, equal load';

export type ScenarioResults = Record<string, TargetResult>;

const ratio = (a: number | undefined, b: number | undefined): string =>
  a !== undefined && b !== undefined && b > 0 ? (a / b).toFixed(2) : '';

/** The router's ratios against the others in one scenario. */
export function routerRatios(results: ScenarioResults): Record<string, string> {
  const router = results[ROUTER];
  if (!router) return {};
  return {
    'rps ÷ Hive': ratio(router.rps, results[HIVE]?.rps),
    'p99 ÷ Hive': ratio(router.p99_ms, results[HIVE]?.p99_ms),
    'CPU ÷ vanilla': ratio(router.cpu_ms_per_req, results[VANILLA]?.cpu_ms_per_req),
    'p99 ÷ direct': ratio(router.p99_ms, results[DIRECT]?.p99_ms),
    'p99 ÷ direct at equal load': ratio(results[ROUTER_AT_LOAD]?.p99_ms, results[DIRECT_AT_LOAD]?.p99_ms),
    'rps ÷ before': ratio(router.rps, results[ROUTER_BEFORE]?.rps),
    'CPU ÷ before': ratio(router.cpu_ms_per_req, results[ROUTER_BEFORE]?.cpu_ms_per_req),
    'plain Node hop p99 ÷ direct': ratio(results[HOP]?.p99_ms, results[DIRECT]?.p99_ms),
    'plain Node hop p99 ÷ direct at equal load': ratio(results[HOP_AT_LOAD]?.p99_ms, results[DIRECT_AT_LOAD]?.p99_ms),
  };
}

export function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
}

function markdownTable(name: string, results: ScenarioResults): string {
  const rows = Object.entries(results).map(
    ([target, r]) =>
      `| ${target} | ${r.rps} | ${r.p50_ms} | ${r.p90_ms} | ${r.p95_ms} | ${r.p99_ms} | ${r.errors}${r.firstError ? ` (${r.firstError})` : ''} | ${r.cpu_ms_per_req ?? '—'} | ${r.subgraphs_cpu_ms ?? '—'}${r.busiest ? ` (${r.busiest})` : ''} | ${r.postgres_cpu_ms ?? '—'} | ${r.broker_cpu_ms ?? '—'} | ${r.client_cpu_ms ?? '—'} |`,
  );
  const ratios = Object.entries(routerRatios(results))
    .filter(([, value]) => value)
    .map(([key, value]) => `${key} **${value}**`)
    .join(' · ');
  const overSql = subgraphsOverSql(results);
  const overSqlTime = operationsOverSqlTime(results);
  return [
    `### ${name}`,
    '',
    '| target | req/s | p50 ms | p90 ms | p95 ms | p99 ms | errors | gateway CPU ms/req | subgraphs CPU ms/req | PostgreSQL CPU ms/req | RabbitMQ CPU ms/req | load generator CPU ms/req |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    ...(ratios ? ['', `router: ${ratios}`] : []),
    ...(overSql !== undefined ? ['', `subgraphs' CPU ÷ PostgreSQL's: **${overSql.toFixed(2)}**`] : []),
    ...(overSqlTime ? ['', `subgraph operations, time ÷ their SQL's: ${overSqlTime}`] : []),
    '',
  ].join('\n');
}

/** The run whose subgraph operations are reported: the direct calls where there are some, else the router's. */
const subgraphRun = (results: ScenarioResults): TargetResult | undefined => results[DIRECT] ?? results[ROUTER];

/**
 * The subgraphs' CPU per request over PostgreSQL's (issue 13: no subgraph operation may spend more
 * than twice the time of its SQL). Read off the direct run where there is one, else off the router's
 * run (an operation joining two subgraphs has no direct row). PostgreSQL's CPU is the time its
 * statements took: the data is in memory, so a statement's time is CPU, not I/O waits.
 */
export function subgraphsOverSql(results: ScenarioResults): number | undefined {
  const run = subgraphRun(results);
  const sql = run?.postgres_cpu_ms;
  return run?.subgraphs_cpu_ms !== undefined && sql ? run.subgraphs_cpu_ms / sql : undefined;
}

/**
 * The same goal in time, as issue 13 words it: each subgraph operation's own time (from its
 * request's body read to its answer built, as the subgraph records it) over the time its SQL
 * statements took (each from its call to its rows; database-time.ts). The largest ratio of the
 * scenario's operations.
 */
export function operationsOverSql(results: ScenarioResults): number | undefined {
  return mostOverSql(subgraphRun(results)?.operations)?.ratio;
}

/**
 * Each of the scenario's subgraph operations: "identity Users 1.42 (0.81 ms, SQL 0.57 ms in 1
 * statements)"; with a join's equal-load run, that run's too (below saturation, less of either
 * time is the wait for a core).
 */
export function operationsOverSqlTime(results: ScenarioResults): string {
  const atLoad = operationTimesLine(results[DIRECT_AT_LOAD]);
  return [operationTimesLine(subgraphRun(results)), atLoad && `at equal load: ${atLoad}`].filter(Boolean).join(' · ');
}

function operationTimesLine(run: TargetResult | undefined): string {
  return Object.entries(run?.operations ?? {})
    .filter(([, op]) => op.sql_ms > 0)
    .map(
      ([key, op]) =>
        `${key} ${(op.ms / op.sql_ms).toFixed(2)} (${op.ms.toFixed(2)} ms, SQL ${op.sql_ms.toFixed(2)} ms in ${op.statements} statements${op.wait_ms >= 0.05 ? `, ${op.wait_ms.toFixed(2)} ms waiting for a connection` : ''})`,
    )
    .join('; ');
}

/** Geometric mean of the router's ratio over the scenarios that have both numbers. */
function geometricMean(values: number[]): number | undefined {
  if (!values.length) return undefined;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

/**
 * "k of n" scenarios that meet one goal, and the ones that miss it with their number (`value`
 * undefined: the goal does not apply to the scenario, or the run lacks a target it compares).
 */
function goalCount(
  all: Record<string, ScenarioResults>,
  value: (results: ScenarioResults, name: string) => number | undefined,
  met: (value: number, name: string) => boolean,
): string {
  const measured = Object.entries(all).flatMap(([name, results]) => {
    const v = value(results, name);
    return v === undefined || !Number.isFinite(v) ? [] : [{ name, v }];
  });
  if (!measured.length) return '';
  const missed = measured.filter(({ name, v }) => !met(v, name));
  const misses = missed.map(({ name, v }) => `${name.split(' (')[0]} ${Number(v.toFixed(2))}`).join('; ');
  return `${measured.length - missed.length} of ${measured.length}${misses ? ` (missed: ${misses})` : ''}`;
}

const over = (a: number | undefined, b: number | undefined): number | undefined =>
  a !== undefined && b ? a / b : undefined;

/** Issue 13's goals, each counted over the scenarios of this run it applies to. */
export function goals(
  all: Record<string, ScenarioResults>,
  scenarioGoals: Record<string, ScenarioGoals> = {},
): Record<string, string> {
  return {
    'goal: router rps ≥ 1.2× Hive': goalCount(
      all,
      (r) => over(r[ROUTER]?.rps, r[HIVE]?.rps),
      (v) => v >= 1.2,
    ),
    'goal: router p99 ≤ Hive': goalCount(
      all,
      (r) => over(r[ROUTER]?.p99_ms, r[HIVE]?.p99_ms),
      (v) => v <= 1,
    ),
    'goal: router CPU/req ≤ vanilla': goalCount(
      all,
      (r) => over(r[ROUTER]?.cpu_ms_per_req, r[VANILLA]?.cpu_ms_per_req),
      (v) => v <= 1,
    ),
    'goal: 2-subgraph queries, router p99 ≤ 1.3× direct': goalCount(
      all,
      (r, name) => (scenarioGoals[name]?.join ? over(r[ROUTER]?.p99_ms, r[DIRECT]?.p99_ms) : undefined),
      (v) => v <= 1.3,
    ),
    'goal: 2-subgraph queries at equal load, router p99 ≤ 1.3× direct': goalCount(
      all,
      (r, name) => (scenarioGoals[name]?.join ? over(r[ROUTER_AT_LOAD]?.p99_ms, r[DIRECT_AT_LOAD]?.p99_ms) : undefined),
      (v) => v <= 1.3,
    ),
    'goal: 2,000 students, router p95 (ms) within its bound': goalCount(
      all,
      (r, name) => (scenarioGoals[name]?.p95Ms !== undefined ? r[ROUTER]?.p95_ms : undefined),
      (v, name) => v <= scenarioGoals[name]!.p95Ms!,
    ),
    "goal: subgraphs spend ≤ 2× PostgreSQL's CPU": goalCount(all, subgraphsOverSql, (v) => v <= 2),
    'goal: each subgraph operation takes ≤ 2× its SQL statements’ time': goalCount(
      all,
      operationsOverSql,
      (v) => v <= 2,
    ),
    // not the router's goal: the same bound for the plain Node hop, the floor under any Node gateway
    'for comparison: 2-subgraph queries, plain Node hop p99 ≤ 1.3× direct': goalCount(
      all,
      (r) => over(r[HOP]?.p99_ms, r[DIRECT]?.p99_ms),
      (v) => v <= 1.3,
    ),
    'for comparison: the same at equal load': goalCount(
      all,
      (r) => over(r[HOP_AT_LOAD]?.p99_ms, r[DIRECT_AT_LOAD]?.p99_ms),
      (v) => v <= 1.3,
    ),
  };
}

export function summary(
  all: Record<string, ScenarioResults>,
  scenarioGoals: Record<string, ScenarioGoals> = {},
): Record<string, string> {
  const of = (pick: (r: ScenarioResults) => [number | undefined, number | undefined]) =>
    geometricMean(
      Object.values(all)
        .map(pick)
        .filter((pair): pair is [number, number] => pair[0] !== undefined && !!pair[1])
        .map(([a, b]) => a / b),
    )?.toFixed(2) ?? '';
  return {
    'router rps ÷ Hive (geo. mean)': of((r) => [r[ROUTER]?.rps, r[HIVE]?.rps]),
    'router p99 ÷ Hive (geo. mean)': of((r) => [r[ROUTER]?.p99_ms, r[HIVE]?.p99_ms]),
    'router CPU/req ÷ vanilla (geo. mean)': of((r) => [r[ROUTER]?.cpu_ms_per_req, r[VANILLA]?.cpu_ms_per_req]),
    'Hive CPU/req ÷ vanilla (geo. mean)': of((r) => [r[HIVE]?.cpu_ms_per_req, r[VANILLA]?.cpu_ms_per_req]),
    'router rps ÷ before (geo. mean)': of((r) => [r[ROUTER]?.rps, r[ROUTER_BEFORE]?.rps]),
    'router CPU/req ÷ before (geo. mean)': of((r) => [r[ROUTER]?.cpu_ms_per_req, r[ROUTER_BEFORE]?.cpu_ms_per_req]),
    ...goals(all, scenarioGoals),
  };
}

/** Writes bench/results/bench-<time>.{md,json} and returns the Markdown file's path. */
export function writeReport(
  title: string,
  settings: Record<string, unknown>,
  all: Record<string, ScenarioResults>,
  scenarioGoals: Record<string, ScenarioGoals> = {},
): string {
  const dir = path.join(REPO_ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const totals = summary(all, scenarioGoals);
  const markdown = [
    `## ${title}`,
    '',
    `Machine: ${machineLine()}. Settings: ${Object.entries(settings)
      .map(([k, v]) => `${k}=${v === undefined ? 'default' : typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ')}.`,
    '',
    ...Object.entries(totals)
      .filter(([, v]) => v)
      .map(([k, v]) => `- ${k}: **${v}**`),
    '',
    ...Object.entries(all).map(([name, results]) => markdownTable(name, results)),
  ].join('\n');
  const file = path.join(dir, `bench-${stamp}.md`);
  fs.writeFileSync(file, markdown);
  fs.writeFileSync(
    path.join(dir, `bench-${stamp}.json`),
    JSON.stringify({ title, settings, summary: totals, all }, null, 2),
  );
  return file;
}
