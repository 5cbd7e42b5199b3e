import { serveJwks, testTokens, type JwksServer } from '@campus/testkit';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

let jwks: JwksServer;
let subgraph: TestSubgraph;
let router: TestRouter;

beforeAll(async () => {
  jwks = await serveJwks((await testTokens()).jwks);
  subgraph = await startTestSubgraph('test');
  router = await startTestRouter([subgraph], { AUTH_JWKS_URL: jwks.url });
});

afterAll(async () => {
  await router?.close();
  await Promise.all([subgraph?.stop(), jwks?.stop()]);
});

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function page(path: string, accept = BROWSER_ACCEPT): Promise<Response> {
  return fetch(`${router.url}${path}`, { headers: { accept } });
}

describe('offline playground', () => {
  it('serves the page at GET / with a strict CSP', async () => {
    const res = await page('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('Campus Sirius');
    expect(html).toContain('"endpoint":"/graphql"');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves the page at GET /graphql to a browser, not to an API client', async () => {
    expect((await page('/graphql')).headers.get('content-type')).toMatch(/^text\/html/);
    const api = await page('/graphql', 'application/json');
    expect(api.headers.get('content-type')).not.toMatch(/^text\/html/);
  });

  it('answers 200 for every asset the page references, with the right type', async () => {
    const html = await (await page('/')).text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(assets).toEqual(
      expect.arrayContaining([
        '/playground/assets/react.production.min.js',
        '/playground/assets/react-dom.production.min.js',
        '/playground/assets/graphiql.min.js',
        '/playground/assets/graphiql.min.css',
        '/playground/assets/playground.js',
        '/playground/assets/playground.css',
      ]),
    );
    for (const asset of assets) {
      const res = await fetch(`${router.url}${asset}`);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
      expect(res.headers.get('content-type')).toMatch(asset.endsWith('.css') ? /^text\/css/ : /javascript/);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  it('serves nothing else from node_modules', async () => {
    for (const path of [
      '/playground/assets/package.json',
      '/playground/assets/..%2Fpackage.json',
      '/playground/assets/toString',
    ]) {
      expect((await fetch(`${router.url}${path}`)).status).toBe(404);
    }
  });
});
