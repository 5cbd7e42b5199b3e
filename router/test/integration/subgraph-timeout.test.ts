import { serveJwks, testTokens, testUser, type JwksServer, type TestTokens } from '@campus/testkit';
import { postGraphQL } from '../support/http';
import { startTestRouter, type TestRouter } from '../support/router';
import { startSilentSubgraph, type TestSubgraph } from '../support/subgraph';

let tokens: TestTokens;
let jwks: JwksServer;
let silent: TestSubgraph;
const routers: TestRouter[] = [];

beforeAll(async () => {
  tokens = await testTokens();
  jwks = await serveJwks(tokens.jwks);
  silent = await startSilentSubgraph('slow');
});

afterAll(async () => {
  await Promise.all(routers.map((r) => r.close()));
  await Promise.all([silent?.stop(), jwks?.stop()]);
});

async function askHello(env: Record<string, string>) {
  const router = await startTestRouter([silent], { AUTH_JWKS_URL: jwks.url, SHUTDOWN_GRACE_MS: '100', ...env });
  routers.push(router);
  const token = await tokens.tokenFor(testUser({ id: 'user-1', roles: ['educator'] }));
  const started = Date.now();
  const res = await postGraphQL(`${router.url}/graphql`, { query: '{ hello }' }, { authorization: `Bearer ${token}` });
  return { res, ms: Date.now() - started };
}

it('answers UNAVAILABLE naming the subgraph when it does not answer within its own timeout', async () => {
  const { res, ms } = await askHello({ SUBGRAPH_TIMEOUT_MS: '60000', SUBGRAPH_SLOW_TIMEOUT_MS: '300' });
  expect(silent.requests).toBeGreaterThan(0);
  expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', details: { service: 'slow' } });
  expect(res.body.errors?.[0]?.message).toBe('The slow service is unavailable');
  expect(ms).toBeGreaterThanOrEqual(300);
  expect(ms).toBeLessThan(5_000);
});

it('applies SUBGRAPH_TIMEOUT_MS to every subgraph without an override', async () => {
  const { res, ms } = await askHello({ SUBGRAPH_TIMEOUT_MS: '300' });
  expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAVAILABLE', details: { service: 'slow' } });
  expect(ms).toBeLessThan(5_000);
});
