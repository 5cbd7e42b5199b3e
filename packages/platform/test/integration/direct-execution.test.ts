import type { IncomingMessage } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import pino from 'pino';
import { DomainError } from '../../src/errors';
import { directExecution } from '../../src/graphql/direct-execution';
import { formatGraphQLError } from '../../src/graphql/errors';
import type { Resolvers } from '../../src/graphql/resolvers';
import type { BaseContext, RunningSubgraph } from '../../src/subgraph';
import { startTestSubgraph } from '../support/subgraph';

// A subgraph's operations answered without Apollo Server's pipeline (graphql/direct-execution.ts) must
// answer exactly what Apollo answers: every request below goes to a subgraph with the direct path
// and to one without, and the status, content type and body text must be the same.

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Query {
    user(id: ID!): User
    users(ids: [ID!]!): [User!]!
    fails(kind: String!): String
    mustHave: String!
    requestId: String
    echo(text: String): String
  }
  type Mutation { bump(by: Int): Int! }
  type User @key(fields: "id") { id: ID! name: String! friend: User }
`);

let bumps = 0;
const user = (id: string) => ({ id, name: `User ${id}` });
const resolvers = {
  Query: {
    user: (_: unknown, { id }: { id: string }) => (id === 'none' ? null : user(id)),
    users: (_: unknown, { ids }: { ids: string[] }) => ids.map(user),
    fails: (_: unknown, { kind }: { kind: string }) => {
      if (kind === 'domain') throw new DomainError('NOT_FOUND', 'NOT_FOUND', 'No such thing', { id: '7' });
      if (kind === 'graphql') throw new GraphQLError('Teapot', { extensions: { code: 'TEAPOT' } });
      if (kind === 'http')
        throw new GraphQLError('Brewing', {
          extensions: { code: 'TEAPOT', http: { status: 418, headers: new Map([['retry-after', '5']]) } },
        });
      if (kind === 'busy') throw Object.assign(new Error('remaining connection slots are reserved'), { code: '53300' });
      throw new Error('SELECT secret FROM users'); // an unexpected error: never shown
    },
    mustHave: () => {
      throw new Error('gone');
    },
    requestId: (_: unknown, __: unknown, ctx: BaseContext) => ctx.requestId,
    echo: (_: unknown, { text }: { text?: string }) => text ?? null,
  },
  Mutation: {
    bump: (_: unknown, { by }: { by?: number }) => {
      bumps += by ?? 1;
      return 1;
    },
  },
  User: {
    __resolveReference: ({ id }: { id: string }) => (id === 'broken' ? Promise.reject(new Error('db down')) : user(id)),
    friend: ({ id }: { id: string }) => user(`${id}-friend`),
  },
};

const logger = pino({ level: 'silent' });

const start = (graphqlDirectExecution: boolean): Promise<RunningSubgraph> =>
  startTestSubgraph({
    name: 'direct-test',
    typeDefs,
    resolvers,
    settings: { host: '127.0.0.1', httpPort: 0, grpcPort: 0, nodeEnv: 'development', graphqlDirectExecution },
  });

const post = async (port: number, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'req-1', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    retryAfter: res.headers.get('retry-after'),
    body: await res.text(),
  };
};

type Case = { name: string; body: Record<string, unknown>; headers?: Record<string, string>; direct: boolean };

const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id name friend { name } } } }';
const cases: Case[] = [
  {
    name: 'a named query with variables',
    body: { query: 'query U($id: ID!) { user(id: $id) { id name } }', variables: { id: '1' } },
    direct: true,
  },
  { name: 'a null answer', body: { query: '{ user(id: "none") { id } }' }, direct: true },
  { name: 'a list', body: { query: '{ users(ids: ["1", "2"]) { id friend { id name } } }' }, direct: true },
  {
    name: 'the operation a name picks',
    body: { query: 'query A { echo(text: "a") } query B { echo(text: "b") }', operationName: 'B' },
    direct: true,
  },
  {
    name: 'entities',
    body: {
      query: ENTITIES,
      variables: {
        r: [
          { __typename: 'User', id: '3' },
          { __typename: 'User', id: '4' },
        ],
      },
    },
    direct: true,
  },
  {
    name: 'an entity that fails beside one that does not',
    body: {
      query: ENTITIES,
      variables: {
        r: [
          { __typename: 'User', id: 'broken' },
          { __typename: 'User', id: '5' },
        ],
      },
    },
    direct: true,
  },
  { name: 'a domain error beside data', body: { query: '{ echo(text: "x") fails(kind: "domain") }' }, direct: true },
  { name: "a GraphQL error's own code", body: { query: '{ fails(kind: "graphql") }' }, direct: true },
  { name: 'an error setting the HTTP status and a header', body: { query: '{ fails(kind: "http") }' }, direct: true },
  { name: 'a busy database', body: { query: '{ fails(kind: "busy") }' }, direct: true },
  { name: 'an unexpected error', body: { query: '{ fails(kind: "bug") }' }, direct: true },
  { name: 'a non-null field failing', body: { query: '{ echo(text: "x") mustHave }' }, direct: true },
  { name: 'the request id from the context', body: { query: '{ requestId }' }, direct: true },
  {
    name: 'Accept: application/json',
    body: { query: '{ echo(text: "j") }' },
    headers: { accept: 'application/json' },
    direct: true,
  },
  {
    name: 'variables that do not coerce',
    body: { query: 'query ($id: ID!) { user(id: $id) { id } }', variables: { id: { no: 1 } } },
    direct: false,
  },
  { name: 'a missing variable', body: { query: 'query ($id: ID!) { user(id: $id) { id } }' }, direct: false },
  { name: 'a syntax error', body: { query: '{ user(id: "1") { id }' }, direct: false },
  { name: 'an unknown field', body: { query: '{ nope }' }, direct: false },
  {
    name: 'an operation name not in the document',
    body: { query: 'query A { echo }', operationName: 'Z' },
    direct: false,
  },
  { name: 'an operation name that is not a name', body: { query: '{ echo }', operationName: 'a\nb' }, direct: false },
  { name: 'two operations without a name', body: { query: 'query A { echo } query B { echo }' }, direct: false },
  {
    name: 'too deep',
    body: { query: `{ user(id: "1") { ${'friend { '.repeat(20)}id${' }'.repeat(20)} } }` },
    direct: false,
  },
  {
    name: 'unsafe text in a variable',
    body: { query: 'query ($t: String) { echo(text: $t) }', variables: { t: 'a\u0000b' } },
    direct: false,
  },
  { name: 'unsafe text in the document', body: { query: '{ echo(text: "a\\u0000b") }' }, direct: false },
  { name: 'the schema asked for', body: { query: '{ _service { sdl } }' }, direct: false },
  { name: 'a mutation', body: { query: 'mutation { bump }' }, direct: true },
  {
    name: 'a mutation whose variables do not coerce',
    body: { query: 'mutation ($n: Int!) { bump(by: $n) }', variables: { n: 'many' } },
    direct: false,
  },
  {
    name: 'an APQ extension',
    body: { query: '{ echo(text: "p") }', extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } },
    direct: false,
  },
  { name: 'variables that are not an object', body: { query: '{ echo }', variables: [1] }, direct: false },
  {
    name: 'Accept: graphql-response+json',
    body: { query: '{ echo(text: "g") }' },
    headers: { accept: 'application/graphql-response+json' },
    direct: false,
  },
];

describe('direct queries answer as Apollo Server does', () => {
  let direct: RunningSubgraph;
  let apollo: RunningSubgraph;
  beforeAll(async () => {
    [direct, apollo] = await Promise.all([start(true), start(false)]);
  });
  afterAll(() => Promise.all([direct.close(), apollo.close()]));

  it.each(cases)('$name: the same status, content type and body', async ({ body, headers }) => {
    const [viaDirect, viaApollo] = [
      await post(direct.httpPort, body, headers),
      await post(apollo.httpPort, body, headers),
    ];
    expect(viaDirect).toEqual(viaApollo);
    expect(viaDirect.body).not.toContain('secret');
  });

  it('answers each request a second time as the first (the document remembered)', async () => {
    for (const { body, headers } of cases.filter((c) => c.body.query !== 'mutation { bump }')) {
      expect(await post(direct.httpPort, body, headers)).toEqual(await post(apollo.httpPort, body, headers));
    }
  });

  it('runs a mutation once, and none that Apollo answers in its stead', async () => {
    const before = bumps;
    const answer = await post(direct.httpPort, { query: 'mutation { bump }' });
    expect(JSON.parse(answer.body)).toEqual({ data: { bump: 1 } });
    expect(bumps).toBe(before + 1);
    const refused = [
      await post(direct.httpPort, { query: 'mutation ($n: Int!) { bump(by: $n) }', variables: { n: 'many' } }),
      await post(direct.httpPort, { query: 'mutation { bump }' }, { authorization: 'Bearer not-a-token' }),
    ];
    expect(refused.map((r) => r.status)).toEqual([400, 401]);
    expect(bumps).toBe(before + 1);
  });

  it('takes the valid queries and mutations and leaves the rest to Apollo', async () => {
    // As startSubgraph builds it: the map typed for any context.
    const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as Resolvers<unknown> });
    const answered: string[] = [];
    const take = directExecution<BaseContext>({
      schema,
      validationRules: [],
      formatError: formatGraphQLError(logger),
      // As startSubgraph's: a request with a token this test cannot verify has no context.
      context: async (req) => {
        if (req.headers.authorization) throw new Error('no keys in this test');
        return { auth: null, logger, requestId: 'req-1' };
      },
      answered: ({ operation }) => answered.push(operation),
    });
    for (const { name, body, headers, direct: taken } of cases.filter((c) => c.name !== 'too deep')) {
      const req = { headers: headers ?? {} } as IncomingMessage;
      expect({ name, taken: (await take(req, body)) !== undefined }).toEqual({ name, taken });
    }
    expect(answered).toContain('U');
  });
});
