// The load generator of `npm run bench`: closed-loop workers, each signed in as its own user (or
// an open-loop timetable taking those users in turn, for latency at a given load), run one scenario
// against several targets (gateways, or the same subgraph calls made directly) interleaved — a
// warm-up each, then rounds in a balanced order (each target once in every position and after every
// other target), one per target by default, on a machine whose load drifts; each slice starts once
// the stack is quiet. Reports req/s, p50/p90/p99, errors (non-200 or a GraphQL `errors` array) and
// the target's CPU per request.
import { Pool } from 'undici';
import { processTreesCpuMs, type CpuGroup } from './cpu';
import { addDifference, perOperation, type OperationTime, type OperationTimes } from './operation-times';

export interface Call {
  query: string;
  variables?: Record<string, unknown>;
  /** The signed-in user's access token: each worker has its own user. */
  token: string;
}

export interface Outcome {
  ok: boolean;
  /** The first error's code (or message, or HTTP status) when not ok. */
  error?: string;
  /** The answer's data: a gateway's, or what a direct procedure builds (a join plan merges its entities into it). */
  data?: unknown;
}

export interface Scenario {
  name: string;
  /** The query every call sends, where it is one. */
  query?: string;
  concurrency: number;
  /** Worker `worker`'s `n`-th call; undefined when its supply (e.g. pending applications) is used up. */
  request(worker: number, n: number): Call | undefined;
  /** The same work done by calling the subgraphs directly, as the query plan does, when known. */
  direct?(call: Call): Promise<Outcome>;
  /** What issue 13 asks of this scenario besides the router-against-gateways ratios. */
  goals?: ScenarioGoals;
}

export interface ScenarioGoals {
  /** A query joining two subgraphs: its p99 through the router within 1.3× that of the direct calls. */
  join?: boolean;
  /** The router's p95 at most this many ms (the 2,000-student scenarios). */
  p95Ms?: number;
}

export interface Target {
  name: string;
  send(call: Call, scenario: Scenario): Promise<Outcome>;
  /** The process (with its children) whose CPU time is counted, when it is the target's own. */
  pid?: number;
  /** Runs only the queries joining two subgraphs (the plain Node hop knows only their plans). */
  joinsOnly?: boolean;
}

export interface TargetResult {
  requests: number;
  rps: number;
  p50_ms: number;
  p90_ms: number;
  p95_ms: number;
  p99_ms: number;
  errors: number;
  /** CPU milliseconds of the target's processes (the gateway) per request; absent for direct calls. */
  cpu_ms_per_req?: number;
  /** CPU milliseconds per request of every subgraph process, and of PostgreSQL, meanwhile. */
  subgraphs_cpu_ms?: number;
  /** The two subgraphs that used the most CPU per request, e.g. "leave 6.1, notification 3.9". */
  busiest?: string;
  /** Every subgraph's CPU milliseconds per request (the JSON report; the table shows `busiest`). */
  by_subgraph_cpu_ms?: Record<string, number>;
  postgres_cpu_ms?: number;
  /** RabbitMQ's CPU milliseconds per request meanwhile (the machine's broker). */
  broker_cpu_ms?: number;
  /** The load generator's CPU milliseconds per request (it runs on the same cores). */
  client_cpu_ms?: number;
  /** Each subgraph operation the slices ran ("<service> <operation>"): its time and its SQL's, per call. */
  operations?: Record<string, OperationTime>;
  firstError?: string;
}

interface GraphQLBody {
  data?: unknown;
  errors?: Array<{ message?: string; extensions?: { code?: string } }>;
}

/**
 * Keep-alive connection pools per origin for the load generator. It shares the machine's cores with
 * everything it measures, so it must be cheap: Node's fetch (WHATWG streams, Headers, a Response
 * per call) cost ~3.6 ms of CPU per request here, as much as a gateway hop; undici's request API
 * on a pool costs a fraction of that, and every target gains the same cores back.
 */
const pools = new Map<string, { pool: Pool; path: string }>();

function endpoint(url: string): { pool: Pool; path: string } {
  let known = pools.get(url);
  if (!known) {
    const parsed = new URL(url);
    known = { pool: new Pool(parsed.origin, { connections: 256 }), path: parsed.pathname + parsed.search };
    pools.set(url, known);
  }
  return known;
}

/** Closes the load generator's connections (at the end of the bench). */
export async function closeClientPools(): Promise<void> {
  await Promise.all([...pools.values()].map(({ pool }) => pool.close()));
  pools.clear();
}

/** POSTs a call to a GraphQL endpoint; ok only for HTTP 200 without an `errors` array. */
export async function postGraphQL(url: string, call: Call): Promise<Outcome & { body?: GraphQLBody }> {
  const { pool, path } = endpoint(url);
  const res = await pool.request({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${call.token}` },
    body: JSON.stringify({ query: call.query, variables: call.variables ?? {} }),
  });
  const text = await res.body.text();
  let body: GraphQLBody | undefined;
  try {
    body = JSON.parse(text) as GraphQLBody;
  } catch {
    body = undefined;
  }
  if (res.statusCode === 200 && body && !body.errors?.length) return { ok: true, body, data: body.data };
  const first = body?.errors?.[0];
  return {
    ok: false,
    error: first?.extensions?.code ?? first?.message ?? `HTTP ${res.statusCode}`,
    ...(body ? { body } : {}),
  };
}

export const gatewayTarget = (name: string, graphqlUrl: string, pid?: number): Target => ({
  name,
  send: (call) => postGraphQL(graphqlUrl, call),
  ...(pid ? { pid } : {}),
});

/** Calls the scenario's own direct procedure (the subgraph calls a query plan would make). */
export const directTarget: Target = {
  name: 'subgraphs directly',
  send: (call, scenario) => scenario.direct!(call),
};

interface Slice {
  latencies: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
  cpuMs: number;
  groupCpuMs: number[];
  /** The load generator's own CPU (this process): it shares the machine with what it measures. */
  clientCpuMs: number;
}

/**
 * Drives one slice of `target` and counts the CPU every process group spent meanwhile. `drive`
 * sends the calls and records each one's latency and outcome in the slice.
 */
async function measureSlice(
  target: Target,
  groups: readonly CpuGroup[],
  drive: (record: (latencyMs: number, outcome: Outcome) => void) => Promise<void>,
): Promise<Slice> {
  const slice: Slice = { latencies: [], errors: 0, elapsedMs: 0, cpuMs: 0, groupCpuMs: [], clientCpuMs: 0 };
  const clientBefore = process.cpuUsage();
  const cpuBefore = target.pid ? processTreesCpuMs([target.pid]) : 0;
  const groupsBefore = groups.map((g) => processTreesCpuMs(g.pids()));
  const started = performance.now();
  await drive((latencyMs, outcome) => {
    slice.latencies.push(latencyMs);
    if (!outcome.ok) {
      slice.errors++;
      slice.firstError ??= outcome.error;
    }
  });
  slice.elapsedMs = performance.now() - started;
  slice.cpuMs = target.pid ? processTreesCpuMs([target.pid]) - cpuBefore : 0;
  slice.groupCpuMs = groups.map((g, i) => processTreesCpuMs(g.pids()) - groupsBefore[i]!);
  const client = process.cpuUsage(clientBefore);
  slice.clientCpuMs = (client.user + client.system) / 1000;
  return slice;
}

const send = (target: Target, call: Call, scenario: Scenario): Promise<Outcome> =>
  target.send(call, scenario).catch((error: unknown) => ({
    ok: false,
    error: error instanceof Error ? error.message : String(error),
  }));

/** Closed loop: each of the scenario's workers sends its next call as soon as the last one answered. */
function runSlice(target: Target, scenario: Scenario, seconds: number, groups: readonly CpuGroup[]): Promise<Slice> {
  return measureSlice(target, groups, async (record) => {
    const end = Date.now() + seconds * 1000;
    const worker = async (w: number) => {
      for (let n = 0; Date.now() < end; n++) {
        const call = scenario.request(w, n);
        if (!call) return;
        const t0 = performance.now();
        const outcome = await send(target, call, scenario);
        record(performance.now() - t0, outcome);
      }
    };
    await Promise.all(Array.from({ length: scenario.concurrency }, (_, w) => worker(w)));
  });
}

/**
 * Open loop: calls start on a fixed timetable, `rate` per second, whatever the answers do, taking
 * the scenario's users in turn. A call's latency counts from when it was due, not when it went
 * out, so a target that falls behind pays for the calls queued behind it (no coordinated omission).
 */
function runSliceAtRate(
  target: Target,
  scenario: Scenario,
  seconds: number,
  rate: number,
  groups: readonly CpuGroup[],
): Promise<Slice> {
  return measureSlice(target, groups, async (record) => {
    const calls = Math.max(1, Math.round(rate * seconds));
    const gapMs = 1000 / rate;
    const started = performance.now();
    const answers: Array<Promise<void>> = [];
    for (let i = 0; i < calls; i++) {
      const due = started + i * gapMs;
      const wait = due - performance.now();
      // timers fire at best each millisecond: calls due sooner go out at once
      if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const call = scenario.request(i % scenario.concurrency, Math.floor(i / scenario.concurrency));
      if (!call) break;
      answers.push(send(target, call, scenario).then((outcome) => record(performance.now() - due, outcome)));
    }
    await Promise.all(answers);
  });
}

/**
 * Round `round` of a balanced Latin square (Williams design): over as many rounds as targets, each
 * target runs once in every position and, for an even number of targets, right after every other
 * target once. A plain rotation (A B C D, B C D A, …) put the router after the direct calls in
 * nearly every round, so the router's slices of a write scenario paid for the event consumers
 * still working off the direct slice's burst (`submitLeaveApplication`: PostgreSQL 2.65 ms per
 * request in the router's slices against 2.12–2.25 in the others', 2026-12-03 14:01).
 */
export function balancedOrder<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  // 0, 1, n−1, 2, n−2, …: consecutive differences cover every non-zero step once
  const first = Array.from({ length: n }, (_, i) => (i % 2 === 1 ? (i + 1) / 2 : (n - i / 2) % n));
  return first.map((k) => items[(k + round) % n]!);
}

/**
 * Waits (up to `maxMs`) until the stack's processes are quiet: under `busyShare` of one core over a
 * 200 ms window. Reads settle in one window; after a burst of writes the outbox relays and consumers
 * get to finish before the next target is measured.
 */
async function settle(groups: readonly CpuGroup[], maxMs = 5_000, busyShare = 0.15): Promise<void> {
  if (!groups.length) return;
  const windowMs = 200;
  const cpuMs = () => groups.reduce((sum, g) => sum + processTreesCpuMs(g.pids()), 0);
  const deadline = Date.now() + maxMs;
  for (;;) {
    const before = cpuMs();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    if (cpuMs() - before < busyShare * windowMs || Date.now() >= deadline) return;
  }
}

const percentile = (sorted: number[], q: number): number =>
  sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1)) : 0;

export interface CompareOptions {
  /** Measured seconds per target, split over the rounds. */
  seconds: number;
  /** Unset: as many rounds as targets. */
  rounds?: number;
  /** Unmeasured seconds per target before the first round (JIT, plan caches, connection pools). */
  warmupSeconds: number;
  /** Prints every slice (round, target, req/s, CPU per request of each process group) to stderr. */
  logSlices?: boolean;
  /** Each subgraph's processes, and PostgreSQL: their CPU per request is reported for every target. */
  services?: readonly CpuGroup[];
  postgres?: CpuGroup;
  broker?: CpuGroup;
  /** Calls per second on a fixed timetable (open loop) instead of the scenario's closed-loop workers. */
  rate?: number;
  /** The subgraphs' operation totals now (operation-times.ts), read before and after every measured slice. */
  operationTimes?: () => Promise<OperationTimes>;
}

/** One line per measured slice: shows drift within a run (warm-up still going on, a busy neighbour). */
function logSlice(scenario: Scenario, target: Target, label: string, slice: Slice, groups: readonly CpuGroup[]): void {
  const requests = Math.max(1, slice.latencies.length);
  const perRequest = (ms: number) => (ms / requests).toFixed(2);
  const cpu = [
    ...(target.pid ? [`gateway ${perRequest(slice.cpuMs)}`] : []),
    ...groups.map((g, i) => `${g.name} ${perRequest(slice.groupCpuMs[i] ?? 0)}`),
  ];
  const rps = Math.round((slice.latencies.length * 1000) / Math.max(1, slice.elapsedMs));
  console.error(`slice ${scenario.name} · ${label} · ${target.name}: ${rps} req/s · CPU ms/req ${cpu.join(', ')}`);
}

/** Runs one scenario on every target, interleaved; results keyed by target name. */
export async function compareTargets(
  scenario: Scenario,
  targets: readonly Target[],
  options: CompareOptions,
): Promise<Record<string, TargetResult>> {
  const usable = targets.filter(
    (t) => (t !== directTarget || scenario.direct) && (!t.joinsOnly || (scenario.goals?.join && scenario.direct)),
  );
  const slices = new Map<Target, Slice[]>(usable.map((t) => [t, []]));
  const operations = new Map<Target, OperationTimes>(usable.map((t) => [t, new Map()]));
  const services = options.services ?? [];
  const infrastructure = [options.postgres, options.broker];
  const groups = [...services, ...infrastructure.filter((g): g is CpuGroup => !!g)];
  const { rate } = options;
  const drive = (target: Target, seconds: number) =>
    rate ? runSliceAtRate(target, scenario, seconds, rate, groups) : runSlice(target, scenario, seconds, groups);
  for (const target of usable) {
    if (options.warmupSeconds <= 0) break;
    const slice = await drive(target, options.warmupSeconds);
    if (options.logSlices) logSlice(scenario, target, 'warm-up', slice, groups);
  }
  const groupIndex = (g: CpuGroup | undefined) => (g ? groups.indexOf(g) : -1);
  const perRequest = (ms: number, requests: number) => Number((ms / Math.max(1, requests)).toFixed(2));
  // Default: one round per target, so each is measured once in every position of the order.
  const rounds = options.rounds ?? usable.length;
  for (let round = 0; round < rounds; round++) {
    for (const target of balancedOrder(usable, round)) {
      // What the previous slice set going (outbox relays, event consumers) is not this one's to pay.
      await settle(groups);
      const before = await options.operationTimes?.();
      const slice = await drive(target, options.seconds / rounds);
      if (before) addDifference(operations.get(target)!, before, await options.operationTimes!());
      if (options.logSlices) logSlice(scenario, target, `round ${round + 1}`, slice, groups);
      slices.get(target)!.push(slice);
    }
  }
  const results: Record<string, TargetResult> = {};
  for (const [target, parts] of slices) {
    const latencies = parts.flatMap((p) => p.latencies).sort((a, b) => a - b);
    const elapsedMs = parts.reduce((sum, p) => sum + p.elapsedMs, 0);
    const errors = parts.reduce((sum, p) => sum + p.errors, 0);
    const cpuMs = parts.reduce((sum, p) => sum + p.cpuMs, 0);
    const firstError = parts.find((p) => p.firstError)?.firstError;
    const groupMs = (i: number) => parts.reduce((sum, p) => sum + (p.groupCpuMs[i] ?? 0), 0);
    const byService = services.map((g, i) => ({ name: g.name, ms: groupMs(i) })).sort((a, b) => b.ms - a.ms);
    const subgraphsMs = byService.reduce((sum, s) => sum + s.ms, 0);
    results[target.name] = {
      requests: latencies.length,
      rps: Math.round((latencies.length * 1000) / Math.max(1, elapsedMs)),
      p50_ms: percentile(latencies, 0.5),
      p90_ms: percentile(latencies, 0.9),
      p95_ms: percentile(latencies, 0.95),
      p99_ms: percentile(latencies, 0.99),
      errors,
      ...(target.pid && latencies.length ? { cpu_ms_per_req: perRequest(cpuMs, latencies.length) } : {}),
      ...(services.length
        ? {
            subgraphs_cpu_ms: perRequest(subgraphsMs, latencies.length),
            busiest: byService
              .slice(0, 2)
              .map((s) => `${s.name} ${perRequest(s.ms, latencies.length)}`)
              .join(', '),
            by_subgraph_cpu_ms: Object.fromEntries(
              byService.map((s) => [s.name, perRequest(s.ms, latencies.length)] as const),
            ),
          }
        : {}),
      ...(options.postgres
        ? { postgres_cpu_ms: perRequest(groupMs(groupIndex(options.postgres)), latencies.length) }
        : {}),
      ...(latencies.length
        ? {
            client_cpu_ms: perRequest(
              parts.reduce((sum, p) => sum + p.clientCpuMs, 0),
              latencies.length,
            ),
          }
        : {}),
      ...(options.broker ? { broker_cpu_ms: perRequest(groupMs(groupIndex(options.broker)), latencies.length) } : {}),
      ...(options.operationTimes ? { operations: perOperation(operations.get(target)!) } : {}),
      ...(firstError ? { firstError } : {}),
    };
  }
  return results;
}
