import { randomBytes } from 'node:crypto';
import { serveJwks, testTokens, testUser, type JwksServer, type TestTokens } from '@campus/testkit';
import { postGraphQL } from '../support/http';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

let tokens: TestTokens;
let jwks: JwksServer;
let subgraph: TestSubgraph;
let router: TestRouter;

beforeAll(async () => {
  tokens = await testTokens();
  jwks = await serveJwks(tokens.jwks);
  subgraph = await startTestSubgraph('test');
  router = await startTestRouter([subgraph], {
    AUTH_JWKS_URL: jwks.url,
    METRICS_OPERATION_NAMES: 'PartnerSync, Nightly',
  });
});

afterAll(async () => {
  await router?.close();
  await Promise.all([subgraph?.stop(), jwks?.stop()]);
});

/** The values the `operation` label of campus_requests_total has for GraphQL requests. */
async function graphqlOperationLabels(): Promise<Set<string>> {
  const text = await (await fetch(`${router.metricsUrl}/metrics`)).text();
  const labels = [...text.matchAll(/^campus_requests_total\{([^}]*)\}/gm)].map((m) => m[1] ?? '');
  return new Set(
    labels.filter((l) => l.includes('transport="graphql"')).map((l) => /operation="([^"]*)"/.exec(l)?.[1] ?? ''),
  );
}

describe('operation labels', () => {
  it('creates no label value for 50 client-chosen operation names', async () => {
    const token = await tokens.tokenFor(testUser({ id: 'user-1', roles: ['educator'] }));
    const ask = (name: string) =>
      postGraphQL(
        `${router.url}/graphql`,
        { query: `query ${name} { hello }`, operationName: name },
        { authorization: `Bearer ${token}` },
      );
    expect((await ask('Warmup')).status).toBe(200); // "other" exists from here on
    const before = await graphqlOperationLabels();
    for (let i = 0; i < 50; i++) expect((await ask(`Op_${randomBytes(6).toString('hex')}`)).status).toBe(200);
    expect(await graphqlOperationLabels()).toEqual(before);
    expect(before).toEqual(new Set(['other']));
  });

  it('labels the playground’s operations and the allow-list by name', async () => {
    const token = await tokens.tokenFor(testUser({ id: 'user-1', roles: ['educator'] }));
    for (const name of ['Me', 'PartnerSync'])
      await postGraphQL(
        `${router.url}/graphql`,
        { query: `query ${name} { hello }`, operationName: name },
        { authorization: `Bearer ${token}` },
      );
    expect(await graphqlOperationLabels()).toEqual(new Set(['other', 'Me', 'PartnerSync']));
  });
});

describe('ports', () => {
  it('serves /metrics on the internal port only', async () => {
    const publicAnswer = await fetch(`${router.url}/metrics`);
    expect(publicAnswer.status).toBe(404);
    expect(await publicAnswer.json()).toMatchObject({ error_code: 'NOT_FOUND' });
    const internal = await fetch(`${router.metricsUrl}/metrics`);
    expect(internal.status).toBe(200);
    expect(await internal.text()).toContain('campus_requests_total');
    expect(router.metricsPort).not.toBe(router.port);
  });

  it('answers readiness on the public port with the status only, the details on the internal one', async () => {
    const publicAnswer = await fetch(`${router.url}/health/readiness`);
    expect(publicAnswer.status).toBe(200);
    expect(await publicAnswer.json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${router.metricsUrl}/health/readiness`)).json()).toMatchObject({
      checks: { 'subgraph:test': 'up' },
    });
  });
});
