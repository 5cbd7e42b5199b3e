import { serveJwks, testTokens, testUser, type JwksServer, type TestTokens } from '@campus/testkit';
import { LOGIN, postGraphQL } from '../support/http';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

// Clients are told apart by address through a trusted proxy (X-Forwarded-For), as behind a load balancer.
const from = (ip: string) => ({ 'x-forwarded-for': ip });

let tokens: TestTokens;
let jwks: JwksServer;
let subgraph: TestSubgraph;
let router: TestRouter;
let endpoint: string;

beforeAll(async () => {
  tokens = await testTokens();
  jwks = await serveJwks(tokens.jwks);
  subgraph = await startTestSubgraph('test');
  router = await startTestRouter([subgraph], {
    AUTH_JWKS_URL: jwks.url,
    TRUST_PROXY: 'loopback',
    RATE_LIMIT_LOGIN_POINTS: '3',
    RATE_LIMIT_LOGIN_DURATION_SECONDS: '60',
    RATE_LIMIT_POINTS: '12',
    RATE_LIMIT_DURATION_SECONDS: '60',
  });
  endpoint = `${router.url}/graphql`;
});

afterAll(async () => {
  await router?.close();
  await Promise.all([subgraph?.stop(), jwks?.stop()]);
});

describe('sign-in attempts', () => {
  it('refuses the 4th login of a client with 429, Retry-After and RATE_LIMITED, without calling identity', async () => {
    for (let i = 0; i < 3; i++) {
      const ok = await postGraphQL(endpoint, LOGIN, from('203.0.113.1'));
      expect({ attempt: i + 1, status: ok.status, errors: ok.body.errors }).toEqual({
        attempt: i + 1,
        status: 200,
        errors: undefined,
      });
    }
    const before = subgraph.requests;
    const refused = await postGraphQL(endpoint, LOGIN, from('203.0.113.1'));
    expect(subgraph.requests).toBe(before);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      details: { limit: 'login', retryAfterSeconds: retryAfter },
    });
  });

  it('leaves another client unaffected', async () => {
    const other = await postGraphQL(endpoint, LOGIN, from('203.0.113.2'));
    expect(other.status).toBe(200);
    expect(other.body.errors).toBeUndefined();
  });

  it('counts the general limit separately: the refused client may still make other requests', async () => {
    const logout = await postGraphQL(
      endpoint,
      { query: 'mutation { logout(refreshToken: "r") }' },
      from('203.0.113.1'),
    );
    expect(logout.status).toBe(200);
    expect(logout.body.data).toEqual({ logout: true });
  });

  it('counts each aliased login as an attempt', async () => {
    const four = {
      query: `mutation { ${[1, 2, 3, 4].map((i) => `a${i}: login(email: "e", password: "p") { accessToken }`).join(' ')} }`,
    };
    const refused = await postGraphQL(endpoint, four, from('203.0.113.3'));
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });
});

describe('requests', () => {
  it('refuses the 13th request of a client with a plain 429 RATE_LIMITED body and Retry-After', async () => {
    for (let i = 0; i < 12; i++) {
      const ok = await postGraphQL(endpoint, { query: '{ __typename }' }, from('203.0.113.10'));
      expect({ request: i + 1, status: ok.status }).toEqual({ request: i + 1, status: 200 });
    }
    const refused = await postGraphQL(endpoint, { query: '{ __typename }' }, from('203.0.113.10'));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(refused.body).toEqual({
      error_code: 'RATE_LIMITED',
      message: expect.any(String),
      details: { limit: 'requests', retryAfterSeconds: retryAfter },
    });
    // plain HTTP routes count too
    expect((await fetch(`${router.url}/nope`, { headers: from('203.0.113.10') })).status).toBe(429);
  });

  it('does not spend sign-in attempts on other requests', async () => {
    for (let i = 0; i < 6; i++) await postGraphQL(endpoint, { query: '{ __typename }' }, from('203.0.113.11'));
    for (let i = 0; i < 3; i++) expect((await postGraphQL(endpoint, LOGIN, from('203.0.113.11'))).status).toBe(200);
  });

  it('counts a signed-in caller by user, not by the address they share with others', async () => {
    const first = await tokens.tokenFor(testUser({ id: 'rate-user-1', roles: ['educator'] }));
    const second = await tokens.tokenFor(testUser({ id: 'rate-user-2', roles: ['educator'] }));
    const ask = (token: string) =>
      postGraphQL(endpoint, { query: '{ hello }' }, { ...from('203.0.113.20'), authorization: `Bearer ${token}` });
    for (let i = 0; i < 12; i++) expect((await ask(first)).status).toBe(200);
    expect((await ask(first)).status).toBe(429);
    expect((await ask(second)).status).toBe(200);
    // a made-up token names nobody: it counts against the address (and is refused anyway)
    expect(
      (await postGraphQL(endpoint, { query: '{ hello }' }, { ...from('203.0.113.20'), authorization: 'Bearer x.y.z' }))
        .status,
    ).toBe(401);
  });

  it('never limits the health probes', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await fetch(`${router.url}/health/liveness`, { headers: from('203.0.113.10') })).status).toBe(200);
    }
  });
});
