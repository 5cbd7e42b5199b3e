// The router's subgraph client: keep-alive connections per subgraph, and a caller's identical
// queries in flight merged into one call — never across callers, never for mutations.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSubgraphFetcher, type SubgraphFetcher } from '../../src/subgraph-fetcher';

interface Seen {
  body: string;
  authorization?: string;
  traceparent?: string;
  socket: number;
}

let server: http.Server;
let url: string;
const seen: Seen[] = [];
let sockets = 0;
let delayMs = 50;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const socket = (req.socket as { campusId?: number }).campusId ?? 0;
      seen.push({
        body,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        ...(typeof req.headers.traceparent === 'string' ? { traceparent: req.headers.traceparent } : {}),
        socket,
      });
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-seen', ['one', 'two']);
        res.end(JSON.stringify({ data: { n: seen.length } }));
      }, delayMs);
    });
  });
  server.on('connection', (socket: { campusId?: number }) => (socket.campusId = ++sockets));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

let fetcher: SubgraphFetcher;

beforeEach(() => {
  seen.length = 0;
  delayMs = 50;
});

afterEach(async () => {
  await fetcher.close();
});

const call = (authorization: string, query: string, extra: Record<string, string> = {}) =>
  fetcher.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization, ...extra },
    body: JSON.stringify({ query, variables: {} }),
  });

test("one caller's identical queries in flight share a single subgraph call; each gets its own parsed body", async () => {
  fetcher = createSubgraphFetcher(url, { timeoutMs: 10_000, connections: 4, deduplicate: true });
  const responses = await Promise.all(Array.from({ length: 5 }, () => call('Bearer a', '{ me { id } }')));
  expect(seen).toHaveLength(1);
  expect(fetcher.deduplicated).toBe(4);
  const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ data: { n: number } }>));
  expect(bodies.map((b) => b.data.n)).toEqual([1, 1, 1, 1, 1]);
  bodies[0]!.data.n = 99; // one caller changing its result changes nobody else's
  expect(bodies[1]!.data.n).toBe(1);
  expect(responses.every((r) => r.ok && r.status === 200)).toBe(true);
  expect(responses[0]!.headers.get('content-type')).toBe('application/json');
});

test('different callers, different queries and mutations are never merged', async () => {
  fetcher = createSubgraphFetcher(url, { timeoutMs: 10_000, connections: 4, deduplicate: true });
  await Promise.all([
    call('Bearer a', '{ me { id } }'),
    call('Bearer b', '{ me { id } }'), // another user: their own call
    call('Bearer a', '{ me { fullName } }'), // another query
    call('Bearer a', 'mutation { markAllNotificationsRead { markedCount } }'),
    call('Bearer a', 'mutation { markAllNotificationsRead { markedCount } }'), // a write twice is two writes
  ]);
  expect(seen).toHaveLength(5);
  expect(seen.filter((s) => s.authorization === 'Bearer b')).toHaveLength(1);
  expect(seen.filter((s) => s.body.includes('mutation'))).toHaveLength(2);
  expect(fetcher.deduplicated).toBe(0);
});

test("one caller's different queries in flight at once: each distinct query is one call, its repeats share it", async () => {
  fetcher = createSubgraphFetcher(url, { timeoutMs: 10_000, connections: 4, deduplicate: true });
  const queries = ['{ me { id } }', '{ me { fullName } }', '{ me { id } }', '{ me { roles } }', '{ me { fullName } }'];
  const responses = await Promise.all(queries.map((query) => call('Bearer a', query)));
  expect(seen.map((s) => JSON.parse(s.body).query as string).sort()).toEqual(
    ['{ me { fullName } }', '{ me { id } }', '{ me { roles } }'].sort(),
  );
  expect(fetcher.deduplicated).toBe(2);
  const numbers = await Promise.all(responses.map(async (r) => ((await r.json()) as { data: { n: number } }).data.n));
  expect(numbers[2]).toBe(numbers[0]); // the repeats got the first call's answer
  expect(numbers[4]).toBe(numbers[1]);
  // all of them answered: nothing of this caller is left to merge with
  await call('Bearer a', '{ me { id } }');
  expect(seen).toHaveLength(4);
});

test('a query after the first one answered is a new call (only calls in flight are shared)', async () => {
  fetcher = createSubgraphFetcher(url, { timeoutMs: 10_000, connections: 4, deduplicate: true });
  await call('Bearer a', '{ me { id } }');
  await call('Bearer a', '{ me { id } }');
  expect(seen).toHaveLength(2);
});

test('with deduplication off every call reaches the subgraph', async () => {
  fetcher = createSubgraphFetcher(url, { timeoutMs: 10_000, connections: 4, deduplicate: false });
  await Promise.all(Array.from({ length: 3 }, () => call('Bearer a', '{ me { id } }')));
  expect(seen).toHaveLength(3);
});

test('connections are kept alive and bounded; the forwarded traceparent goes through when tracing is off', async () => {
  fetcher = createSubgraphFetcher(url, { timeoutMs: 10_000, connections: 2, deduplicate: false });
  const before = sockets;
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  for (let round = 0; round < 3; round++)
    await Promise.all(Array.from({ length: 6 }, (_, i) => call(`Bearer ${i}`, '{ me { id } }', { traceparent })));
  expect(seen).toHaveLength(18);
  expect(sockets - before).toBeLessThanOrEqual(2); // 18 calls over at most 2 connections
  expect(new Set(seen.map((s) => s.traceparent))).toEqual(new Set([traceparent]));
});

test("a call whose answer has not begun within the subgraph's timeout fails with undici's HeadersTimeoutError", async () => {
  fetcher = createSubgraphFetcher(url, { timeoutMs: 100, connections: 2, deduplicate: true });
  delayMs = 5_000; // far past the deadline, so a loaded CI machine cannot blur the two
  const started = Date.now();
  const error = await call('Bearer a', '{ slow }').then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error?.name).toBe('HeadersTimeoutError');
  // undici's coarse timers fire within ~1 s of the deadline, seconds before the answer
  expect(Date.now() - started).toBeLessThan(delayMs);
  delayMs = 50;
  await expect(call('Bearer a', '{ me { id } }')).resolves.toMatchObject({ ok: true }); // the pool serves on
});

test('a call aborted by its own signal fails with a TimeoutError or AbortError', async () => {
  fetcher = createSubgraphFetcher(url, { timeoutMs: 10_000, connections: 2, deduplicate: true });
  delayMs = 500;
  const error = await fetcher
    .fetch(url, {
      method: 'POST',
      headers: { authorization: 'Bearer a' },
      body: '{"query":"{ slow }"}',
      signal: AbortSignal.timeout(50),
    })
    .then(
      () => undefined,
      (e: unknown) => e as Error,
    );
  expect(error?.name).toMatch(/TimeoutError|AbortError/);
});

test("an answer's headers read as a WHATWG Headers object would read them", async () => {
  fetcher = createSubgraphFetcher(url, { timeoutMs: 10_000, connections: 2, deduplicate: true });
  const response = await call('Bearer a', '{ me { id } }');
  const expected = new Headers({ 'content-type': 'application/json', 'x-seen': 'one, two' });
  expect(response.headers.get('Content-Type')).toBe('application/json');
  expect(response.headers.get('x-seen')).toBe(expected.get('x-seen'));
  expect(response.headers.get('x-absent')).toBeNull();
  expect(response.headers.has('X-SEEN')).toBe(true);
  expect(response.headers.has('x-absent')).toBe(false);
  const entries = Object.fromEntries(response.headers);
  expect(entries).toMatchObject({ 'content-type': 'application/json', 'x-seen': 'one, two' });
  expect(Array.from(response.headers, ([name]) => name)).toEqual(Object.keys(entries));
  response.headers.set('x-seen', 'three');
  response.headers.delete('content-type');
  expect(response.headers.get('x-seen')).toBe('three');
  expect(response.headers.has('content-type')).toBe(false);
});
