import { serveJwks, testTokens, testUser, type JwksServer, type TestTokens } from '@campus/testkit';
import { LOGIN, postGraphQL } from '../support/http';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

// In-process, without the tracing preload: the router still names a trace on every answer and
// hands it to the subgraphs. trace-logs.test.ts checks it against the logs of a real process.

const TRACE_ID = /^[0-9a-f]{32}$/;

let tokens: TestTokens;
let jwks: JwksServer;
let subgraph: TestSubgraph;
let router: TestRouter;

beforeAll(async () => {
  tokens = await testTokens();
  jwks = await serveJwks(tokens.jwks);
  subgraph = await startTestSubgraph('test');
  router = await startTestRouter([subgraph], { AUTH_JWKS_URL: jwks.url });
});

afterAll(async () => {
  await router?.close();
  await Promise.all([subgraph?.stop(), jwks?.stop()]);
});

function traceOf(headers: Headers): string {
  const traceId = headers.get('x-trace-id') ?? '';
  expect(traceId).toMatch(TRACE_ID);
  expect(headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-[0-9a-f]{2}$`));
  return traceId;
}

it.each([
  ['a GraphQL answer', () => postGraphQL(`${router.url}/graphql`, LOGIN).then((r) => r.headers)],
  ['a plain 404', () => fetch(`${router.url}/nope`).then((r) => r.headers)],
  ['a health probe', () => fetch(`${router.url}/health/readiness`).then((r) => r.headers)],
  ['a playground page', () => fetch(`${router.url}/`, { headers: { accept: 'text/html' } }).then((r) => r.headers)],
])('names the trace on %s', async (_label, headersOf) => {
  traceOf(await headersOf());
});

it('gives each request a trace of its own', async () => {
  const [a, b] = await Promise.all([fetch(`${router.url}/nope`), fetch(`${router.url}/nope`)]);
  expect(traceOf(a!.headers)).not.toBe(traceOf(b!.headers));
});

it.each([
  ['refused at the edge (401)', { query: '{ me { id } }' }, false],
  ['invalid (400)', { query: '{ helo }' }, true],
  ['unknown operation (400)', { query: 'query A { hello }', operationName: 'B' }, true],
  ['a token refused before the context exists (401)', { query: '{ hello }' }, 'forged'],
] as const)('puts the trace id into every GraphQL error: %s', async (_label, body, auth) => {
  const headers: Record<string, string> = {};
  if (auth === true)
    headers.authorization = `Bearer ${await tokens.tokenFor(testUser({ id: 'user-1', roles: ['educator'] }))}`;
  if (auth === 'forged') headers.authorization = 'Bearer not-a-jwt';
  const res = await postGraphQL(`${router.url}/graphql`, body, headers);
  const traceId = traceOf(res.headers);
  expect(res.body.errors?.length).toBeGreaterThan(0);
  for (const error of res.body.errors ?? []) expect(error.extensions?.traceId).toBe(traceId);
});

it('continues the caller’s trace and carries it to the subgraphs', async () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const res = await postGraphQL(`${router.url}/graphql`, LOGIN, { traceparent });
  expect(traceOf(res.headers)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  expect(subgraph.lastHeaders.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
});

it('starts a trace of its own for a malformed traceparent, and carries that one', async () => {
  const res = await postGraphQL(`${router.url}/graphql`, LOGIN, { traceparent: '00-zzzz-1-01' });
  const traceId = traceOf(res.headers);
  expect(subgraph.lastHeaders.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
});
