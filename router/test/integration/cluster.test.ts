// ROUTER_WORKERS: the compiled router as a real process with two workers behind one port — both
// serve, the primary sums their metrics and reports their readiness, a killed worker is replaced,
// and SIGTERM stops the whole cluster.
import fs from 'node:fs';
import { freePort, startProcess, type JwksServer, type ServiceProcess } from '@campus/testkit';
import { signedInEducator } from '../support/router';
import { writeSupergraph } from '../support/compose';
import { startTestSubgraph, testSubgraphTypeDefs, type TestSubgraph } from '../support/subgraph';

let subgraph: TestSubgraph;
let router: ServiceProcess;
let url: string;
let metricsUrl: string;
let jwks: JwksServer;
let token: string;

/** The primary's children: its workers. */
function workerPids(primary: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === primary;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function readiness(): Promise<{ status: string; workers: { ready: number; total: number } }> {
  const res = await fetch(`${metricsUrl}/health/readiness`);
  return (await res.json()) as { status: string; workers: { ready: number; total: number } };
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const hello = () =>
  fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ hello }' }),
  });

beforeAll(async () => {
  ({ jwks, token } = await signedInEducator());
  subgraph = await startTestSubgraph('test');
  const supergraph = writeSupergraph([{ name: 'test', url: subgraph.url, typeDefs: testSubgraphTypeDefs() }]);
  const port = await freePort();
  const metricsPort = await freePort();
  url = `http://127.0.0.1:${port}`;
  metricsUrl = `http://127.0.0.1:${metricsPort}`;
  router = await startProcess({
    name: 'router',
    script: 'router/dist/main.js',
    env: {
      BIND_HOST: '127.0.0.1',
      ROUTER_PORT: String(port),
      METRICS_PORT: String(metricsPort),
      SUPERGRAPH_PATH: supergraph,
      AUTH_JWKS_URL: jwks.url,
      ROUTER_WORKERS: '2',
      SHUTDOWN_GRACE_MS: '500',
      LOG_LEVEL: 'info',
    },
    readyUrl: `${url}/health/liveness`,
  });
  await eventually(async () => (await readiness()).workers.ready === 2, 'both workers ready');
}, 60_000);

afterAll(async () => {
  await router?.stop();
  await subgraph?.stop();
  await jwks?.stop();
});

test('both workers serve one port; the primary sums their metrics', async () => {
  const answers = await Promise.all(Array.from({ length: 40 }, () => hello().then((r) => r.json())));
  expect(answers.every((a) => (a as { data?: { hello?: string } }).data?.hello === 'world')).toBe(true);
  expect(workerPids(router.child.pid!)).toHaveLength(2);
  const metrics = await (await fetch(`${metricsUrl}/metrics`)).text();
  // campus_requests_total counts GraphQL operations in each worker; the primary's sum covers all 40
  const total = [...metrics.matchAll(/^campus_requests_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, m) => sum + Number(m[1]),
    0,
  );
  expect(total).toBeGreaterThanOrEqual(40);
  expect(await readiness()).toEqual({ status: 'ok', workers: { ready: 2, total: 2 } });
});

test('a worker that dies is replaced, and the port keeps answering meanwhile', async () => {
  const [victim] = workerPids(router.child.pid!);
  process.kill(victim!, 'SIGKILL');
  await eventually(async () => (await readiness()).workers.ready === 1, 'the primary to notice');
  expect((await hello()).status).toBe(200); // the other worker serves
  await eventually(async () => (await readiness()).workers.ready === 2, 'a replacement worker');
  const workers = workerPids(router.child.pid!);
  expect(workers).toHaveLength(2);
  expect(workers).not.toContain(victim);
  expect(router.logs.some((l) => l.msg === 'router worker died; restarting it')).toBe(true);
});

test('SIGTERM stops the primary and every worker', async () => {
  const workers = workerPids(router.child.pid!);
  const exited = new Promise<number | null>((resolve) => router.child.once('exit', (code) => resolve(code)));
  router.child.kill('SIGTERM');
  expect(await exited).toBe(0);
  for (const pid of workers) expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
});
