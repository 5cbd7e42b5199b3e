import { parse } from 'graphql';
import type { RunningSubgraph } from '../../src/subgraph';
import { startTestSubgraph } from '../support/subgraph';

// What every subgraph refuses at its own edge, whoever calls it: unsafe text, the router's cost
// limits, and (in production) schema introspection without the service token.

const typeDefs = parse(`
  type Query { echo(text: String, input: EchoInput): String node: Node }
  input EchoInput { reason: String, tags: [String!] }
  type Node { id: ID! child: Node }
`);
const resolvers = {
  Query: {
    echo: (_: unknown, args: { text?: string; input?: { reason?: string } }) => args.text ?? args.input?.reason ?? '',
    node: () => ({ id: '1' }),
  },
  Node: { child: () => ({ id: '1' }) },
};

const start = (nodeEnv: 'production' | 'development', serviceToken?: string): Promise<RunningSubgraph> =>
  startTestSubgraph({
    name: 'edge-test',
    typeDefs,
    resolvers,
    settings: { host: '127.0.0.1', httpPort: 0, grpcPort: 0, nodeEnv },
    serviceToken,
  });

const post = async (port: number, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as {
      data?: unknown;
      errors?: Array<{ extensions: { code: string; details: Record<string, unknown> } }>;
    },
  };
};

const nested = (depth: number) => `{ node ${'{ child '.repeat(depth - 2)}{ id }${' }'.repeat(depth - 2)} }`;

describe('subgraph edge (production)', () => {
  let subgraph: RunningSubgraph;
  beforeAll(async () => {
    subgraph = await start('production', 'the-service-token');
  });
  afterAll(() => subgraph.close());

  it('refuses a NUL or a lone surrogate in a variable with VALIDATION_ERROR naming the path', async () => {
    for (const bad of ['late\u0000night', 'half \ud800 pair', 'low \udc00 alone']) {
      const { status, body } = await post(subgraph.httpPort, {
        query: 'query($input: EchoInput) { echo(input: $input) }',
        variables: { input: { reason: bad } },
      });
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toEqual({
        code: 'VALIDATION_ERROR',
        details: { fields: { 'variables.input.reason': expect.any(String) } },
      });
    }
  });

  it('refuses unsafe text in list items and in string literals of the document', async () => {
    const inList = await post(subgraph.httpPort, {
      query: 'query($input: EchoInput) { echo(input: $input) }',
      variables: { input: { tags: ['ok', 'x\u0000'] } },
    });
    expect(inList.body.errors?.[0]?.extensions.details).toEqual({
      fields: { 'variables.input.tags.1': expect.any(String) },
    });
    // Twice: the second time Apollo hands over its cached document, whose walk is remembered.
    for (let i = 0; i < 2; i++) {
      const literal = await post(subgraph.httpPort, { query: '{ echo(text: "a\\u0000b") }' });
      expect(literal.status).toBe(400);
      expect(literal.body.errors?.[0]?.extensions).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { fields: { 'document.echo.text': expect.any(String) } },
      });
    }
  });

  it('accepts ordinary text, emoji (surrogate pairs) included', async () => {
    const { body } = await post(subgraph.httpPort, {
      query: 'query($t: String) { echo(text: $t) }',
      variables: { t: 'ok 🎓' },
    });
    expect(body).toEqual({ data: { echo: 'ok 🎓' } });
  });

  it('sends GraphQL answers without an ETag (nobody revalidates a POST; hashing each body cost CPU)', async () => {
    const { status, headers } = await post(subgraph.httpPort, { query: '{ echo(text: "x") }' });
    expect(status).toBe(200);
    expect(headers.get('etag')).toBeNull();
    expect(headers.get('content-type')).toMatch(/^application\/json/);
  });

  describe('the GraphQL POST path (without Express)', () => {
    const raw = (body: string, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${subgraph.httpPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });

    it('answers a malformed or non-object body 400 VALIDATION_ERROR, as Express’s body-parser did', async () => {
      for (const body of ['{"query":', '"{ echo }"', '42', '']) {
        const res = await raw(body);
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({
          error_code: 'VALIDATION_ERROR',
          message: 'The request body is not valid JSON',
          details: {},
        });
      }
    });

    it('answers a body over 1 MiB 413 PAYLOAD_TOO_LARGE, and serves on the same port afterwards', async () => {
      const large = await raw(JSON.stringify({ query: '{ echo }', variables: { t: 'x'.repeat(1024 * 1024) } }));
      expect(large.status).toBe(413);
      expect(await large.json()).toEqual({
        error_code: 'PAYLOAD_TOO_LARGE',
        message: 'The request body is too large',
        details: {},
      });
      const { body } = await post(subgraph.httpPort, { query: '{ echo(text: "after") }' });
      expect(body).toEqual({ data: { echo: 'after' } });
    });

    it('keeps a sane x-request-id, replaces an insane one, and takes charset=utf-8', async () => {
      const kept = await raw('{"query":"{ echo(text: \\"x\\") }"}', {
        'x-request-id': 'req-42',
        'content-type': 'application/json; charset=utf-8',
      });
      expect(kept.headers.get('x-request-id')).toBe('req-42');
      expect(await kept.json()).toEqual({ data: { echo: 'x' } });
      const replaced = await raw('{"query":"{ echo }"}', { 'x-request-id': 'no spaces allowed' });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('leaves other requests to Express: GET with a query string, another content type', async () => {
      const get = await fetch(
        `http://127.0.0.1:${subgraph.httpPort}/graphql?query=${encodeURIComponent('{ echo(text: "got") }')}`,
        { headers: { 'apollo-require-preflight': 'true' } },
      );
      expect(await get.json()).toEqual({ data: { echo: 'got' } });
      const text = await raw('{"query":"{ echo }"}', { 'content-type': 'text/plain' });
      expect(text.status).toBe(400); // Apollo's CSRF prevention, as before
    });
  });

  it('applies the router’s limits: 30 aliases, depth 12', async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: echo`).join(' ')} }`;
    expect((await post(subgraph.httpPort, { query: aliases(30) })).body.errors).toBeUndefined();
    expect((await post(subgraph.httpPort, { query: aliases(31) })).body.errors?.[0]?.extensions.code).toBe(
      'QUERY_TOO_COMPLEX',
    );
    expect((await post(subgraph.httpPort, { query: nested(12) })).body.errors).toBeUndefined();
    expect((await post(subgraph.httpPort, { query: nested(13) })).body.errors?.[0]?.extensions.code).toBe(
      'QUERY_TOO_DEEP',
    );
  });

  it('refuses __schema, __type and _service without the service token', async () => {
    for (const query of [
      '{ __schema { queryType { name } } }',
      '{ __type(name: "Node") { name } }',
      '{ _service { sdl } }',
    ]) {
      const { status, body } = await post(subgraph.httpPort, { query });
      expect(status).toBe(403);
      expect(body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
      const wrong = await post(subgraph.httpPort, { query }, { 'x-campus-service-token': 'guess' });
      expect(wrong.status).toBe(403);
    }
    expect((await post(subgraph.httpPort, { query: '{ __typename }' })).body).toEqual({
      data: { __typename: 'Query' },
    });
  });

  it('serves them to a caller with the service token', async () => {
    const { body } = await post(
      subgraph.httpPort,
      { query: '{ _service { sdl } }' },
      { 'x-campus-service-token': 'the-service-token' },
    );
    expect(body.errors).toBeUndefined();
    expect(JSON.stringify(body.data)).toContain('EchoInput');
  });
});

describe('subgraph edge (development)', () => {
  let subgraph: RunningSubgraph;
  beforeAll(async () => {
    subgraph = await start('development');
  });
  afterAll(() => subgraph.close());

  it('serves introspection without a token, the standard 15-level query included', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const { body } = await post(subgraph.httpPort, { query: getIntrospectionQuery() });
    expect(body.errors).toBeUndefined();
    expect((await post(subgraph.httpPort, { query: '{ _service { sdl } }' })).body.errors).toBeUndefined();
  });
});
