import { serveJwks, testTokens, testUser, type JwksServer, type TestTokens } from '@campus/testkit';
import type { RequestHandler } from 'express';
import { postGraphQL, type RawGraphQLResponse } from '../support/http';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

/**
 * A subgraph that holds every GraphQL request for `delayMs` before answering, and records how many
 * it held at once: what a saturated service looks like from the router.
 */
async function startSlowSubgraph(name: string, delayMs: number) {
  const seen = { inFlight: 0, maxInFlight: 0, answered: 0 };
  const hold: RequestHandler = (_req, res, next) => {
    seen.inFlight++;
    seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
    res.on('finish', () => {
      seen.inFlight--;
      seen.answered++;
    });
    setTimeout(next, delayMs);
  };
  const subgraph = await startTestSubgraph(name, (app) => app.use('/graphql', hold));
  return { subgraph, seen };
}

let tokens: TestTokens;
let jwks: JwksServer;
let token: string;
const started: Array<TestRouter | TestSubgraph> = [];

beforeAll(async () => {
  tokens = await testTokens();
  jwks = await serveJwks(tokens.jwks);
  token = await tokens.tokenFor(testUser({ id: 'user-1', roles: ['educator'] }));
});

afterAll(async () => {
  for (const s of started.reverse()) await (('close' in s ? s.close() : s.stop()) as Promise<void>);
  await jwks?.stop();
});

async function setUp(delayMs: number, env: Record<string, string>) {
  const { subgraph, seen } = await startSlowSubgraph('slow', delayMs);
  started.push(subgraph);
  // One caller sends the same query many times at once: deduplication would merge those calls, and
  // this file counts what reaches the subgraph per operation (subgraph-fetcher.test.ts covers merging).
  const router = await startTestRouter([subgraph], {
    AUTH_JWKS_URL: jwks.url,
    SHUTDOWN_GRACE_MS: '100',
    SUBGRAPH_DEDUPLICATE: 'false',
    ...env,
  });
  started.push(router);
  return { subgraph, seen, router };
}

interface Answer {
  res: RawGraphQLResponse;
  ms: number;
}

/** `count` operations sent at once. */
function burst(router: TestRouter, count: number): Promise<Answer[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const startedAt = Date.now();
      const res = await postGraphQL(
        `${router.url}/graphql`,
        { query: '{ hello }' },
        { authorization: `Bearer ${token}` },
      );
      return { res, ms: Date.now() - startedAt };
    }),
  );
}

const codeOf = (a: Answer) => a.res.body.errors?.[0]?.extensions?.code ?? 'ok';

async function shedCount(router: TestRouter, subgraph: string): Promise<number> {
  const text = await (await fetch(`${router.metricsUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('campus_router_subgraph_shed_total{') && l.includes(subgraph));
  return Number(line?.split(' ').pop() ?? Number.NaN);
}

it('refuses what exceeds a subgraph limit as OVERLOADED with Retry-After, serves the rest, never INTERNAL_ERROR', async () => {
  const { router, seen, subgraph } = await setUp(1_500, {
    SUBGRAPH_MAX_CONCURRENCY: '64',
    SUBGRAPH_SLOW_MAX_CONCURRENCY: '2',
    SUBGRAPH_QUEUE_WAIT_MS: '100',
  });
  const answers = await burst(router, 10);

  const ok = answers.filter((a) => codeOf(a) === 'ok');
  const shed = answers.filter((a) => codeOf(a) === 'OVERLOADED');
  expect(ok.length + shed.length).toBe(10); // nothing else: no INTERNAL_ERROR, no UNAVAILABLE
  expect(ok.length).toBeGreaterThanOrEqual(2);
  expect(shed.length).toBeGreaterThanOrEqual(1);
  for (const a of ok) expect(a.res).toMatchObject({ status: 200, body: { data: { hello: 'world' } } });
  for (const a of shed) {
    expect(a.res.status).toBe(503); // the whole operation was refused
    expect(a.res.headers.get('retry-after')).toBe('1');
    expect(a.res.body.data ?? null).toBeNull();
    expect(a.res.body.errors?.[0]).toMatchObject({
      message: 'The slow service is busy; retry in 1 s',
      extensions: { code: 'OVERLOADED', details: { service: 'slow', retryable: true, retryAfterSeconds: 1 } },
    });
    // Refused after at most the short wait, not after queueing behind the 1.5 s requests.
    expect(a.ms).toBeLessThan(1_500);
  }
  // The subgraph never had more than its limit, and got none of the refused requests.
  expect(seen.maxInFlight).toBeLessThanOrEqual(2);
  expect(subgraph.requests).toBe(ok.length);
  expect(await shedCount(router, 'slow')).toBe(shed.length);
});

it('serves waiting requests in turn when slots come free within the wait', async () => {
  const { router, seen } = await setUp(150, {
    SUBGRAPH_MAX_CONCURRENCY: '1',
    SUBGRAPH_MAX_QUEUE: '10',
    SUBGRAPH_QUEUE_WAIT_MS: '5000',
  });
  const answers = await burst(router, 4);
  expect(answers.map(codeOf)).toEqual(['ok', 'ok', 'ok', 'ok']);
  expect(seen.maxInFlight).toBe(1);
  expect(await shedCount(router, 'slow')).toBe(0);
});

it('refuses at once, without waiting, when the queue is full', async () => {
  const { router, seen } = await setUp(1_000, {
    SUBGRAPH_MAX_CONCURRENCY: '1',
    SUBGRAPH_MAX_QUEUE: '1',
    SUBGRAPH_QUEUE_WAIT_MS: '5000',
  });
  const answers = await burst(router, 6);
  const shed = answers.filter((a) => codeOf(a) === 'OVERLOADED');
  expect(answers.filter((a) => codeOf(a) === 'ok').length + shed.length).toBe(6);
  expect(shed.length).toBeGreaterThanOrEqual(1);
  // A full queue refuses at once: none of these waited out the 5 s.
  for (const a of shed) expect(a.ms).toBeLessThan(4_000);
  expect(seen.maxInFlight).toBe(1);
});
