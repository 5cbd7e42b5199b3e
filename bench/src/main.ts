// `npm run bench`: the project's router side by side with Hive Gateway and a vanilla Apollo Gateway
// (same supergraph, same subgraphs) and with the same subgraph calls made directly, on a real stack
// (fresh databases, seeded demo campus, compiled services). Every worker signs in as a different
// user. Reports numbers (printed, and written to bench/results/); asserts nothing.
//   BENCH_SECONDS (default 9) measured seconds per target and scenario, split over BENCH_ROUNDS
//   (default: one per target) interleaved rounds after BENCH_WARMUP_SECONDS (default 3) of warm-up per
//   target; BENCH_SLICES=1 prints every slice's req/s and CPU per request (drift within a run);
//   BENCH_CONCURRENCY (default 16) readers; BENCH_WRITE_CONCURRENCY (default 16; issue 16's
//   submissions/s were set at 64) writers;
//   BENCH_GATEWAYS (default "router,hive,apollo"; "hop" adds the plain Node hop, bench/src/plain-hop.ts,
//   on the 2-subgraph queries); BENCH_WORKERS (default 1): processes of the router
//   (ROUTER_WORKERS) and of Hive Gateway (--fork);
//   BENCH_SERVICES (default: every subgraph present) builds and starts only those subgraphs;
//   BENCH_SCALE_STUDENTS=2000 adds the scale seed and its scenarios (patrol start, users page, one building's
//   tree); BENCH_ONLY=reads|writes|scale|checkout runs that part alone; BENCH_SCENARIOS=part,part only the scenarios
//   whose names contain one; BENCH_CHECKOUT_STUDENTS (default 300); BENCH_ROUTER_ENV='{"K":"v"}' extra router
//   settings; BENCH_SERVICE_ENV='{"K":"v"}' extra settings of every subgraph; BENCH_SHARED_TOKEN=1 gives every reader the same token (to show what deduplication does); BENCH_CPU_PROFILE=router[,leave,apollo,hive…] writes
//   V8 CPU profiles of those processes to bench/results/profiles (summarise with bench/src/cpu-profile.ts);
//   BENCH_PERF=router[,hop,leave…] samples those processes with Linux perf while they run on a core, for the whole
//   run, and prints where their CPU went (perf-record.ts; V8's profiler counts time descheduled too);
//   BENCH_ROUTER_BEFORE=<checkout> runs that build's router as one more target, with BENCH_ROUTER_BEFORE_ENV='{"K":"v"}'
//   on top of the stack router's settings (the same checkout with one setting changed prices that feature);
//   BENCH_NODE_ARGS='{"identity":["--max-semi-space-size=32"]}' Node options for those processes (router, apollo and
//   hive too), after the SERVICE_NODE_FLAGS every service runs with (a later V8 flag wins: prices a flag, run by run);
//   BENCH_EQUAL_LOAD_SHARE (default 0.5; 0 skips it): each 2-subgraph query runs once more through the router and
//   directly at this share of the router's closed-loop req/s, on a timetable (the latency the router adds below saturation).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, type ServiceName, type Stack } from '../../e2e/support/stack';
import { REPO_ROOT, presentSubgraphs } from '../../scripts/lib/services';
import { benchCheckOut } from './checkout';
import {
  startHiveGateway,
  startPlainHop,
  startRouterBuild,
  startVanillaApolloGateway,
  supergraphFor,
  type GatewayProcess,
} from './gateways';
import { brokerRoots, postgresRoots, type CpuGroup } from './cpu';
import { PerfRecordings, perfInstalled } from './perf-record';
import { scrapeOperationTimes, type OperationTimes } from './operation-times';
import {
  closeClientPools,
  compareTargets,
  directTarget,
  gatewayTarget,
  type Scenario,
  type ScenarioGoals,
  type Target,
} from './load';
import { readScenarios } from './reads';
import { scaleScenarios, seedScaleCampus } from './scale';
import {
  DIRECT,
  DIRECT_AT_LOAD,
  HIVE,
  HOP,
  HOP_AT_LOAD,
  ROUTER,
  ROUTER_AT_LOAD,
  ROUTER_BEFORE,
  VANILLA,
  operationsOverSqlTime,
  routerRatios,
  subgraphsOverSql,
  summary,
  writeReport,
  type ScenarioResults,
} from './report';
import {
  generateDutyRosters,
  loginAll,
  seedLeaveApplications,
  setUpCoworkings,
  staffEmails,
  studentEmails,
} from './setup';
import { decideScenario, markReadScenario, patrolMarkScenario, submitScenario } from './writes';

const settings = {
  seconds: Number(process.env.BENCH_SECONDS ?? 9),
  rounds: process.env.BENCH_ROUNDS ? Number(process.env.BENCH_ROUNDS) : undefined,
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 3),
  logSlices: process.env.BENCH_SLICES === '1',
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
  // Issue 13's goals are set at 16 clients; issue 16's submissions/s at 64 (BENCH_WRITE_CONCURRENCY=64),
  // where each write's time is mostly the queue for one of its subgraph's 10 connections.
  writeConcurrency: Number(process.env.BENCH_WRITE_CONCURRENCY ?? 16),
  gateways: (process.env.BENCH_GATEWAYS ?? 'router,hive,apollo').split(',').map((g) => g.trim()),
  workers: Number(process.env.BENCH_WORKERS ?? 1),
  scaleStudents: Number(process.env.BENCH_SCALE_STUDENTS ?? 0),
  equalLoadShare: Number(process.env.BENCH_EQUAL_LOAD_SHARE ?? 0.5),
  /** Extra router settings for an experiment, e.g. {"SUBGRAPH_DEDUPLICATE":"false"}. */
  routerEnv: JSON.parse(process.env.BENCH_ROUTER_ENV ?? '{}') as Record<string, string>,
  serviceEnv: JSON.parse(process.env.BENCH_SERVICE_ENV ?? '{}') as Record<string, string>,
  /** Every reader with the same token (how a gateway's in-flight deduplication flatters a benchmark). */
  sharedToken: process.env.BENCH_SHARED_TOKEN === '1',
  only: process.env.BENCH_ONLY ?? '',
  /** Runs only the scenarios whose name contains one of these (comma-separated), e.g. "me (,users". */
  scenarios: (process.env.BENCH_SCENARIOS ?? '').split(',').filter(Boolean),
  /** A checkout of an earlier commit, installed and built: its router runs as one more target. */
  routerBefore: process.env.BENCH_ROUTER_BEFORE ?? '',
  /** Settings of that other router on top of the stack router's, e.g. '{"OTEL_SDK_DISABLED":"true"}' to price a feature. */
  routerBeforeEnv: JSON.parse(process.env.BENCH_ROUTER_BEFORE_ENV ?? '{}') as Record<string, string>,
  nodeArgs: JSON.parse(process.env.BENCH_NODE_ARGS ?? '{}') as Record<string, string[]>,
  cpuProfile: (process.env.BENCH_CPU_PROFILE ?? '').split(',').filter(Boolean) as Array<
    ServiceName | 'router' | 'hive' | 'apollo' | 'hop'
  >,
  /** Processes sampled on a core by Linux perf for the whole run (perf-record.ts). */
  perf: (process.env.BENCH_PERF ?? '').split(',').filter(Boolean),
};

const chosen = (scenarios: Scenario[]): Scenario[] =>
  settings.scenarios.length
    ? scenarios.filter((s) => settings.scenarios.some((part) => s.name.includes(part)))
    : scenarios;

/** BENCH_SERVICES, or every subgraph present in this checkout. */
function benchServices(): ServiceName[] {
  const present = presentSubgraphs().map((s) => s.name as ServiceName);
  const chosen = process.env.BENCH_SERVICES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!chosen?.length) return present;
  const unknown = chosen.filter((s) => !present.includes(s as ServiceName));
  if (unknown.length) throw new Error(`BENCH_SERVICES: no such subgraph in this checkout: ${unknown.join(', ')}`);
  return chosen as ServiceName[];
}

function build(services: ServiceName[]): void {
  const filters = process.env.BENCH_SERVICES
    ? ['router', ...services].map((name) => `--filter=@campus/${name}`) // their dependencies are built too
    : [];
  const result = spawnSync(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--output-logs=errors-only', ...filters],
    { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
  );
  if (result.status !== 0) process.exit(1);
}

const PROFILES = path.join(REPO_ROOT, 'bench', 'results', 'profiles');

/** Node options that write a V8 CPU profile of `name` on exit, when BENCH_CPU_PROFILE names it. */
function cpuProfileFlags(name: string): string[] {
  if (!(settings.cpuProfile as string[]).includes(name)) return [];
  // Hive's --fork workers each write their own file: the default, unique names, in a folder of Hive's
  if (name === 'hive') return ['--cpu-prof', `--cpu-prof-dir=${path.join(PROFILES, 'hive')}`];
  return ['--cpu-prof', `--cpu-prof-dir=${PROFILES}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`];
}

const perfRecordings = new PerfRecordings(settings.perf, PROFILES);

/** The Node options of process `name`: its BENCH_NODE_ARGS, then a CPU profile's and perf's. */
const nodeArgsOf = (name: string): string[] => [
  ...(settings.nodeArgs[name] ?? []),
  ...cpuProfileFlags(name),
  ...perfRecordings.nodeFlags(name),
];

const subgraphUrl = (stack: Stack, name: string): string =>
  `http://127.0.0.1:${stack.ports[name as ServiceName]![0]!.http}/graphql`;
const subgraphUrls = (stack: Stack, services: ServiceName[]): Record<string, string> =>
  Object.fromEntries(services.map((s) => [s, subgraphUrl(stack, s)]));

/** The other gateways, on the repository's supergraph pointed at this stack's subgraphs; each joins `started` at once. */
async function startOtherGateways(stack: Stack, services: ServiceName[], started: GatewayProcess[]): Promise<void> {
  const sdl = supergraphFor(
    fs.readFileSync(path.join(REPO_ROOT, 'supergraph.graphql'), 'utf8'),
    subgraphUrls(stack, services),
  );
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'campus-bench-')), 'supergraph.graphql');
  fs.writeFileSync(file, sdl);
  if (settings.gateways.includes('hive')) {
    const hive = await startHiveGateway(file, settings.workers, nodeArgsOf('hive'));
    started.push(hive);
    perfRecordings.attach('hive', hive.pid);
  }
  if (settings.gateways.includes('apollo')) {
    const apollo = await startVanillaApolloGateway(file, nodeArgsOf('apollo'));
    started.push(apollo);
    perfRecordings.attach('apollo', apollo.pid);
  }
  if (settings.routerBefore) {
    const supergraph = path.join(REPO_ROOT, 'supergraph.graphql');
    started.push(
      await startRouterBuild(
        ROUTER_BEFORE,
        path.resolve(settings.routerBefore),
        { ...stack.routerEnv, ...settings.routerBeforeEnv },
        supergraph,
      ),
    );
  }
}

/** Each measured scenario's own goals (issue 13), for the summary. */
const scenarioGoals: Record<string, ScenarioGoals> = {};

/**
 * What every measured slice also reads: the CPU of the subgraph processes, PostgreSQL and RabbitMQ,
 * and the subgraphs' operation times.
 */
let measuredEachSlice: {
  services?: CpuGroup[];
  postgres?: CpuGroup;
  broker?: CpuGroup;
  operationTimes?: () => Promise<OperationTimes>;
} = {};

/** The plain Node hop is a floor only if it answers what the router answers: says so, per join query. */
async function compareAnswers(scenario: Scenario, targets: Target[]): Promise<void> {
  const hop = targets.find((t) => t.name === HOP);
  const router = targets.find((t) => t.name === ROUTER);
  const call = scenario.request(0, 0);
  if (!hop || !router || !scenario.goals?.join || !call) return;
  const [fromHop, fromRouter] = await Promise.all([hop.send(call, scenario), router.send(call, scenario)]);
  const same = fromHop.ok && JSON.stringify(fromHop.data) === JSON.stringify(fromRouter.data);
  console.log(`${scenario.name.split(' (')[0]}: the plain Node hop's answer ${same ? 'is' : 'is NOT'} the router's`);
}

async function run(
  title: string,
  scenarios: Scenario[],
  targets: Target[],
  all: Record<string, ScenarioResults>,
): Promise<void> {
  console.log(`\n# ${title}`);
  for (const scenario of chosen(scenarios)) {
    await compareAnswers(scenario, targets);
    const results = await compareTargets(scenario, targets, { ...settings, ...measuredEachSlice });
    const router = targets.find((t) => t.name === ROUTER);
    if (scenario.goals?.join && scenario.direct && router && settings.equalLoadShare > 0 && results[ROUTER]) {
      // At 16 closed-loop clients every target saturates the 2 cores, so its p99 is mostly the queue
      // for them; at one offered load below that, the two p99s differ by what the router adds.
      const rate = Math.max(1, Math.round(results[ROUTER].rps * settings.equalLoadShare));
      const hop = targets.filter((t) => t.name === HOP);
      const atLoad = await compareTargets(scenario, [router, ...hop, directTarget], {
        ...settings,
        ...measuredEachSlice,
        rate,
      });
      results[ROUTER_AT_LOAD] = atLoad[ROUTER]!;
      if (atLoad[HOP]) results[HOP_AT_LOAD] = atLoad[HOP];
      results[DIRECT_AT_LOAD] = atLoad[DIRECT]!;
    }
    all[scenario.name] = results;
    if (scenario.goals) scenarioGoals[scenario.name] = scenario.goals;
    console.log(`\n${scenario.name}`);
    // Every subgraph's share stays in the JSON report; the table names the two busiest.
    console.table(
      Object.fromEntries(Object.entries(results).map(([t, { by_subgraph_cpu_ms: _, operations: __, ...r }]) => [t, r])),
    );
    const ratios = Object.entries(routerRatios(results)).filter(([, v]) => v);
    if (ratios.length) console.log(`router: ${ratios.map(([k, v]) => `${k} ${v}`).join(' · ')}`);
    const overSql = subgraphsOverSql(results);
    if (overSql !== undefined) console.log(`subgraphs' CPU ÷ PostgreSQL's: ${overSql.toFixed(2)}`);
    const overSqlTime = operationsOverSqlTime(results);
    if (overSqlTime) console.log(`subgraph operations, time ÷ their SQL's: ${overSqlTime}`);
  }
}

async function main(): Promise<void> {
  if (settings.perf.length && !perfInstalled())
    throw new Error('BENCH_PERF needs Linux perf on the PATH (Debian: apt-get install linux-perf)');
  const services = benchServices();
  build(services);
  // what production requires of a subgraph beyond the stack's settings (secrets that have a
  // development fallback); these live and die with the bench's stack
  const asDeployed = {
    NODE_ENV: 'production',
    // The deployed default (config.ts), not the test stack's 5: with 5, the reads at 16 clients
    // spent most of their time beyond their SQL waiting for a connection (docs/performance.md).
    DB_POOL_SIZE: '10',
    FILE_URL_SECRET: randomBytes(32).toString('base64'),
    SIGNING_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  // Every service logs warnings only, as the router here (identity, leave and coworking did, the
  // others wrote their info line per operation): one setting for every subgraph a scenario calls.
  const quiet = { LOG_LEVEL: 'warn' };
  const benchSettings: Partial<Record<ServiceName, Record<string, string>>> = {
    // every bench student submits far more than a real one may have pending at once, spread over
    // up to a year ahead (setup's seeding, writes' 1–300 days) beyond a real leave's 90-day horizon
    leave: { LEAVE_MAX_PENDING_PER_STUDENT: '1000000', LEAVE_MAX_DAYS_AHEAD: '3650' },
  };
  const stack = await startStack({
    services,
    // BENCH_NODE_ARGS, BENCH_CPU_PROFILE (profiles are written when the stack stops)
    nodeArgs: Object.fromEntries([...services, 'router'].map((name) => [name, nodeArgsOf(name)])),
    env: {
      // the same process count as Hive Gateway's --fork (the vanilla gateway stays one process)
      // NODE_ENV=production like Hive Gateway and the vanilla gateway here (graphql-js drops its
      // development checks), and as the router runs in a deployment
      router: {
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        ROUTER_WORKERS: String(settings.workers),
        ...settings.routerEnv,
      },
      // the subgraphs as deployed (the Dockerfile's NODE_ENV=production): graphql-js without its
      // development checks, introspection closed
      ...Object.fromEntries(
        services.map((name) => [name, { ...asDeployed, ...quiet, ...benchSettings[name], ...settings.serviceEnv }]),
      ),
    },
  });
  const gateways: GatewayProcess[] = [];
  const all: Record<string, ScenarioResults> = {};
  perfRecordings.attach('router', stack.router.child.pid);
  for (const [name, processes] of Object.entries(stack.services))
    perfRecordings.attach(name, processes?.[0]?.child.pid);
  try {
    if (settings.only === 'checkout') {
      await benchCheckOut(stack);
      return;
    }
    await startOtherGateways(stack, services, gateways);
    const names: Record<string, string> = { 'Hive Gateway': HIVE, 'vanilla Apollo Gateway': VANILLA };
    const targets: Target[] = [
      ...(settings.gateways.includes('router')
        ? [gatewayTarget(ROUTER, stack.graphqlUrl, stack.router.child.pid)]
        : []),
      ...gateways.map((g) => gatewayTarget(names[g.name] ?? g.name, g.graphqlUrl, g.pid)),
      directTarget,
    ];
    const metricsUrls = Object.values(stack.ports).flatMap((ports) =>
      (ports ?? []).map((p) => `http://127.0.0.1:${p.http}/metrics`),
    );
    measuredEachSlice = {
      services: Object.entries(stack.services).map(([name, processes]) => ({
        name,
        pids: () => (processes ?? []).flatMap((p) => (p.child.pid ? [p.child.pid] : [])),
      })),
      postgres: { name: 'PostgreSQL', pids: postgresRoots },
      broker: { name: 'RabbitMQ', pids: brokerRoots },
      operationTimes: () => scrapeOperationTimes(metricsUrls),
    };
    console.log(`targets: ${targets.map((t) => t.name).join(', ')} (${DIRECT} where the bench knows the plan)`);

    const staffList = await staffEmails(stack, await stack.login('admin@sirius.local'), settings.concurrency);
    // Each part signs its users in anew: on a slow machine a part may start after the access tokens
    // of an earlier one expired (15 minutes).
    const staffTokens = () => loginAll(stack, settings.sharedToken ? staffList.slice(0, 1) : staffList);

    if (!['writes', 'scale'].includes(settings.only)) {
      const educator = await stack.login('educator@sirius.local');
      const staff = await staffTokens();
      const readers = await loginAll(stack, studentEmails(settings.sharedToken ? 1 : settings.concurrency));
      if (services.includes('leave')) await seedLeaveApplications(stack, readers, 3);
      const dutyMonth = services.includes('duty') ? await generateDutyRosters(stack, educator) : undefined;
      if (services.includes('coworking')) await setUpCoworkings(stack, educator);
      const scenarios = readScenarios({
        concurrency: settings.concurrency,
        staff,
        students: readers,
        subgraphUrl: (name) => subgraphUrl(stack, name),
        ...(dutyMonth ? { dutyMonth } : {}),
        coworkings: services.includes('coworking'),
        leave: services.includes('leave'),
        notification: services.includes('notification'),
      });
      // the hop knows the join queries' plans only, and the calendar's names the month just generated
      const readTargets = [...targets];
      if (settings.gateways.includes('hop')) {
        const hop = await startPlainHop(subgraphUrls(stack, services), dutyMonth, nodeArgsOf('hop'));
        gateways.push(hop);
        perfRecordings.attach('hop', hop.pid);
        readTargets.splice(-1, 0, { ...gatewayTarget(HOP, hop.graphqlUrl, hop.pid), joinsOnly: true });
      }
      await run(`reads: ${settings.concurrency} clients, each a different user`, scenarios, readTargets, all);
    }

    if (settings.scaleStudents > 0 && (!settings.only || settings.only === 'scale')) {
      console.log(await seedScaleCampus(stack, settings.scaleStudents));
      const scenarios = await scaleScenarios(stack, await staffTokens(), settings.concurrency);
      await run(
        `a ${settings.scaleStudents}-student campus: ${settings.concurrency} staff clients`,
        scenarios,
        targets,
        all,
      );
    }

    if (
      !['reads', 'scale'].includes(settings.only) &&
      services.includes('leave') &&
      services.includes('notification')
    ) {
      const admin = await stack.login('admin@sirius.local');
      const educators = (await staffTokens()).slice(0, 3);
      const writers = await loginAll(stack, studentEmails(settings.writeConcurrency));
      const title = `writes: up to ${settings.writeConcurrency} clients, each a different user`;
      await run(title, [submitScenario(stack, writers)], targets, all);
      // the decisions' supply is what the submissions left pending: read only after them
      const scenarios = [await decideScenario(stack, educators)];
      if (services.includes('patrol')) scenarios.push(await patrolMarkScenario(stack, admin, staffList.slice(0, 5)));
      scenarios.push(markReadScenario(stack, writers));
      await run(title, scenarios, targets, all);
    }

    // Last: it deactivates the students it imports.
    if (
      !settings.only &&
      ['checkout', 'coworking', 'leave', 'duty'].every((s) => services.includes(s as ServiceName))
    ) {
      await benchCheckOut(stack);
    }
  } finally {
    // whatever was measured is kept, even when a later part failed
    if (Object.keys(all).length) {
      console.log('\nsummary', summary(all, scenarioGoals));
      console.log(`report: ${path.relative(REPO_ROOT, writeReport('npm run bench', settings, all, scenarioGoals))}`);
    }
    await perfRecordings.stop();
    await closeClientPools();
    await Promise.all(gateways.map((g) => g.stop()));
    await stack.stop();
    if (settings.cpuProfile.length)
      console.log(
        `CPU profiles in ${path.relative(REPO_ROOT, PROFILES)}: npx tsx bench/src/cpu-profile.ts <file> (or open it in Chrome DevTools)`,
      );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
