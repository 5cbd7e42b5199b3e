import { gzipSync } from 'node:zlib';
import {
  errorCodes,
  graphqlRequest,
  serveJwks,
  testTokens,
  testUser,
  type JwksServer,
  type TestTokens,
} from '@campus/testkit';
import { getIntrospectionQuery } from 'graphql';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

let tokens: TestTokens;
let jwks: JwksServer;
const educator = testUser({ id: 'user-1', roles: ['educator'] });
let subgraph: TestSubgraph;
let router: TestRouter;
let endpoint: string;

beforeAll(async () => {
  tokens = await testTokens();
  jwks = await serveJwks(tokens.jwks);
  subgraph = await startTestSubgraph('test');
  router = await startTestRouter([subgraph], { AUTH_JWKS_URL: jwks.url });
  endpoint = `${router.url}/graphql`;
});

afterAll(async () => {
  await router?.close();
  await subgraph?.stop().catch(() => undefined);
  await jwks?.stop();
});

/** Runs `fn` and returns how many GraphQL requests the subgraph received meanwhile. */
async function subgraphCallsDuring(fn: () => Promise<void>): Promise<number> {
  const before = subgraph.requests;
  await fn();
  return subgraph.requests - before;
}

const nested = (depth: number): string => `{ tree { ${'child { '.repeat(depth - 2)}name${' }'.repeat(depth - 2)} } }`;

describe('edge authentication', () => {
  it('forwards a query with a valid token, with Authorization, x-request-id and traceparent', async () => {
    const token = await tokens.tokenFor(educator);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const calls = await subgraphCallsDuring(async () => {
      const res = await graphqlRequest<{ me: { fullName: string } }>(endpoint, '{ me { fullName roles } }', {
        token,
        headers: { 'x-request-id': 'edge-test-1', traceparent },
      });
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data?.me.fullName).toBe('Test Educator');
      expect(res.headers.get('x-request-id')).toBe('edge-test-1');
    });
    expect(calls).toBe(1);
    expect(subgraph.lastHeaders.authorization).toBe(`Bearer ${token}`);
    expect(subgraph.lastHeaders['x-request-id']).toBe('edge-test-1');
    expect(subgraph.lastHeaders.traceparent).toBe(traceparent);
  });

  it.each([
    ['a forged signature', () => tokens.tokenFor(educator, { signature: 'forged' }), 'invalid'],
    ['an expired token', () => tokens.tokenFor(educator, { expires: new Date(Date.now() - 60_000) }), 'expired'],
    ['alg "none"', () => tokens.tokenFor(educator, { signature: 'none' }), 'invalid'],
    ['garbage', async () => 'not-a-jwt', 'invalid'],
  ])('refuses %s with 401 UNAUTHENTICATED before any subgraph call', async (_label, makeToken, reason) => {
    const token = await makeToken();
    const calls = await subgraphCallsDuring(async () => {
      const res = await graphqlRequest(endpoint, '{ me { fullName } }', { token });
      expect(res.status).toBe(401);
      expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.errors?.[0]?.extensions?.details).toEqual({ reason });
    });
    expect(calls).toBe(0);
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const res = await graphqlRequest(endpoint, '{ hello }', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('anonymous access', () => {
  it.each([
    ['a plain field', '{ me { fullName } }'],
    ['a field in a fragment', 'query { ...F } fragment F on Query { hello }'],
    ['a field in an inline fragment', 'query { ... on Query { hello } }'],
  ])('refuses %s with 401 UNAUTHENTICATED and no subgraph call', async (_label, query) => {
    const calls = await subgraphCallsDuring(async () => {
      const res = await graphqlRequest(endpoint, query);
      expect(res.status).toBe(401);
      expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.data).toBeUndefined();
    });
    expect(calls).toBe(0);
  });

  it('refuses a public field mixed with a protected one', async () => {
    const calls = await subgraphCallsDuring(async () => {
      const res = await graphqlRequest(endpoint, 'query Q { me { id } ...F } fragment F on Query { __typename }');
      expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.errors?.[0]?.extensions?.details).toEqual({ fields: ['me'] });
    });
    expect(calls).toBe(0);
  });

  it('lets an anonymous caller use the session mutations', async () => {
    const calls = await subgraphCallsDuring(async () => {
      const res = await graphqlRequest<{ login: { accessToken: string }; logout: boolean }>(
        endpoint,
        `mutation Session($email: String!, $password: String!) {
          login(email: $email, password: $password) { accessToken user { fullName } }
          refreshSession(refreshToken: "r") { accessToken }
          logout(refreshToken: "r")
        }`,
        { variables: { email: 'educator@sirius.local', password: 'sirius2026' } },
      );
      expect(res.errors).toBeUndefined();
      expect(res.data?.login.accessToken).toBe('issued-by-identity');
      expect(res.data?.logout).toBe(true);
    });
    expect(calls).toBe(1);
  });

  it('answers __typename and introspection anonymously without calling a subgraph', async () => {
    const calls = await subgraphCallsDuring(async () => {
      const res = await graphqlRequest<{ __typename: string; __schema: { queryType: { name: string } } }>(
        endpoint,
        '{ __typename __schema { queryType { name } } }',
      );
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ __typename: 'Query', __schema: { queryType: { name: 'Query' } } });
    });
    expect(calls).toBe(0);
  });
});

describe('limits', () => {
  it('refuses a query nested deeper than 12 levels, and accepts 12', async () => {
    const token = await tokens.tokenFor(educator);
    const calls = await subgraphCallsDuring(async () => {
      const tooDeep = await graphqlRequest(endpoint, nested(13), { token });
      expect(tooDeep.status).toBe(400);
      expect(errorCodes(tooDeep)).toEqual(['QUERY_TOO_DEEP']);
    });
    expect(calls).toBe(0);
    const deepest = await graphqlRequest(endpoint, nested(12), { token });
    expect(deepest.errors).toBeUndefined();
  });

  it('refuses more than 30 aliases', async () => {
    const token = await tokens.tokenFor(educator);
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: hello`).join(' ')} }`;
    const calls = await subgraphCallsDuring(async () => {
      const res = await graphqlRequest(endpoint, aliases(31), { token });
      expect(res.status).toBe(400);
      expect(errorCodes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    });
    expect(calls).toBe(0);
    expect((await graphqlRequest(endpoint, aliases(30), { token })).errors).toBeUndefined();
  });

  it("accepts GraphiQL's introspection query (15 levels deep) but not recursive introspection", async () => {
    const full = await graphqlRequest<{ __schema: { types: unknown[] } }>(
      endpoint,
      getIntrospectionQuery({
        inputValueDeprecation: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        specifiedByUrl: true,
      }),
    );
    expect(full.errors).toBeUndefined();
    expect(full.data?.__schema.types.length).toBeGreaterThan(10);
    const abusive = await graphqlRequest(
      endpoint,
      '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
    );
    expect(abusive.status).toBe(400);
    expect(errorCodes(abusive)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses a fragment bomb that is small in tokens but huge when expanded', async () => {
    const token = await tokens.tokenFor(educator);
    const levels = Array.from({ length: 20 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
    const bomb = `{ ...F20 } fragment F0 on Query { hello } ${levels}`;
    const started = Date.now();
    const calls = await subgraphCallsDuring(async () => {
      const res = await graphqlRequest(endpoint, bomb, { token });
      expect(res.status).toBe(400);
      expect(res.errors?.[0]?.message).toMatch(/too many selections/);
    });
    expect(calls).toBe(0);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses a document of more than 2000 tokens while parsing', async () => {
    const token = await tokens.tokenFor(educator);
    const res = await graphqlRequest(endpoint, `{ ${'__typename '.repeat(2100)}}`, { token });
    expect(res.status).toBe(400);
    expect(errorCodes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('answers 413 PAYLOAD_TOO_LARGE to a body over 100 kB', async () => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }', variables: { padding: 'x'.repeat(110 * 1024) } }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error_code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 400 VALIDATION_ERROR to a body that is not JSON', async () => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error_code: 'VALIDATION_ERROR' });
  });

  it('refuses batched requests', async () => {
    const token = await tokens.tokenFor(educator);
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([{ query: '{ hello }' }, { query: '{ hello }' }]),
    });
    expect(res.status).toBe(400);
  });

  it('refuses a simple (CSRF-able) GET request', async () => {
    const res = await fetch(`${endpoint}?query=${encodeURIComponent('{ __typename }')}`);
    expect(res.status).toBe(400);
  });
});

describe('the JSON POST path, answered without Express', () => {
  const origin = 'https://app.sirius.local';
  let behindProxy: TestRouter;
  beforeAll(async () => {
    behindProxy = await startTestRouter([subgraph], {
      AUTH_JWKS_URL: jwks.url,
      CORS_ORIGINS: origin,
      TRUST_PROXY: '1',
    });
  });
  afterAll(() => behindProxy?.close());

  /** One request, as a JSON POST (no Express) or gzip-compressed (Express and body-parser take it). */
  async function exchange(path: string, body: string, compressed: boolean, token?: string) {
    const res = await fetch(`${behindProxy.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin,
        'x-forwarded-for': '198.51.100.7',
        'x-request-id': 'same-request',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(compressed ? { 'content-encoding': 'gzip' } : {}),
      },
      body: compressed ? gzipSync(body) : body,
    });
    const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== 'date'));
    return { status: res.status, headers, body: await res.text(), forwarded: { ...subgraph.lastHeaders } };
  }

  it('answers as the Express path does: status, body, every header, what it forwards', async () => {
    const token = await tokens.tokenFor(educator);
    const query = JSON.stringify({ query: '{ me { fullName roles } }' });
    const direct = await exchange('/graphql', query, false, token);
    const viaExpress = await exchange('/graphql', query, true, token);
    expect(direct.status).toBe(200);
    expect(JSON.parse(direct.body)).toEqual({ data: { me: { fullName: 'Test Educator', roles: ['educator'] } } });
    expect(direct.headers).toMatchObject({
      'access-control-allow-origin': origin,
      vary: 'Origin',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-request-id': 'same-request',
      'x-trace-id': '0af7651916cd43dd8448eb211c80319c',
    });
    // the address behind one trusted proxy, the caller's request id and trace, to the subgraph
    expect(direct.forwarded).toMatchObject({ 'x-campus-client': '198.51.100.7', 'x-request-id': 'same-request' });
    expect(direct.forwarded.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-/);
    const { traceparent: directSpan, ...directForwarded } = direct.forwarded;
    const { traceparent: expressSpan, ...expressForwarded } = viaExpress.forwarded;
    expect({ ...viaExpress, forwarded: expressForwarded }).toEqual({ ...direct, forwarded: directForwarded });
    expect(expressSpan?.slice(0, 35)).toBe(directSpan?.slice(0, 35));
  });

  it('refuses alike: a body that is not JSON, an anonymous protected query, an unknown token', async () => {
    for (const [path, body, token] of [
      ['/graphql', '{"query":', undefined],
      ['/', JSON.stringify({ query: '{ me { fullName } }' }), undefined],
      ['/graphql?x=1', JSON.stringify({ query: '{ me { fullName } }' }), 'not-a-token'],
    ] as const) {
      const direct = await exchange(path, body, false, token);
      expect(direct.status).toBeGreaterThanOrEqual(400);
      expect(await exchange(path, body, true, token)).toEqual({ ...direct, forwarded: expect.anything() });
    }
  });
});

describe('endpoints', () => {
  it('serves GraphQL at POST / as well', async () => {
    const res = await graphqlRequest<{ hello: string }>(`${router.url}/`, '{ hello }', {
      token: await tokens.tokenFor(educator),
    });
    expect(res.data?.hello).toBe('world');
  });

  it('exposes Prometheus metrics with the operation counter (on the internal port)', async () => {
    const res = await fetch(`${router.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/campus_requests_total\{[^}]*transport="graphql"/);
    expect(text).toContain('campus_router_auth_failures_total');
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await fetch(`${router.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error_code: 'NOT_FOUND' });
  });

  it('is live, and ready while the subgraph is up (details on the internal port)', async () => {
    expect((await fetch(`${router.url}/health/liveness`)).status).toBe(200);
    const res = await fetch(`${router.metricsUrl}/health/readiness`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: { supergraph: 'up', 'subgraph:test': 'up' },
      failing: [],
    });
  });
});

describe('with the subgraph stopped', () => {
  beforeAll(async () => {
    await subgraph.stop();
  });

  it('is not ready and names the failing subgraph (on the internal port)', async () => {
    const res = await fetch(`${router.metricsUrl}/health/readiness`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', failing: ['subgraph:test'] });
  });

  it('answers an operation with UNAVAILABLE naming the service, without internals', async () => {
    const res = await graphqlRequest(endpoint, '{ hello }', { token: await tokens.tokenFor(educator) });
    expect(errorCodes(res)).toEqual(['UNAVAILABLE']);
    expect(res.errors?.[0]?.message).toBe('The test service is unavailable');
    expect(JSON.stringify(res.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|stack/);
  });
});
