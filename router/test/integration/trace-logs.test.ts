import {
  eventually,
  freePort,
  serveJwks,
  startProcess,
  testTokens,
  type JwksServer,
  type LogLine,
  type ServiceProcess,
} from '@campus/testkit';
import { writeSupergraph } from '../support/compose';
import { LOGIN, postGraphQL } from '../support/http';
import { startTestSubgraph, testSubgraphTypeDefs, type TestSubgraph } from '../support/subgraph';

// The router as it runs in production: its own process, tracing preloaded, JSON logs on stdout
// (from its sources, through tsx; @campus/platform from its build). The trace id a client is given
// must find the router's log lines of that request.

let jwks: JwksServer;
let subgraph: TestSubgraph;
let router: ServiceProcess;
let url: string;

beforeAll(async () => {
  jwks = await serveJwks((await testTokens()).jwks);
  subgraph = await startTestSubgraph('test');
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  router = await startProcess({
    name: 'router',
    script: 'router/src/main.ts',
    readyUrl: `${url}/health/liveness`,
    timeoutMs: 90_000, // tsx compiles the router's sources first; slow on a busy machine
    env: {
      NODE_OPTIONS: '--import tsx',
      BIND_HOST: '127.0.0.1',
      ROUTER_PORT: String(port),
      AUTH_JWKS_URL: jwks.url,
      SUPERGRAPH_PATH: writeSupergraph([{ name: 'test', url: subgraph.url, typeDefs: testSubgraphTypeDefs() }]),
    },
  });
});

afterAll(async () => {
  await router?.stop();
  await Promise.all([subgraph?.stop(), jwks?.stop()]);
});

const operationLogOf = (traceId: string): Promise<LogLine[]> =>
  eventually(
    () => router.logs.filter((line) => line.msg === 'graphql operation' && line.trace_id === traceId),
    (lines) => lines.length > 0,
    10_000,
    `the router's log line of trace ${traceId}`,
  );

it('gives the trace id its logs carry for the request, in the headers and in every GraphQL error', async () => {
  const res = await postGraphQL(`${url}/graphql`, { query: '{ me { id } }' });
  expect(res.status).toBe(401);
  const traceId = res.headers.get('x-trace-id') ?? '';
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(res.headers.get('traceparent')).toContain(`-${traceId}-`);
  expect(res.body.errors?.[0]?.extensions?.traceId).toBe(traceId);
  expect(await operationLogOf(traceId)).toEqual([expect.objectContaining({ outcome: 'UNAUTHENTICATED' })]);
});

it('continues the caller’s trace through the router to the subgraph', async () => {
  const traceId = '5bf92f3577b34da6a3ce929d0e0e4736';
  const res = await postGraphQL(`${url}/graphql`, LOGIN, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-trace-id')).toBe(traceId);
  expect(await operationLogOf(traceId)).toHaveLength(1);
  expect(subgraph.lastHeaders.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
});
