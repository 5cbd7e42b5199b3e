import type { JwksServer } from '@campus/testkit';
import { startRouterPair, type TestRouter, signedInEducator } from '../support/router';
import { startPeopleSubgraphs, type PeopleSubgraphs } from '../support/people';
import type { TestSubgraph } from '../support/subgraph';

// A plan of one fetch whose subgraph operation has the client's shape is answered with the
// subgraph's data as is (single-fetch.ts). Proven against the gateway's own path: two routers over
// the same subgraphs, one with SINGLE_FETCH_SHORTCUT=false, must answer every operation with the
// same bytes, and the gateway's result shaping (computeResponse) must run only where it has to.
// An answer of data alone is not even parsed: its text goes into the client's answer as it came.

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object the gateway calls through, to count its calls
const resultShaping = require('@apollo/gateway/dist/resultShaping') as {
  computeResponse: (...args: unknown[]) => unknown;
};

const TRACE_IDS = /[0-9a-f]{32}/g;

let jwks: JwksServer;
let token: string;
let people: PeopleSubgraphs;
let subgraphs: TestSubgraph[];
let direct: TestRouter;
let shaped: TestRouter;

beforeAll(async () => {
  ({ jwks, token } = await signedInEducator());
  people = await startPeopleSubgraphs();
  subgraphs = people.subgraphs;
  const env = { AUTH_JWKS_URL: jwks.url, SUBGRAPH_TIMEOUT_MS: '500' };
  [direct, shaped] = await startRouterPair(subgraphs, env, { SINGLE_FETCH_SHORTCUT: 'false' });
});

afterAll(async () => {
  await Promise.all([direct?.close(), shaped?.close()]);
  await Promise.all([...(subgraphs ?? []).map((s) => s.stop()), jwks?.stop()]);
});

interface Asked {
  status: number;
  text: string;
  shapings: number;
  /** Subgraph answers (`{"data":…`) parsed in the router, including SubgraphData parsed late. */
  answersParsed: number;
}

async function ask(router: TestRouter, body: object): Promise<Asked> {
  const spy = jest.spyOn(resultShaping, 'computeResponse');
  const parse = jest.spyOn(JSON, 'parse');
  try {
    const res = await fetch(`${router.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    // Trace ids differ from request to request; everything else must be equal.
    return {
      status: res.status,
      text: (await res.text()).replace(TRACE_IDS, '<trace>'),
      shapings: spy.mock.calls.length,
      answersParsed: parse.mock.calls.filter(([text]) => typeof text === 'string' && text.startsWith('{"data":'))
        .length,
    };
  } finally {
    spy.mockRestore();
    parse.mockRestore();
  }
}

const shortcut = true;
const gatewayPath = false;

it.each([
  ['a list of objects', { query: '{ people { id name age } }' }, shortcut],
  [
    'aliases, a default and a given argument',
    { query: '{ a: people(size: 1) { id } b: people { name id } }' },
    shortcut,
  ],
  [
    'named and inline fragments of the same type, variables, nesting',
    {
      query:
        'query One($id: ID!) { person(id: $id) { ...Who friends { ... on Person { name } nickname } } } fragment Who on Person { id name }',
      variables: { id: 'p1' },
      operationName: 'One',
    },
    shortcut,
  ],
  [
    'a field selected twice with different subfields',
    { query: '{ person(id: "p3") { friends { id } friends { name } } }' },
    shortcut,
  ],
  ['null answers', { query: '{ person(id: "nobody") { id } }' }, shortcut],
  ['__typename on an object', { query: '{ people { __typename id } }' }, shortcut],
  ['@include', { query: '{ people { id nickname @include(if: true) age @skip(if: true) } }' }, gatewayPath],
  ['a union', { query: '{ search { ... on Person { name } ... on Pet { species } } }' }, gatewayPath],
  ['an interface', { query: '{ named { name } }' }, gatewayPath],
  ['an entity joined from another subgraph', { query: '{ people { id name room } }' }, gatewayPath],
  ['two subgraphs side by side', { query: '{ roomCount people { id } }' }, gatewayPath],
  ['an error with a nullable field', { query: '{ failing { id } }' }, gatewayPath],
  ['a null in a non-null field (data: null)', { query: '{ strict { id } }' }, gatewayPath],
  ['an error inside a list, with its path', { query: '{ partly { id risky } }' }, gatewayPath],
  ['a subgraph that does not answer in time', { query: '{ slow }' }, gatewayPath],
  ['introspection beside a field', { query: '{ __typename people { id } }' }, gatewayPath],
] as const)('%s: the same answer either way', async (_label, body, viaShortcut) => {
  const expected = await ask(shaped, body);
  const actual = await ask(direct, body);
  expect(actual.status).toBe(expected.status);
  expect(actual.text).toBe(expected.text);
  expect(expected.shapings).toBe(1);
  // The shortcut skips the gateway's shaping only for an answer the subgraph gave whole.
  const answeredWhole = viaShortcut && !actual.text.includes('"errors"');
  expect(actual.shapings).toBe(answeredWhole ? 0 : 1);
  // ...and then with the text the subgraph sent, never parsed on the way
  if (answeredWhole)
    expect({ shortcut: actual.answersParsed, gateway: expected.answersParsed }).toEqual({ shortcut: 0, gateway: 1 });
  if (viaShortcut) expect(JSON.parse(actual.text)).toHaveProperty('data');
});

it('sends a mutation of one fetch once, and answers with its data', async () => {
  const body = { query: 'mutation { rename(id: "p2", name: "Борис") { id name } }' };
  const before = people.renames;
  const actual = await ask(direct, body);
  expect(people.renames).toBe(before + 1);
  expect(actual.shapings).toBe(0);
  expect(actual.answersParsed).toBe(0);
  expect(JSON.parse(actual.text)).toEqual({ data: { rename: { id: 'p2', name: 'Борис' } } });
  const expected = await ask(shaped, body);
  expect(actual.text).toBe(expected.text);
});

it('calls the subgraph once when its answer has errors (the gateway replays it)', async () => {
  const peopleSubgraph = subgraphs[0]!;
  const before = peopleSubgraph.requests;
  const actual = await ask(direct, { query: '{ partly { id risky } }' });
  expect(peopleSubgraph.requests).toBe(before + 1);
  const body = JSON.parse(actual.text) as { data: { partly: unknown[] }; errors: Array<{ path: unknown[] }> };
  expect(body.data.partly).toEqual([{ id: 'p1', risky: 'fine' }, null, { id: 'p3', risky: 'fine' }]);
  expect(body.errors.map((e) => e.path)).toEqual([['partly', 1, 'risky']]);
});
