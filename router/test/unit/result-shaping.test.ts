import { buildSchema, operationFromDocument } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { computeResponse, memoisedOperationFromDocument } from '../../src/result-shaping';

// The router's result shaping must answer exactly as the gateway's own: same data (same keys in
// the same order), same errors, for every rule of it — nulls bubbling up, invalid leaves and
// __typenames, fragments on interfaces and unions, @skip/@include, aliases, merged selections.

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the gateway's own, to compare with
const apollo = require('@apollo/gateway/dist/resultShaping') as { computeResponse: typeof computeResponse };

const schema = buildSchema(`
  type Query {
    rooms: [Room!]!
    maybeRooms: [Room]
    room(id: ID!): Room
    strict: Room!
    search: [Result!]!
    named: [Named]!
    count: Int
    toString: String
  }
  interface Named { name: String! }
  union Result = Room | Person
  enum Status { OPEN CLOSED }
  type Room implements Named { id: ID! name: String! number: Int residents: [Person!]! status: Status }
  type Person implements Named { id: ID! name: String! age: Int }
`);

const anna = { __typename: 'Person', id: 'p1', name: 'Анна', age: 16 };
const boris = { __typename: 'Person', id: 'p2', name: 'Boris', age: null };
const room = (id: string, residents: unknown[], extra: object = {}) => ({
  __typename: 'Room',
  id,
  name: `Room ${id}`,
  number: 100,
  residents,
  status: 'OPEN',
  ...extra,
});

// Every row has its variables: jest takes a test function's extra parameter for a `done` callback.
const cases: Array<[string, string, unknown, Record<string, unknown>]> = [
  [
    'nested lists, aliases, a named fragment, __typename',
    '{ rooms { __typename id n: name residents { ...P kind: __typename } } } fragment P on Person { name age }',
    { rooms: [room('r1', [anna, boris]), room('r2', [])] },
    {},
  ],
  [
    'a null where a list forbids it bubbles up to data',
    '{ rooms { id residents { name } } }',
    { rooms: [room('r1', [anna, null])] },
    {},
  ],
  [
    'a null in a nullable list element stays there',
    '{ maybeRooms { id residents { name } } }',
    { maybeRooms: [room('r1', [anna, null]), room('r2', [boris])] },
    {},
  ],
  ['a missing non-null field', '{ rooms { id name } }', { rooms: [{ __typename: 'Room', id: 'r1' }] }, {}],
  [
    'invalid leaves: a string for an Int, an unknown enum value, a number for an ID',
    '{ rooms { id number status } count }',
    { rooms: [room('r1', [], { number: 'abc', status: 'WRONG' }), room('r2', [], { id: 12.5 })], count: 3 },
    {},
  ],
  ['an unknown __typename', '{ room(id: "x") { id name } }', { room: { __typename: 'Nope', id: 'x', name: 'n' } }, {}],
  ['a non-null root field that is null', '{ strict { id } count }', { strict: null, count: 1 }, {}],
  [
    'inline fragments on a union and an interface',
    '{ search { __typename ... on Room { id number } ... on Named { name } ... on Person { age } } named { name ... on Room { id } } }',
    { search: [room('r1', []), anna], named: [boris, null, room('r3', [])] },
    {},
  ],
  [
    '@skip and @include, by literal, variable and default',
    'query Q($show: Boolean!, $hide: Boolean = true) { rooms { id @skip(if: $hide) name @include(if: $show) number @include(if: false) residents @skip(if: false) { name } } }',
    { rooms: [room('r1', [anna])] },
    { show: true },
  ],
  [
    'the same field selected twice, merged',
    '{ rooms { id residents { name } } rooms { name residents { age } } }',
    { rooms: [room('r1', [anna, boris])] },
    {},
  ],
  [
    'a response name Object.prototype has',
    '{ toString count valueOf: count }',
    { toString: 'mine', count: 2, valueOf: 2 },
    {},
  ],
  [
    'missing fields are null',
    '{ rooms { id number } room(id: "y") { id } }',
    { rooms: [{ __typename: 'Room', id: 'r1' }] },
    {},
  ],
  [
    '__typename without one in the answer',
    '{ room(id: "z") { __typename t: __typename id } }',
    { room: { id: 'z' } },
    {},
  ],
];

it.each(cases)('%s: the same answer as the gateway', (_name, query, input, variables) => {
  const operation = operationFromDocument(schema, parse(query));
  const shape = (fn: typeof computeResponse) => {
    const { data, errors } = fn({
      operation,
      variables,
      input: structuredClone(input) as Record<string, unknown>,
      introspectionHandling: () => ({ introspected: true }),
    });
    return { data: JSON.stringify(data), errors: errors.map((e) => ({ message: e.message, path: e.path })) };
  };
  const ours = shape(computeResponse);
  expect(ours).toEqual(shape(apollo.computeResponse));
  expect(ours.data).not.toBe(undefined);
});

it('introspection fields are answered by the handler, once', () => {
  const operation = operationFromDocument(schema, parse('{ __schema { queryType { name } } count }'));
  const handled: string[] = [];
  const { data } = computeResponse({
    operation,
    input: { count: 1 },
    introspectionHandling: (selection) => {
      handled.push(selection.element.name);
      return { queryType: { name: 'Query' } };
    },
  });
  expect(handled).toEqual(['__schema']);
  expect(JSON.stringify(data)).toBe('{"__schema":{"queryType":{"name":"Query"}},"count":1}');
});

it('output objects have no inherited keys', () => {
  const operation = operationFromDocument(schema, parse('{ room(id: "r") { id } }'));
  const { data } = computeResponse({ operation, input: { room: { id: 'r' } }, introspectionHandling: () => null });
  const shaped = data!.room as Record<string, unknown>;
  expect(shaped.toString).toBeUndefined();
  expect('hasOwnProperty' in shaped).toBe(false);
  expect(Object.keys(shaped)).toEqual(['id']);
});

describe('the operation executeQueryPlan shapes by, built once per document', () => {
  const built: string[] = [];
  const counting: typeof operationFromDocument = (s, document, options) => {
    built.push(options?.validate === false ? 'unvalidated' : 'validated');
    return operationFromDocument(s, document, options);
  };
  let memoised = memoisedOperationFromDocument(counting);
  // What executeQueryPlan passes: a new document each request around the same cached nodes.
  const cached = parse('query Rooms { rooms { ...R } } fragment R on Room { id residents { name } }');
  const [operationNode, fragmentNode] = cached.definitions;
  const perRequest = () => ({ kind: cached.kind, definitions: [operationNode!, fragmentNode!] });
  beforeEach(() => {
    built.length = 0;
    memoised = memoisedOperationFromDocument(counting);
  });

  it('is built once for the same nodes and schema, and answers as one built anew', () => {
    const first = memoised(schema, perRequest(), { validate: false });
    const second = memoised(schema, perRequest(), { validate: false });
    expect(second).toBe(first);
    expect(built).toEqual(['unvalidated']);
    const input = { rooms: [room('r1', [anna, boris])] };
    const shape = (operation: typeof first) =>
      JSON.stringify(
        computeResponse({ operation, input: structuredClone(input), introspectionHandling: () => null }).data,
      );
    expect(shape(second)).toBe(shape(operationFromDocument(schema, cached)));
  });

  it('is built anew for another schema, other nodes, or other fragments', () => {
    const first = memoised(schema, perRequest(), { validate: false });
    const otherSchema = buildSchema(`
      type Query { rooms: [Room!]! }
      type Room { id: ID! residents: [Person!]! }
      type Person { name: String! }
    `);
    expect(memoised(otherSchema, perRequest(), { validate: false })).not.toBe(first);
    const reparsed = parse('query Rooms { rooms { ...R } } fragment R on Room { id residents { name } }');
    expect(memoised(schema, reparsed, { validate: false })).not.toBe(first);
    const otherFragment = parse('fragment R on Room { id }').definitions[0]!;
    expect(
      memoised(schema, { kind: cached.kind, definitions: [operationNode!, otherFragment] }, { validate: false }),
    ).not.toBe(first);
    expect(built).toEqual(['unvalidated', 'unvalidated', 'unvalidated', 'unvalidated']);
  });

  it("leaves the planner's calls (validated, by operation name) to the original every time", () => {
    memoised(schema, cached, { operationName: 'Rooms' });
    memoised(schema, cached, { operationName: 'Rooms' });
    memoised(schema, cached);
    expect(built).toEqual(['validated', 'validated', 'validated']);
  });
});
