import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { freePort, serveJwks, testTokens, testUser, type JwksServer, type TestTokens } from '@campus/testkit';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

/** A plain HTTP upstream: an echo that answers before the upload ends, and an SSE stream it never ends. */
class Upstream {
  server = http.createServer((req, res) => this.handle(req, res));
  calls = 0;
  lastHeaders: http.IncomingHttpHeaders = {};
  port = 0;
  /** Resolves when the SSE stream's connection to the router is gone. */
  readonly streamClosed: Promise<void>;
  private markStreamClosed: () => void = () => undefined;

  constructor() {
    this.streamClosed = new Promise<void>((resolve) => (this.markStreamClosed = resolve));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.calls++;
    this.lastHeaders = req.headers;
    if (req.method === 'POST' && req.url === '/files/echo') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.flushHeaders();
      req.pipe(res);
      return;
    }
    if (req.method === 'POST' && req.url === '/files/refuse') {
      // answers at once, reading nothing: as a service refusing an oversized upload does
      res.writeHead(413, { 'content-type': 'application/json' }).end('{"error_code":"TOO_LARGE"}');
      return;
    }
    if (req.method === 'GET' && req.url === '/files/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write('data: one\n\n');
      res.once('close', () => this.markStreamClosed());
      return;
    }
    res.writeHead(404).end();
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let tokens: TestTokens;
let jwks: JwksServer;
const educator = testUser({ id: 'user-1', roles: ['educator'] });
let subgraph: TestSubgraph;
let upstream: Upstream;
let router: TestRouter;
let token: string;

beforeAll(async () => {
  tokens = await testTokens();
  jwks = await serveJwks(tokens.jwks);
  upstream = await new Upstream().start();
  subgraph = await startTestSubgraph('test', (app) => {
    app.post('/uploads/test/:id', (req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.write(`upload ${String(req.params.id)}: `);
      req.pipe(res);
    });
  });
  const deadPort = await freePort();
  router = await startTestRouter([subgraph], {
    AUTH_JWKS_URL: jwks.url,
    PROXY_ROUTES: [
      `/files -> http://127.0.0.1:${upstream.port} GET|POST`,
      `/down -> http://127.0.0.1:${deadPort}`,
      '/uploads/test -> test POST',
    ].join(', '),
  });
  token = await tokens.tokenFor(educator);
});

afterAll(async () => {
  await router?.close();
  await Promise.all([subgraph?.stop(), upstream?.stop(), jwks?.stop()]);
});

function request(method: string, path: string, headers: http.OutgoingHttpHeaders = {}): http.ClientRequest {
  return http.request({ host: '127.0.0.1', port: router.port, method, path, headers });
}

/** Reads from a response until `text` has arrived in full (or the body ends). */
async function readUntil(res: http.IncomingMessage, text: string, seen = ''): Promise<string> {
  let received = seen;
  for await (const chunk of res) {
    received += String(chunk);
    if (received.includes(text)) return received;
  }
  return received;
}

describe('proxy routes', () => {
  it('streams both ways: the echo of the first chunk arrives before the upload ends', async () => {
    const req = request('POST', '/files/echo', { authorization: `Bearer ${token}`, 'x-request-id': 'proxy-test-1' });
    req.write('first-chunk;');
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('proxy-test-1');
    const iterator = res[Symbol.asyncIterator]();
    let echoed = '';
    while (!echoed.includes('first-chunk;')) echoed += String((await iterator.next()).value);
    req.end('second-chunk');
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) echoed += String(next.value);
    expect(echoed).toBe('first-chunk;second-chunk');
    expect(upstream.lastHeaders.authorization).toBe(`Bearer ${token}`);
    expect(upstream.lastHeaders['x-request-id']).toBe('proxy-test-1');
    expect(upstream.lastHeaders['x-forwarded-for']).toContain('127.0.0.1');
  });

  it("passes an upstream's early refusal back and keeps the client's connection usable", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (path: string, body: Buffer) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port: router.port,
          method: 'POST',
          path,
          agent,
          headers: { 'content-length': body.length },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += String(chunk)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.end(body);
      });
    try {
      const refused = await send('/files/refuse', randomBytes(8 * 1024 * 1024));
      expect(refused).toEqual({ status: 413, body: '{"error_code":"TOO_LARGE"}' });
      // the same (single, kept-alive) connection serves the next request instead of hanging
      const next = await send('/files/echo', Buffer.from('after'));
      expect(next).toEqual({ status: 200, body: 'after' });
    } finally {
      agent.destroy();
    }
  }, 30_000); // a stalled connection would hang ~65 s (the server's keep-alive timeout) instead

  it('passes a body far over the GraphQL body limit through intact', async () => {
    const body = randomBytes(3 * 1024 * 1024);
    const res = await fetch(`http://127.0.0.1:${router.port}/files/echo`, { method: 'POST', body });
    expect(res.status).toBe(200);
    const echoed = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(echoed).digest('hex')).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('delivers server-sent events one by one, unbuffered, and stops the upstream when the client leaves', async () => {
    const req = request('GET', '/files/events', { accept: 'text/event-stream', authorization: `Bearer ${token}` });
    req.end();
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.headers['content-encoding']).toBeUndefined();
    // The upstream holds its stream open after the first event: it must arrive now.
    expect(await readUntil(res, 'data: one\n\n')).toContain('data: one');
    req.destroy();
    await upstream.streamClosed;
  });

  it('forwards a subgraph-named route to that subgraph, path unchanged', async () => {
    const res = await fetch(`http://127.0.0.1:${router.port}/uploads/test/42`, { method: 'POST', body: 'payload' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('upload 42: payload');
  });

  it('answers 502 UPSTREAM_UNAVAILABLE when the upstream is down', async () => {
    const res = await fetch(`http://127.0.0.1:${router.port}/down/file.pdf`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({
      error_code: 'UPSTREAM_UNAVAILABLE',
      message: 'The upstream service is unavailable',
      details: {},
    });
  });

  it('refuses a bad token at the edge without calling the upstream', async () => {
    const before = upstream.calls;
    const res = await fetch(`http://127.0.0.1:${router.port}/files/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokens.tokenFor(educator, { signature: 'forged' })}` },
      body: 'x',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    expect(upstream.calls).toBe(before);
  });

  it('refuses a path that climbs out of its prefix, without calling the upstream', async () => {
    const before = upstream.calls;
    const req = request('GET', '/files/%2e%2e/metrics');
    req.end();
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    expect(res.statusCode).toBe(400);
    res.resume();
    expect(upstream.calls).toBe(before);
  });

  it('answers 405 to a method the route does not allow', async () => {
    const res = await fetch(`http://127.0.0.1:${router.port}/files/echo`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST');
  });

  it('counts proxied requests in the metrics', async () => {
    const text = await (await fetch(`${router.metricsUrl}/metrics`)).text(); // the internal port
    expect(text).toMatch(/campus_requests_total\{[^}]*transport="http",operation="proxy \/files",outcome="ok"/);
    expect(text).toMatch(/operation="proxy \/down",outcome="UPSTREAM_UNAVAILABLE"/);
  });

  it("passes the upstream's own status and headers through", async () => {
    const res = await fetch(`http://127.0.0.1:${router.port}/files/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
  });
});
