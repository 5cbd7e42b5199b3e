// End-to-end through the router with the real identity service (issue: foundation §6).
import { importJWK, type JWK } from 'jose';
import pg from 'pg';
import {
  TcpProxy,
  errorCodes,
  eventually,
  freePort,
  REPO_ROOT,
  signAccessToken,
  startProcess,
  testTokens,
  testUser,
  type ServiceProcess,
  type SigningKey,
} from '@campus/testkit';
import path from 'node:path';
import { isSealed, signingKeyCipherFrom } from '../subgraphs/identity/src/adapters/signing-key-cipher';
import { startStack, type Stack } from './support/stack';

const ME = '{ me { id email fullName roles isMinor residence { building entrance room } } }';
const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { accessToken refreshToken expiresAt user { email } }
}`;
const REFRESH = `mutation Refresh($token: String!) { refreshSession(refreshToken: $token) { accessToken refreshToken } }`;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ services: ['identity'] });
});

afterAll(async () => {
  await stack?.stop();
});

/** Lines the identity process logged for GraphQL operations so far. */
const identityOperations = () => stack.services.identity![0]!.logs.filter((l) => l.msg === 'graphql operation').length;

describe('login and me', () => {
  it('logs an educator in and answers me through the router', async () => {
    const login = await stack.graphql<{
      login: { accessToken: string; refreshToken: string; expiresAt: string; user: { email: string } };
    }>(LOGIN, { variables: { email: 'educator@sirius.local', password: 'sirius2026' } });
    expect(login.errors).toBeUndefined();
    expect(login.data!.login.user.email).toBe('educator@sirius.local');
    const ttlMs = Date.parse(login.data!.login.expiresAt) - Date.now();
    expect(ttlMs).toBeGreaterThan(14 * 60_000);
    expect(ttlMs).toBeLessThanOrEqual(15 * 60_000);

    const me = await stack.graphql<{ me: { fullName: string; roles: string[] } }>(ME, {
      token: login.data!.login.accessToken,
    });
    expect(me.errors).toBeUndefined();
    expect(me.data!.me.roles).toEqual(['EDUCATOR']);
    expect(me.data!.me.fullName.length).toBeGreaterThan(3);
  });

  it('refuses a wrong password with AUTH_INVALID_CREDENTIALS', async () => {
    const res = await stack.graphql(LOGIN, {
      variables: { email: 'educator@sirius.local', password: 'wrong-password' },
    });
    expect(errorCodes(res)).toEqual(['AUTH_INVALID_CREDENTIALS']);
  });
});

describe('authorization', () => {
  it('answers FORBIDDEN to a student listing users, and serves staff', async () => {
    const student = await stack.login('student.adult@sirius.local');
    const denied = await stack.graphql('{ users { total } }', { token: student });
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);

    const educator = await stack.login('educator@sirius.local');
    const page = await stack.graphql<{
      users: { total: number; items: { isMinor: boolean; residence: { entrance: number } }[] };
    }>(
      '{ users(filter: { building: "8", entrance: 1, minorsOnly: true }, size: 100) { total items { isMinor residence { entrance } } } }',
      { token: educator },
    );
    expect(page.errors).toBeUndefined();
    expect(page.data!.users.total).toBeGreaterThan(0);
    expect(page.data!.users.items.every((u) => u.isMinor && u.residence.entrance === 1)).toBe(true);
  });

  it('lets anonymous callers reach only public fields', async () => {
    const res = await stack.graphql(ME);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('tokens refused at the edge', () => {
  /** identity's current signing key, read from its database. */
  async function signingKey(): Promise<SigningKey> {
    const client = new pg.Client({ connectionString: stack.databases.identity!.url });
    await client.connect();
    const { rows } = await client.query<{ kid: string; private_jwk: unknown }>(
      'SELECT kid, private_jwk FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1',
    );
    await client.end();
    const { kid, private_jwk: stored } = rows[0]!;
    // Stored encrypted under the development key identity generated in .data/identity (no key in the stack's env).
    const cipher = signingKeyCipherFrom({
      key: undefined,
      previousKeys: [],
      dataDir: path.join(REPO_ROOT, '.data/identity'),
    });
    const jwk = (isSealed(stored) ? cipher.open(stored, kid) : stored) as JWK;
    return { kid, privateKey: await importJWK(jwk, 'ES256') };
  }

  const admin = testUser({ id: 'x', roles: ['admin'] });

  it.each([
    [
      'forged (signed with another key)',
      async () => signAccessToken(admin, await signingKey(), { signature: 'forged' }),
    ],
    ['expired', async () => signAccessToken(admin, await signingKey(), { expires: new Date(Date.now() - 3_600_000) })],
    ['alg:none', async () => (await testTokens()).tokenFor(admin, { signature: 'none' })],
  ])('refuses a %s token with UNAUTHENTICATED before identity is called', async (_name, makeToken) => {
    const token = await makeToken();
    const before = identityOperations();
    const res = await stack.graphql(ME, { token });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
    await new Promise((r) => setTimeout(r, 200));
    expect(identityOperations()).toBe(before);
  });
});

describe('refresh sessions', () => {
  it('rotates the refresh token and revokes the family when a rotated token is reused', async () => {
    const login = await stack.graphql<{ login: { refreshToken: string } }>(LOGIN, {
      variables: { email: 'student.minor@sirius.local', password: 'sirius2026' },
    });
    const first = login.data!.login.refreshToken;

    const rotated = await stack.graphql<{ refreshSession: { accessToken: string; refreshToken: string } }>(REFRESH, {
      variables: { token: first },
    });
    expect(rotated.errors).toBeUndefined();
    const second = rotated.data!.refreshSession.refreshToken;
    expect(second).not.toBe(first);
    const me = await stack.graphql<{ me: { email: string } }>(ME, { token: rotated.data!.refreshSession.accessToken });
    expect(me.data!.me.email).toBe('student.minor@sirius.local');

    const reuse = await stack.graphql(REFRESH, { variables: { token: first } });
    expect(errorCodes(reuse)).toEqual(['AUTH_REFRESH_TOKEN_REUSED']);
    // the whole family is revoked: the newest token no longer works either
    const after = await stack.graphql(REFRESH, { variables: { token: second } });
    expect(errorCodes(after)[0]).toMatch(/^AUTH_/);
    expect(after.data?.refreshSession ?? null).toBeNull();
  });
});

describe('observability', () => {
  it('logs one request in router and identity under one trace_id', async () => {
    const token = await stack.login('admin@sirius.local');
    const requestId = `e2e-trace-${Date.now()}`;
    const res = await stack.graphql('query TraceProbe { me { id } }', {
      token,
      headers: { 'x-request-id': requestId },
    });
    expect(res.errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    const routerLine = stack.router.logs.find((l) => l.msg === 'graphql operation' && l.operation === 'TraceProbe');
    expect(routerLine?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(routerLine!.trace_id).not.toBe('0'.repeat(32));
    const identityLines = stack.services.identity![0]!.logs.filter((l) => l.trace_id === routerLine!.trace_id);
    const identityLine = identityLines.find((l) => l.msg === 'graphql operation');
    // The subgraph's line tells its SQL from its own work; the router runs no SQL and says none.
    expect(identityLine).toMatchObject({
      dbStatements: expect.any(Number),
      dbMs: expect.any(Number),
      dbWaitMs: expect.any(Number),
    });
    expect(identityLine!.dbStatements).toBeGreaterThanOrEqual(1);
    expect(identityLine!.dbMs).toBeLessThanOrEqual((identityLine!.durationMs as number) + 1); // durationMs is rounded
    expect(routerLine).not.toHaveProperty('dbStatements');
  });

  it('serves valid Prometheus text on /metrics of the router and identity', async () => {
    for (const url of [
      `${stack.routerMetricsUrl}/metrics`,
      `http://127.0.0.1:${stack.ports.identity![0]!.http}/metrics`,
    ]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      const samples = text.split('\n').filter((l) => l && !l.startsWith('#'));
      expect(samples.length).toBeGreaterThan(10);
      for (const line of samples)
        expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (-?[0-9.]+(e[+-]?[0-9]+)?|NaN|[+-]Inf)$/);
      expect(text).toContain('campus_requests_total');
    }
    const identity = await (await fetch(`http://127.0.0.1:${stack.ports.identity![0]!.http}/metrics`)).text();
    expect(identity).toMatch(
      /^campus_request_database_statements_total\{transport="graphql",operation="[^"]+"[^}]*\} [1-9]/m,
    );
    expect(identity).toMatch(
      /^campus_request_database_seconds_total\{transport="graphql",operation="[^"]+"[^}]*\} [0-9.e-]+$/m,
    );
  });
});

describe('readiness', () => {
  let proxy: TcpProxy;
  let identity: ServiceProcess;
  let port: number;

  beforeAll(async () => {
    proxy = await new TcpProxy(5432).start();
    port = await freePort();
    const url = new URL(stack.databases.identity!.url);
    url.port = String(proxy.port);
    identity = await startProcess({
      name: 'identity-behind-proxy',
      script: 'subgraphs/identity/dist/main.js',
      env: { HTTP_PORT: String(port), GRPC_PORT: String(await freePort()), DATABASE_URL: url.toString() },
      readyUrl: `http://127.0.0.1:${port}/health/readiness`,
    });
  });

  afterAll(async () => {
    await identity?.stop();
    await proxy?.stop();
  });

  it('turns 503 naming the database when it becomes unreachable, and recovers', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/health/readiness`)).status).toBe(200);
    proxy.cut();
    const down = await fetch(`http://127.0.0.1:${port}/health/readiness`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as { failing: string[] };
    expect(body.failing).toContain('database');
    expect((await fetch(`http://127.0.0.1:${port}/health/liveness`)).status).toBe(200);
    proxy.restore();
    const status = await eventually(
      async () => (await fetch(`http://127.0.0.1:${port}/health/readiness`)).status,
      (s) => s === 200,
      10_000,
      'readiness to recover',
    );
    expect(status).toBe(200);
  });
});
