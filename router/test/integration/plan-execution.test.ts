import fs from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { createLogger, sha256Hex } from '@campus/platform';
import type { JwksServer } from '@campus/testkit';
import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  context,
  trace,
  type Context,
  type ContextManager,
  type Span,
} from '@opentelemetry/api';
import { parse } from 'graphql';
import { gatewayModule } from '../../src/gateway-modules';
import { createPlanExecutor } from '../../src/plan-execution';
import { writeSupergraph } from '../support/compose';
import { startRouterPair, type TestRouter, signedInEducator } from '../support/router';
import { startSubgraph, type TestSubgraph } from '../support/subgraph';

// A known query's joins run in the router's plan executor (plan-execution.ts). Proven against the
// gateway's own executor: two routers over the same subgraphs, one with ROUTER_PLAN_EXECUTION=false,
// must answer every join with the same status and bytes and call the subgraphs as often; the
// gateway's executeQueryPlan must not run for a join that went well, and must run (with the answers
// received replayed to it, not asked again) for one that did not.

const STUDENTS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    students(size: Int = 4): [Student]!
    student(id: ID!): Student
  }

  type Student @key(fields: "id") {
    id: ID!
    name: String!
    friends: [Student!]!
  }
`);

const ROOMS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    roomCount: Int!
  }

  type Student @key(fields: "id") {
    id: ID!
    room: String
    floor: Int
    strictFloor: Int!
    slowRoom: String
    mentor: Student
  }
`);

const students = [
  { id: 's1', name: 'Анна' },
  { id: 's2', name: 'Boris "B"' },
  null,
  { id: 's3', name: 'Вера' },
  { id: 'ghost', name: 'Призрак' },
];
const named = students.filter((s) => s !== null);
const floorOf = (id: string) => {
  if (id === 's2') throw new Error('s2 has no floor');
  return id === 's1' ? 1 : 3;
};

const TRACE_IDS = /[0-9a-f]{32}/g;

let jwks: JwksServer;
let token: string;
let subgraphs: TestSubgraph[];
let routerExecutes: TestRouter;
let gatewayExecutes: TestRouter;

beforeAll(async () => {
  ({ jwks, token } = await signedInEducator());
  subgraphs = [
    await startSubgraph('students', STUDENTS, {
      Query: {
        students: (_: unknown, { size }: { size: number }) => students.slice(0, size),
        student: (_: unknown, { id }: { id: string }) => named.find((s) => s.id === id) ?? null,
      },
      Student: {
        __resolveReference: ({ id }: { id: string }) => named.find((s) => s.id === id) ?? null,
        friends: ({ id }: { id: string }) => named.filter((s) => s.id !== id && s.id !== 'ghost'),
      },
    }),
    await startSubgraph('rooms', ROOMS, {
      Query: { roomCount: () => 2 },
      Student: {
        // No such resident: the entity answers null.
        __resolveReference: ({ id }: { id: string }) => (id === 'ghost' ? null : { id }),
        room: ({ id }: { id: string }) => (id === 's3' ? null : `${id}-room`),
        floor: ({ id }: { id: string }) => floorOf(id),
        strictFloor: ({ id }: { id: string }) => floorOf(id),
        slowRoom: () => new Promise((resolve) => setTimeout(() => resolve('late'), 1_500)),
        mentor: ({ id }: { id: string }) => (id === 's1' ? { id: 's3' } : null),
      },
    }),
  ];
  [routerExecutes, gatewayExecutes] = await startRouterPair(
    subgraphs,
    { AUTH_JWKS_URL: jwks.url, SUBGRAPH_TIMEOUT_MS: '500' },
    { ROUTER_PLAN_EXECUTION: 'false' },
  );
});

afterAll(async () => {
  await Promise.all([routerExecutes?.close(), gatewayExecutes?.close()]);
  await Promise.all([...(subgraphs ?? []).map((s) => s.stop()), jwks?.stop()]);
});

interface Asked {
  status: number;
  text: string;
  /** Calls to each subgraph. */
  calls: number[];
  /** Runs of the gateway's executeQueryPlan. */
  gatewayRuns: number;
}

async function ask(router: TestRouter, body: object): Promise<Asked> {
  const before = subgraphs.map((s) => s.requests);
  const execution = gatewayModule<{ executeQueryPlan: (...args: unknown[]) => unknown }>('executeQueryPlan.js');
  const runs = jest.spyOn(execution as { executeQueryPlan: (...args: unknown[]) => unknown }, 'executeQueryPlan');
  try {
    const res = await fetch(`${router.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      text: (await res.text()).replace(TRACE_IDS, '<trace>'),
      calls: subgraphs.map((s, i) => s.requests - before[i]!),
      gatewayRuns: runs.mock.calls.length,
    };
  } finally {
    runs.mockRestore();
  }
}

/** The second answer of each router (the first taught the direct path the query). */
async function askBoth(body: object): Promise<{ actual: Asked; expected: Asked }> {
  await ask(routerExecutes, body);
  await ask(gatewayExecutes, body);
  return { actual: await ask(routerExecutes, body), expected: await ask(gatewayExecutes, body) };
}

/** Runs of the gateway's executeQueryPlan per answer: none, or once with the answers received replayed. */
const ranHere = 0;
const replayed = 1;

it.each([
  ['a list with a null joined to another subgraph', { query: '{ students { id name room } }' }, ranHere],
  ['lists in lists', { query: '{ students { name friends { name room } } }' }, ranHere],
  ['three hops (students → rooms → students)', { query: '{ students { room mentor { name room } } }' }, ranHere],
  [
    'two fetches from one subgraph side by side',
    { query: '{ students { room } student(id: "s1") { name room } roomCount }' },
    ranHere,
  ],
  [
    'variables in both fetches, aliases, fragments, __typename',
    {
      query:
        'query Q($n: Int, $id: ID!) { all: students(size: $n) { ...R __typename } one: student(id: $id) { where: room } } fragment R on Student { id where: room }',
      variables: { n: 2, id: 's3' },
      operationName: 'Q',
    },
    ranHere,
  ],
  [
    'an entity the other subgraph does not know (null)',
    { query: '{ student(id: "ghost") { id name room } }' },
    ranHere,
  ],
  ['nothing to join (an empty list)', { query: '{ students(size: 0) { id room } }' }, ranHere],
  [
    '@skip on a variable (a condition in the plan)',
    {
      query: 'query S($skip: Boolean!) { students { name room @skip(if: $skip) } }',
      variables: { skip: false },
      operationName: 'S',
    },
    ranHere,
  ],
  [
    '@include on a variable, false',
    {
      query: 'query I($with: Boolean!) { students { name room @include(if: $with) } }',
      variables: { with: false },
      operationName: 'I',
    },
    ranHere,
  ],
  ['an error in a nullable joined field, with its path', { query: '{ students { name floor } }' }, replayed],
  ['an error in a non-null joined field (nulls bubble up)', { query: '{ students { name strictFloor } }' }, replayed],
  ['a joined subgraph that does not answer in time', { query: '{ students { name slowRoom } }' }, replayed],
  ['an error in a middle hop, a later fetch still made', { query: '{ students { floor mentor { name } } }' }, replayed],
] as const)('%s: the same answer and subgraph calls either way', async (_label, body, gatewayRuns) => {
  const { actual, expected } = await askBoth(body);
  expect(actual.status).toBe(expected.status);
  expect(actual.text).toBe(expected.text);
  expect(actual.calls).toEqual(expected.calls);
  expect(actual.gatewayRuns).toBe(gatewayRuns);
  expect(expected.gatewayRuns).toBe(1);
});

it('runs a single-fetch plan in the gateway’s executeQueryPlan (where the single-fetch shortcut is)', async () => {
  const { actual, expected } = await askBoth({ query: '{ students { id name } }' });
  expect(actual.text).toBe(expected.text);
  expect(actual.gatewayRuns).toBe(1);
});

/** Enough of a context manager for a synchronous check: `with` makes a context active while fn runs. */
class StackContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;
  active = (): Context => this.current;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = ctx;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }
  bind = <T>(_ctx: Context, target: T): T => target;
  enable = (): this => this;
  disable = (): this => this;
}

it('leaves a request whose span is recorded to the gateway’s executor, so that trace keeps its spans', async () => {
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(
      writeSupergraph(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: s.typeDefs }))),
      'utf8',
    ),
  });
  await gateway.load();
  const executor = createPlanExecutor(gateway, createLogger('test', 'silent'));
  const query = '{ students { id room } }';
  const requestContext = {
    request: { query },
    document: parse(query),
    queryHash: sha256Hex(query),
    context: {},
    metrics: {},
  } as unknown as Parameters<ApolloGateway['executor']>[0];
  const recorded = { ...trace.wrapSpanContext(INVALID_SPAN_CONTEXT), isRecording: () => true } as Span;
  const manager = new StackContextManager();
  context.setGlobalContextManager(manager);
  try {
    const sampled = context.with(trace.setSpan(ROOT_CONTEXT, recorded), () => executor.execute({}, requestContext));
    expect(sampled).toBeUndefined();
    const unsampled = executor.execute({}, requestContext);
    expect(unsampled).toBeInstanceOf(Promise);
    await unsampled;
  } finally {
    context.disable();
    await gateway.stop();
  }
});
