import path from 'node:path';
import { ConfigError } from '@campus/platform';
import {
  REPO_ROOT,
  loadRouterConfig,
  subgraphConcurrencyVariable,
  subgraphTimeoutVariable,
  subgraphUrlVariable,
} from '../../src/config';

describe('loadRouterConfig', () => {
  it('defaults to a loopback listener on 4000 (public only in production) with the documented limits', () => {
    const config = loadRouterConfig({});
    expect(loadRouterConfig({ NODE_ENV: 'production' }).host).toBe('0.0.0.0');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      introspection: true,
      auth: {
        jwksUrl: 'http://127.0.0.1:4001/.well-known/jwks.json',
        issuer: 'campus-sirius-identity',
        audience: 'campus-sirius',
      },
      supergraphPath: path.join(REPO_ROOT, 'supergraph.graphql'),
      limits: { maxDepth: 12, maxAliases: 30, maxTokens: 2000, maxSelections: 10_000, maxBodyBytes: 102_400 },
      proxyRoutes: [],
      subgraphUrls: {},
    });
  });

  it('takes ROUTER_PORT over HTTP_PORT, and BIND_HOST', () => {
    expect(loadRouterConfig({ HTTP_PORT: '5000' }).port).toBe(5000);
    expect(loadRouterConfig({ HTTP_PORT: '5000', ROUTER_PORT: '5001' }).port).toBe(5001);
    expect(loadRouterConfig({ BIND_HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });

  it('turns introspection off in production unless GRAPHQL_INTROSPECTION says otherwise', () => {
    expect(loadRouterConfig({ NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadRouterConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadRouterConfig({ GRAPHQL_INTROSPECTION: '0' }).introspection).toBe(false);
  });

  it('collects SUBGRAPH_<NAME>_URL overrides and refuses a bad one', () => {
    expect(loadRouterConfig({ SUBGRAPH_IDENTITY_URL: 'http://127.0.0.1:5555/graphql' }).subgraphUrls).toEqual({
      SUBGRAPH_IDENTITY_URL: 'http://127.0.0.1:5555/graphql',
    });
    expect(() => loadRouterConfig({ SUBGRAPH_LEAVE_URL: 'leave:4005' })).toThrow(ConfigError);
    expect(subgraphUrlVariable('identity')).toBe('SUBGRAPH_IDENTITY_URL');
    expect(subgraphUrlVariable('check-out')).toBe('SUBGRAPH_CHECK_OUT_URL');
  });

  it('parses PROXY_ROUTES and reports a bad table as a configuration error', () => {
    expect(loadRouterConfig({ PROXY_ROUTES: '/uploads/leave -> leave POST' }).proxyRoutes).toEqual([
      { prefix: '/uploads/leave', target: 'leave', methods: ['POST'] },
    ]);
    expect(() => loadRouterConfig({ PROXY_ROUTES: '/graphql -> leave' })).toThrow(/PROXY_ROUTES: .*overlaps/);
  });

  it('refuses invalid limits with the variable named', () => {
    expect(() => loadRouterConfig({ GRAPHQL_MAX_DEPTH: '0' })).toThrow(/GRAPHQL_MAX_DEPTH/);
    expect(() => loadRouterConfig({ GRAPHQL_MAX_BODY: 'lots' })).toThrow(/GRAPHQL_MAX_BODY/);
    // body-parser's notation, in bytes (1kb = 1024)
    const maxBodyOf = (value: string) => loadRouterConfig({ GRAPHQL_MAX_BODY: value }).limits.maxBodyBytes;
    expect([maxBodyOf('1mb'), maxBodyOf('10KB'), maxBodyOf('2048'), maxBodyOf('512b')]).toEqual([
      1_048_576, 10_240, 2048, 512,
    ]);
  });

  it('keeps metrics on an internal listener: loopback, 9400, any free port under test, never the public port', () => {
    expect(loadRouterConfig({}).metrics).toEqual({ host: '127.0.0.1', port: 9400, operationNames: [] });
    expect(loadRouterConfig({ NODE_ENV: 'test' }).metrics.port).toBe(0);
    expect(loadRouterConfig({ METRICS_PORT: '9500', METRICS_HOST: '0.0.0.0' }).metrics).toMatchObject({
      host: '0.0.0.0',
      port: 9500,
    });
    expect(() => loadRouterConfig({ ROUTER_PORT: '9400' })).toThrow(/METRICS_PORT/);
    expect(loadRouterConfig({ METRICS_OPERATION_NAMES: 'PartnerSync, Nightly' }).metrics.operationNames).toEqual([
      'PartnerSync',
      'Nightly',
    ]);
    expect(() => loadRouterConfig({ METRICS_OPERATION_NAMES: 'not a name' })).toThrow(/METRICS_OPERATION_NAMES/);
  });

  it('allows no cross-origin callers in production and the router’s own origin elsewhere, unless CORS_ORIGINS says', () => {
    expect(loadRouterConfig({ NODE_ENV: 'production' }).corsOrigins).toEqual([]);
    expect(loadRouterConfig({}).corsOrigins).toEqual(['http://localhost:4000', 'http://127.0.0.1:4000']);
    expect(
      loadRouterConfig({ NODE_ENV: 'production', CORS_ORIGINS: 'https://app.campus.example, http://localhost:5173' })
        .corsOrigins,
    ).toEqual(['https://app.campus.example', 'http://localhost:5173']);
    expect(() => loadRouterConfig({ CORS_ORIGINS: 'https://app.campus.example/' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadRouterConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
  });

  it('reads rate limits, Redis and the trusted proxies', () => {
    expect(loadRouterConfig({}).rateLimits).toEqual({
      login: { points: 10, durationSeconds: 60 },
      requests: { points: 600, durationSeconds: 60 },
    });
    expect(
      loadRouterConfig({
        REDIS_URL: 'redis://127.0.0.1:6379',
        RATE_LIMIT_LOGIN_POINTS: '5',
        RATE_LIMIT_LOGIN_DURATION_SECONDS: '300',
        RATE_LIMIT_POINTS: '100',
        RATE_LIMIT_DURATION_SECONDS: '10',
      }).rateLimits,
    ).toEqual({
      redisUrl: 'redis://127.0.0.1:6379',
      login: { points: 5, durationSeconds: 300 },
      requests: { points: 100, durationSeconds: 10 },
    });
    expect(() => loadRouterConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
    expect(() => loadRouterConfig({ RATE_LIMIT_LOGIN_POINTS: '0' })).toThrow(/RATE_LIMIT_LOGIN_POINTS/);
    expect(loadRouterConfig({}).trustProxy).toBe(false);
    expect(loadRouterConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadRouterConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
  });

  it('reads the subgraph timeout and its per-subgraph overrides', () => {
    expect(loadRouterConfig({}).subgraphTimeouts).toEqual({ defaultMs: 10_000, overrides: {} });
    expect(
      loadRouterConfig({ SUBGRAPH_TIMEOUT_MS: '5000', SUBGRAPH_LEAVE_TIMEOUT_MS: '20000' }).subgraphTimeouts,
    ).toEqual({ defaultMs: 5000, overrides: { SUBGRAPH_LEAVE_TIMEOUT_MS: 20_000 } });
    expect(() => loadRouterConfig({ SUBGRAPH_LEAVE_TIMEOUT_MS: 'soon' })).toThrow(/SUBGRAPH_LEAVE_TIMEOUT_MS/);
    expect(subgraphTimeoutVariable('check-out')).toBe('SUBGRAPH_CHECK_OUT_TIMEOUT_MS');
  });

  it('reads the per-subgraph concurrency limits, queue and wait', () => {
    expect(loadRouterConfig({}).subgraphConcurrency).toEqual({
      defaultMax: 64,
      overrides: {},
      maxQueue: undefined,
      queueWaitMs: 250,
    });
    expect(
      loadRouterConfig({
        SUBGRAPH_MAX_CONCURRENCY: '32',
        SUBGRAPH_LEAVE_MAX_CONCURRENCY: '8',
        SUBGRAPH_MAX_QUEUE: '0',
        SUBGRAPH_QUEUE_WAIT_MS: '50',
      }).subgraphConcurrency,
    ).toEqual({ defaultMax: 32, overrides: { SUBGRAPH_LEAVE_MAX_CONCURRENCY: 8 }, maxQueue: 0, queueWaitMs: 50 });
    // The queue's variable is no subgraph's timeout (SUBGRAPH_<NAME>_TIMEOUT_MS).
    expect(loadRouterConfig({ SUBGRAPH_QUEUE_WAIT_MS: '50' }).subgraphTimeouts.overrides).toEqual({});
    expect(() => loadRouterConfig({ SUBGRAPH_LEAVE_MAX_CONCURRENCY: '0' })).toThrow(/SUBGRAPH_LEAVE_MAX_CONCURRENCY/);
    expect(() => loadRouterConfig({ SUBGRAPH_QUEUE_WAIT_MS: '60000' })).toThrow(/SUBGRAPH_QUEUE_WAIT_MS/);
    expect(subgraphConcurrencyVariable('check-out')).toBe('SUBGRAPH_CHECK_OUT_MAX_CONCURRENCY');
  });

  // The gateway techniques, each on unless its switch says false (to compare, docs/performance.md).
  it.each([
    ['SINGLE_FETCH_SHORTCUT', 'singleFetchShortcut'],
    ['SUBGRAPH_DEDUPLICATE', 'deduplicateSubgraphQueries'],
    ['ROUTER_RESULT_SHAPING', 'routerResultShaping'],
    ['SUBGRAPH_DISTINCT_ENTITIES', 'distinctEntities'],
  ] as const)('%s is on unless set to false', (variable, setting) => {
    expect(loadRouterConfig({})[setting]).toBe(true);
    expect(loadRouterConfig({ [variable]: 'false' })[setting]).toBe(false);
    expect(() => loadRouterConfig({ [variable]: 'perhaps' })).toThrow(new RegExp(variable));
  });
});
