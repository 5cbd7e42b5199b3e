import { serveJwks, testTokens, type JwksServer } from '@campus/testkit';
import { LOGIN, postGraphQL } from '../support/http';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

const APP = 'https://app.campus.example';
const STRANGER = 'https://evil.example';

let jwks: JwksServer;
let subgraph: TestSubgraph;
let router: TestRouter;

beforeAll(async () => {
  jwks = await serveJwks((await testTokens()).jwks);
  subgraph = await startTestSubgraph('test');
  router = await startTestRouter([subgraph], {
    AUTH_JWKS_URL: jwks.url,
    CORS_ORIGINS: `${APP}, https://admin.campus.example`,
  });
});

afterAll(async () => {
  await router?.close();
  await Promise.all([subgraph?.stop(), jwks?.stop()]);
});

const preflight = (origin: string) =>
  fetch(`${router.url}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

describe('CORS', () => {
  it('allows a listed origin’s preflight for GraphQL with a bearer token', async () => {
    const res = await preflight(APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toMatch(
      /authorization.*content-type|content-type.*authorization/,
    );
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  it('refuses any other origin’s preflight with 403 FORBIDDEN and no CORS headers', async () => {
    const res = await preflight(STRANGER);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(await res.json()).toMatchObject({ error_code: 'FORBIDDEN', details: { origin: STRANGER } });
  });

  it('lets a listed origin read the answer and its ids, and no other origin', async () => {
    const allowed = await postGraphQL(`${router.url}/graphql`, LOGIN, { origin: APP });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
    expect(allowed.headers.get('access-control-expose-headers')).toMatch(/x-trace-id/);
    const other = await postGraphQL(`${router.url}/graphql`, LOGIN, { origin: STRANGER });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('security headers', () => {
  it.each([
    [
      'a GraphQL answer',
      () => postGraphQL(`${router.url}/graphql`, { query: '{ __typename }' }).then((r) => r.headers),
    ],
    [
      'a GraphQL refusal',
      () => postGraphQL(`${router.url}/graphql`, { query: '{ me { id } }' }).then((r) => r.headers),
    ],
    ['a 404', () => fetch(`${router.url}/nope`).then((r) => r.headers)],
    ['a health probe', () => fetch(`${router.url}/health/liveness`).then((r) => r.headers)],
    ['a playground asset', () => fetch(`${router.url}/playground/assets/playground.js`).then((r) => r.headers)],
    ['a preflight', () => preflight(APP).then((r) => r.headers)],
  ])('are on %s', async (_label, headersOf) => {
    const headers = await headersOf();
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  });

  it('give the playground page its own policy, which loads only the router’s own files', async () => {
    const res = await fetch(`${router.url}/`, { headers: { accept: 'text/html' } });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
