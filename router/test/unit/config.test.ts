import path from 'node:path';
import { ConfigError } from '@campus/platform';
import { REPO_ROOT, loadRouterConfig, subgraphUrlVariable } from '../../src/config';

describe('loadRouterConfig', () => {
  it('defaults to a public listener on 4000 with the documented limits', () => {
    const config = loadRouterConfig({});
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 4000,
      introspection: true,
      auth: {
        jwksUrl: 'http://127.0.0.1:4001/.well-known/jwks.json',
        issuer: 'campus-sirius-identity',
        audience: 'campus-sirius',
      },
      supergraphPath: path.join(REPO_ROOT, 'supergraph.graphql'),
      limits: { maxDepth: 12, maxAliases: 30, maxTokens: 2000, maxSelections: 10_000, maxBody: '100kb' },
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
  });
});
