import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { TokenVerifier, formatGraphQLError } from '@campus/platform';
import { testTokens, testUser } from '@campus/testkit';
import { GraphQLError, parse, type OperationDefinitionNode } from 'graphql';
import { errors as joseErrors } from 'jose';
import pino from 'pino';
import { PUBLIC_ROOT_FIELDS, anonymousAccessPlugin, fieldsDeniedToAnonymous, graphqlContext } from '../../src/auth';
import type { RouterContext } from '../../src/context';
import { rootFieldNames } from '../../src/document';

const logger = pino({ level: 'silent' });

function rootFieldsOf(source: string): string[] {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  if (!operation) throw new Error('no operation');
  return rootFieldNames(operation.selectionSet, document).sort();
}

describe('rootFieldNames', () => {
  it('collects fields, inline fragments and (nested) fragment spreads once each', () => {
    expect(rootFieldsOf('{ me { id } hello }')).toEqual(['hello', 'me']);
    expect(
      rootFieldsOf(
        'query { ... on Query { me { id } } ...A } fragment A on Query { ...B hello } fragment B on Query { users { total } }',
      ),
    ).toEqual(['hello', 'me', 'users']);
  });

  it('ignores nested selections and terminates on fragment cycles', () => {
    expect(rootFieldsOf('{ login(input: {}) { user { me } } }')).toEqual(['login']);
    expect(rootFieldsOf('{ ...A } fragment A on Query { ...B x } fragment B on Query { ...A y }')).toEqual(['x', 'y']);
  });
});

describe('fieldsDeniedToAnonymous', () => {
  it('allows the public session fields and __typename', () => {
    expect(PUBLIC_ROOT_FIELDS).toEqual(['login', 'refreshSession', 'logout']);
    expect(fieldsDeniedToAnonymous(['login', 'refreshSession', 'logout', '__typename'], false)).toEqual([]);
  });

  it('allows introspection only when it is enabled', () => {
    expect(fieldsDeniedToAnonymous(['__schema', '__type'], true)).toEqual([]);
    expect(fieldsDeniedToAnonymous(['__schema', '__type'], false)).toEqual(['__schema', '__type']);
  });

  it('lists every other field', () => {
    expect(fieldsDeniedToAnonymous(['login', 'me', 'users'], true)).toEqual(['me', 'users']);
  });
});

describe('anonymousAccessPlugin', () => {
  const resolved: string[] = [];
  const server = new ApolloServer<RouterContext>({
    typeDefs: 'type Query { me: String, hello: String } type Mutation { login: String, logout: Boolean }',
    resolvers: {
      Query: { me: () => (resolved.push('me'), 'someone'), hello: () => (resolved.push('hello'), 'hi') },
      Mutation: { login: () => (resolved.push('login'), 'token'), logout: () => true },
    },
    formatError: formatGraphQLError(logger),
    plugins: [anonymousAccessPlugin({ introspection: true })],
  });
  const anonymous: RouterContext = { auth: null, requestId: 'r1', forwardHeaders: {} };
  const signedIn: RouterContext = {
    auth: { userId: 'u1', roles: ['student'], residence: null, isMinor: false, entrances: [], token: 't' },
    requestId: 'r2',
    forwardHeaders: {},
  };

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    resolved.length = 0;
  });

  const run = async (query: string, contextValue: RouterContext) => {
    const response = await server.executeOperation({ query }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    return { status: response.http.status, ...response.body.singleResult };
  };

  it('refuses an anonymous protected field with 401 before anything resolves', async () => {
    const result = await run('query { ...F } fragment F on Query { me }', anonymous);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', details: { fields: ['me'] } });
    expect(resolved).toEqual([]);
  });

  it('lets an anonymous caller log in and a signed-in caller do anything', async () => {
    expect((await run('mutation { login logout }', anonymous)).errors).toBeUndefined();
    expect((await run('{ me hello }', signedIn)).errors).toBeUndefined();
    expect(resolved).toEqual(['login', 'me', 'hello']);
  });
});

describe('graphqlContext', () => {
  const request = (headers: Record<string, string>) => ({ headers }) as IncomingMessage;
  const address = () => '203.0.113.7';

  it('treats an unreachable key set as a 503 outage, not as a bad token', async () => {
    const verifier = new TokenVerifier({
      keys: async () => {
        throw new joseErrors.JWKSTimeout();
      },
      issuer: 'i',
      audience: 'a',
    });
    const token = await (await testTokens()).tokenFor(testUser({ roles: ['student'] }));
    const context = graphqlContext(verifier, logger, address);
    const failure = await context(request({ authorization: `Bearer ${token}` })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GraphQLError);
    expect((failure as GraphQLError).extensions).toMatchObject({ code: 'UNAVAILABLE', http: { status: 503 } });
  });

  it('collects the headers to forward, adds the caller address, and leaves anonymous callers anonymous', async () => {
    const verifier = new TokenVerifier({
      keys: async () => Promise.reject(new Error('unused')),
      issuer: 'i',
      audience: 'a',
    });
    const context = await graphqlContext(
      verifier,
      logger,
      address,
    )(
      // a client-sent x-campus-client is never passed on: the router sets it from the connection
      request({ 'x-request-id': 'abc', traceparent: '00-1-2-01', cookie: 'secret', 'x-campus-client': 'forged' }),
    );
    expect(context).toEqual({
      auth: null,
      requestId: 'abc',
      forwardHeaders: { 'x-request-id': 'abc', traceparent: '00-1-2-01', 'x-campus-client': '203.0.113.7' },
      client: 'ip:203.0.113.7',
    });
  });
});
