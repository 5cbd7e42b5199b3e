import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { sha256Hex } from '@campus/platform';
import type { JwksServer } from '@campus/testkit';
import { CLIENT_ADDRESS_HEADER } from '../../src/context';
import { startRouterPair, type TestRouter, signedInEducator } from '../support/router';
import { startPeopleSubgraphs, type PeopleSubgraphs } from '../support/people';
import type { TestSubgraph } from '../support/subgraph';

// A query or mutation Apollo Server accepted once is answered again without its request pipeline
// (direct-queries.ts). Proven against Apollo's own path: two routers over the same subgraphs, one
// with ROUTER_DIRECT_QUERIES=false, must answer every request with the same status, headers and
// bytes; the first request of a text is Apollo's on both, the second skips Apollo only where the
// direct path may take it.

const TRACE_IDS = /[0-9a-f]{32}/g;
const APOLLO_ONLY = { ROUTER_DIRECT_QUERIES: 'false' };

let jwks: JwksServer;
let token: string;
let subgraphs: TestSubgraph[];
let people: PeopleSubgraphs;
let direct: TestRouter;
let apolloOnly: TestRouter;

beforeAll(async () => {
  ({ jwks, token } = await signedInEducator());
  people = await startPeopleSubgraphs();
  subgraphs = people.subgraphs;
  const env = {
    AUTH_JWKS_URL: jwks.url,
    SUBGRAPH_TIMEOUT_MS: '500',
    // One call at a time to rooms, none waiting: a second caller is refused OVERLOADED.
    SUBGRAPH_ROOMS_MAX_CONCURRENCY: '1',
    SUBGRAPH_QUEUE_WAIT_MS: '0',
    METRICS_OPERATION_NAMES: 'Pair',
  };
  [direct, apolloOnly] = await startRouterPair(subgraphs, env, APOLLO_ONLY);
});

afterAll(async () => {
  await Promise.all([direct?.close(), apolloOnly?.close()]);
  await Promise.all([...(subgraphs ?? []).map((s) => s.stop()), jwks?.stop()]);
});

interface Asked {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  text: string;
  /** Whether Apollo Server's request pipeline answered it. */
  byApollo: boolean;
}

async function ask(router: TestRouter, body: object, headers: Record<string, string> = {}): Promise<Asked> {
  const pipeline = jest.spyOn(ApolloServer.prototype, 'executeHTTPGraphQLRequest');
  try {
    const res = await fetch(`${router.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      retryAfter: res.headers.get('retry-after'),
      // Trace ids differ from request to request; everything else must be equal.
      text: (await res.text()).replace(TRACE_IDS, '<trace>'),
      // The subgraphs are Apollo Servers in this process too: their requests come from the router,
      // with the caller's address header it sets.
      byApollo: pipeline.mock.calls.some(
        ([{ httpGraphQLRequest }]) => !httpGraphQLRequest.headers.has(CLIENT_ADDRESS_HEADER),
      ),
    };
  } finally {
    pipeline.mockRestore();
  }
}

/** Asks both routers twice; returns the second answers (the first taught the direct router the text). */
async function askTwice(body: object, headers: Record<string, string> = {}) {
  for (const router of [direct, apolloOnly]) expect((await ask(router, body, headers)).byApollo).toBe(true);
  return { actual: await ask(direct, body, headers), expected: await ask(apolloOnly, body, headers) };
}

const taken = true;
const apollos = false;

it.each([
  ['a list of objects', { query: '{ people { id name age } }' }, taken],
  ['an entity joined from another subgraph', { query: '{ people { id name room } }' }, taken],
  ['two subgraphs side by side', { query: '{ roomCount people(size: 1) { id } }' }, taken],
  [
    'a named operation of several, variables, fragments',
    {
      query:
        'query One($id: ID!) { person(id: $id) { ...Who room } } query Two { roomCount } fragment Who on Person { id name }',
      variables: { id: 'p1' },
      operationName: 'One',
    },
    taken,
  ],
  [
    'the other operation of the same text',
    { query: 'query One { roomCount } query Two { people { id } }', operationName: 'Two' },
    taken,
  ],
  ['a null answer', { query: '{ person(id: "nobody") { id } }' }, taken],
  ['an error with a nullable field', { query: '{ failing { id } }' }, taken],
  ['a null in a non-null field (data: null)', { query: '{ strict { id } }' }, taken],
  ['an error inside a list, with its path', { query: '{ partly { id risky } }' }, taken],
  ['a subgraph that does not answer in time', { query: '{ slow }' }, taken],
  [
    'variables that do not coerce (400)',
    { query: 'query P($n: Int) { people(size: $n) { id } }', variables: { n: 'x' } },
    apollos,
  ],
  ['an unknown operation name (400)', { query: 'query A { roomCount }', operationName: 'B' }, apollos],
  ['an invalid document (400)', { query: '{ people { nope } }' }, apollos],
  ['introspection', { query: '{ __schema { queryType { name } } }' }, apollos],
  ['extensions beside the query', { query: '{ roomCount }', extensions: { client: 'x' } }, apollos],
] as const)('%s: the same answer either way', async (_label, body, viaDirect) => {
  const { actual, expected } = await askTwice(body);
  expect(actual).toEqual({ ...expected, byApollo: !viaDirect });
  expect(expected.byApollo).toBe(true);
});

// A mutation is taken too, and must run once per request whichever path answers it: no answer of
// the direct path may hand a mutation to Apollo after a subgraph could have run it. askTwice sends
// four requests; `runs` is how many of them reach the mutation's resolver.
it.each([
  ['a mutation', { query: 'mutation { rename(id: "p2", name: "Борис") { id name } }' }, taken, 4],
  [
    'a mutation joined with another subgraph, with variables',
    {
      query: 'mutation Rename($id: ID!, $name: String!) { rename(id: $id, name: $name) { id name room } }',
      variables: { id: 'p1', name: 'Аня' },
    },
    taken,
    4,
  ],
  [
    'a mutation whose non-null answer is null (data: null)',
    { query: 'mutation { rename(id: "nobody", name: "x") { id } }' },
    taken,
    4,
  ],
  [
    'a mutation whose subgraph does not answer in time',
    { query: 'mutation { renameSlowly(id: "p3", name: "y") { id } }' },
    taken,
    4,
  ],
  [
    'a mutation whose variables do not coerce (400, before any call)',
    { query: 'mutation R($id: ID!) { rename(id: $id, name: "z") { id } }', variables: { id: null } },
    apollos,
    0,
  ],
  ['signing in (the sign-in limit counts each request)', { query: 'mutation { login(name: "anna") }' }, apollos, 0],
] as const)('%s: the same answer either way, each request run once', async (_label, body, viaDirect, runs) => {
  const before = people.renames;
  const { actual, expected } = await askTwice(body);
  expect(actual).toEqual({ ...expected, byApollo: !viaDirect });
  expect(people.renames - before).toBe(runs);
});

it.each([
  ['the project client’s Accept', 'application/graphql-response+json, application/json', taken],
  ['GraphQL over HTTP only', 'application/graphql-response+json', taken],
  ['JSON preferred, with a quality', 'application/graphql-response+json;q=0.5, application/json', taken],
  ['defer-capable clients', 'multipart/mixed;deferSpec=20220824, application/json', taken],
  ['neither JSON type (406)', 'text/html', apollos],
] as const)('%s: the same content type either way', async (label, accept, viaDirect) => {
  // A text of its own per case (the first ask teaches it).
  const { actual, expected } = await askTwice(
    { query: `query Accept { people { name room } } # ${label}` },
    { accept },
  );
  expect(actual).toEqual({ ...expected, byApollo: !viaDirect });
});

it('answers an anonymous caller directly only where it may ask (401 stays Apollo’s)', async () => {
  const anonymous = { authorization: '' };
  const denied = await askTwice({ query: '{ roomCount }' }, anonymous);
  expect(denied.actual).toEqual({ ...denied.expected, byApollo: true });
  expect(denied.actual.status).toBe(401);
  // The same text from a signed-in caller, now known, is taken; the anonymous one still is not.
  expect((await ask(direct, { query: '{ roomCount }' })).byApollo).toBe(false);
  expect((await ask(direct, { query: '{ roomCount }' }, anonymous)).status).toBe(401);
  const allowed = await askTwice({ query: '{ __typename }' }, anonymous);
  expect(allowed.actual).toEqual({ ...allowed.expected, byApollo: false });
});

it('answers 503 with Retry-After when shedding left the query without data, as Apollo does', async () => {
  const body = { query: 'query Rooms { roomCount }' };
  await askTwice(body); // known to the direct router
  const refused = async (router: TestRouter) => {
    const busy = fetch(`${router.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ busyRooms }' }),
    }); // holds rooms' one slot for 400 ms
    await new Promise((resolve) => setTimeout(resolve, 100));
    const answer = await ask(router, body);
    await busy;
    return answer;
  };
  const actual = await refused(direct);
  const expected = await refused(apolloOnly);
  expect(actual).toEqual({ ...expected, byApollo: false });
  expect(actual.status).toBe(503);
  expect(actual.retryAfter).toBe('1');
  expect(JSON.parse(actual.text)).toMatchObject({ errors: [{ extensions: { code: 'OVERLOADED' } }] });
});

it('forwards the caller and the trace to the subgraphs, and counts the operation', async () => {
  const body = { query: 'query Pair { roomCount people(size: 1) { id } }' };
  const counted = async () => {
    const text = await (await fetch(`${direct.metricsUrl}/metrics`)).text();
    const line = text.split('\n').find((l) => /^campus_requests_total\{.*operation="Pair".*outcome="ok"/.test(l));
    return Number(line?.split(' ').at(-1) ?? 0);
  };
  const before = await counted();
  await askTwice(body);
  const res = await fetch(`${direct.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  const rooms = subgraphs[1]!;
  expect(rooms.lastHeaders.authorization).toBe(`Bearer ${token}`);
  expect(rooms.lastHeaders.traceparent).toContain(res.headers.get('x-trace-id'));
  expect(await counted()).toBe(before + 3);
});

describe('trusted documents only (ONLY_PERSISTED_OPERATIONS=true)', () => {
  const trusted = 'query Trusted { people { id name room } }';
  const id = `sha256:${sha256Hex(trusted)}`;
  let folder: string;
  let enforcing: TestRouter;
  let enforcingApolloOnly: TestRouter;

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'router-direct-'));
    const manifestFile = path.join(folder, 'persisted-operations.json');
    fs.writeFileSync(manifestFile, JSON.stringify({ [id]: trusted }));
    const env = { AUTH_JWKS_URL: jwks.url, PERSISTED_OPERATIONS_FILE: manifestFile, ONLY_PERSISTED_OPERATIONS: 'true' };
    [enforcing, enforcingApolloOnly] = await startRouterPair(subgraphs, env, APOLLO_ONLY);
  });

  afterAll(async () => {
    await Promise.all([enforcing?.close(), enforcingApolloOnly?.close()]);
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  const twice = async (body: object) => {
    for (const router of [enforcing, enforcingApolloOnly]) expect((await ask(router, body)).byApollo).toBe(true);
    return { actual: await ask(enforcing, body), expected: await ask(enforcingApolloOnly, body) };
  };

  it('answers a trusted document sent by its id directly, the same bytes as Apollo', async () => {
    const { actual, expected } = await twice({ documentId: id, operationName: 'Trusted' });
    expect(actual).toEqual({ ...expected, byApollo: false });
    expect(JSON.parse(actual.text)).toMatchObject({ data: { people: [{ id: 'p1', room: '101' }, {}, {}] } });
    // Its text, now known, too (the manifest holds it).
    expect(await ask(enforcing, { query: trusted, operationName: 'Trusted' })).toMatchObject({ byApollo: false });
  });

  it.each([
    ['a text the manifest does not hold', { query: '{ roomCount }' }],
    ['an unknown id', { documentId: `sha256:${'0'.repeat(64)}` }],
    ['an id beside a text', { documentId: id, query: trusted }],
  ])('leaves %s to Apollo, however often it comes (400)', async (_label, body) => {
    const { actual, expected } = await twice(body);
    expect(actual).toEqual({ ...expected, byApollo: true });
    expect(actual.status).toBe(400);
  });
});
