import { ApolloServer } from '@apollo/server';
import { formatGraphQLError } from '@campus/platform';
import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql';
import pino from 'pino';
import { isIntrospectionOnly } from '../../src/document';
import { graphqlLimits } from '../../src/limits';

const typeDefs = 'type Query { node: Node, hello: String } type Node { id: ID, child: Node }';
const schema = buildSchema(typeDefs);
const limits = graphqlLimits({ maxDepth: 4, maxAliases: 2, maxTokens: 60, maxSelections: 100, maxBodyBytes: 102_400 });
const messages = (source: string): string[] =>
  validate(schema, parse(source), limits.validationRules).map((e) => e.message);

describe('graphqlLimits', () => {
  it('refuses documents nested deeper than the limit, through fragments too', () => {
    expect(messages('{ node { child { child { id } } } }')).toEqual([]);
    expect(messages('{ node { child { child { child { id } } } } }')).toEqual([
      'The query is nested 5 levels deep; at most 4 are allowed',
    ]);
    expect(messages('{ node { ...F } } fragment F on Node { child { child { child { id } } } }')).toHaveLength(1);
  });

  it('refuses more aliases than the limit', () => {
    expect(messages('{ a: hello b: hello }')).toEqual([]);
    expect(messages('{ a: hello b: hello c: hello }')).toEqual(['The query uses 3 aliases; at most 2 are allowed']);
  });

  it('exempts pure introspection from the depth limit but bounds its recursion', () => {
    const introspection = getIntrospectionQuery();
    expect(validate(schema, parse(introspection), limits.validationRules)).toEqual([]);
    expect(messages('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }')).toEqual([
      'Maximum introspection depth exceeded',
    ]);
    // Mixing data into an introspection document brings the depth limit back.
    expect(messages('{ __typename node { child { child { child { id } } } } }')).toHaveLength(1);
  });

  it('cuts a document off at the token limit while parsing', () => {
    // graphql-js words it "more that 60 tokens"
    expect(() => parse(`{ ${'hello '.repeat(70)}}`, limits.parseOptions)).toThrow(
      /Document contains more th\w+ 60 tokens/,
    );
    expect(() => parse(`{ ${'hello '.repeat(50)}}`, limits.parseOptions)).not.toThrow();
  });

  it('reaches clients with the rule codes QUERY_TOO_DEEP and QUERY_TOO_COMPLEX', async () => {
    const server = new ApolloServer({
      typeDefs,
      validationRules: limits.validationRules,
      maxRecursiveSelections: limits.maxRecursiveSelections,
      formatError: formatGraphQLError(pino({ level: 'silent' })),
    });
    await server.start();
    try {
      const codeOf = async (query: string) => {
        const res = await server.executeOperation({ query });
        return res.body.kind === 'single' ? res.body.singleResult.errors?.map((e) => e.extensions?.code) : undefined;
      };
      expect(await codeOf('{ node { child { child { child { id } } } } }')).toEqual(['QUERY_TOO_DEEP']);
      expect(await codeOf('{ a: hello b: hello c: hello }')).toEqual(['QUERY_TOO_COMPLEX']);
      const bomb = `{ ...F4 } fragment F0 on Query { hello } ${[1, 2, 3, 4].map((i) => `fragment F${i} on Query { ...F${i - 1} ...F${i - 1} ...F${i - 1} ...F${i - 1} }`).join(' ')}`;
      expect(await codeOf(bomb)).toEqual(['GRAPHQL_VALIDATION_FAILED']); // 4^4 = 256 > 100 selections
    } finally {
      await server.stop();
    }
  });
});

describe('isIntrospectionOnly', () => {
  it('is true only when every root field is an introspection field', () => {
    expect(isIntrospectionOnly(parse('{ __schema { queryType { name } } __typename }'))).toBe(true);
    expect(isIntrospectionOnly(parse('query { ...F } fragment F on Query { __type(name: "Node") { name } }'))).toBe(
      true,
    );
    expect(isIntrospectionOnly(parse('{ __schema { queryType { name } } hello }'))).toBe(false);
    expect(isIntrospectionOnly(parse('fragment F on Query { __typename }'))).toBe(false);
  });
});
