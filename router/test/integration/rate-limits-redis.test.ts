import { randomBytes } from 'node:crypto';
import { TcpProxy, eventually, serveJwks, testTokens, type JwksServer } from '@campus/testkit';
import { LOGIN, postGraphQL } from '../support/http';
import { capturingLogger } from '../support/logs';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

// Redis runs on every project machine (as PostgreSQL and RabbitMQ do); a proxy in front of it lets
// the test take it away from the routers without touching the shared server.
const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

/** A client address no other run has used (keys live 60 s in the shared Redis): a fresh IPv6 /64. */
const freshClient = () => ({
  'x-forwarded-for': `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::1`,
});

let jwks: JwksServer;
let subgraph: TestSubgraph;
let proxy: TcpProxy;
const logs = capturingLogger();
let a: TestRouter;
let b: TestRouter;

beforeAll(async () => {
  jwks = await serveJwks((await testTokens()).jwks);
  subgraph = await startTestSubgraph('test');
  proxy = await new TcpProxy(Number(redis.port || 6379), redis.hostname).start();
  const env = {
    AUTH_JWKS_URL: jwks.url,
    TRUST_PROXY: 'loopback',
    REDIS_URL: `redis://${redis.username ? `${redis.username}:${redis.password}@` : ''}127.0.0.1:${proxy.port}`,
    RATE_LIMIT_LOGIN_POINTS: '3',
  };
  a = await startTestRouter([subgraph], env, logs.logger);
  b = await startTestRouter([subgraph], env, logs.logger);
  await eventually(
    () => logs.lines.filter((l) => l.msg === 'rate limits are shared through Redis').length,
    (n) => n === 2,
  );
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await Promise.all([proxy?.stop(), subgraph?.stop(), jwks?.stop()]);
});

const login = (router: TestRouter, client: Record<string, string>) =>
  postGraphQL(`${router.url}/graphql`, LOGIN, client);

it('shares the sign-in count of a client across router instances', async () => {
  const client = freshClient();
  expect((await login(a, client)).status).toBe(200);
  expect((await login(b, client)).status).toBe(200);
  expect((await login(a, client)).status).toBe(200);
  const refused = await login(b, client);
  expect(refused.status).toBe(429);
  expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  expect((await login(a, client)).status).toBe(429);
});

it('keeps limiting, in each instance’s memory, while Redis is unreachable, and says so', async () => {
  proxy.cut();
  await eventually(
    () => logs.lines.filter((l) => /Redis is unreachable/.test(l.msg ?? '')).length,
    (n) => n === 2,
  );
  const client = freshClient();
  for (let i = 0; i < 3; i++) expect((await login(a, client)).status).toBe(200);
  const refused = await login(a, client);
  expect(refused.status).toBe(429);
  expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  expect((await login(b, client)).status).toBe(200); // counted per instance until Redis is back
});

it('shares the counts again once Redis is back', async () => {
  proxy.restore();
  await eventually(
    () => logs.lines.filter((l) => l.msg === 'rate limits are shared through Redis').length,
    (n) => n === 4,
  );
  const client = freshClient();
  for (const router of [a, b, a]) expect((await login(router, client)).status).toBe(200);
  expect((await login(b, client)).status).toBe(429);
});
