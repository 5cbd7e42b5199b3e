import { buildSchema, parse, validate, specifiedRules } from 'graphql';
import pino from 'pino';
import { GraphQLError } from 'graphql';
import { aliasLimit, depthLimit, formatGraphQLError } from '../../src/graphql';
import { notFound } from '../../src/errors';

const schema = buildSchema(`
  type Query { node: Node }
  type Node { id: ID! child: Node }
`);
const errorsOf = (query: string, rules = [depthLimit(3), aliasLimit(2)]) =>
  validate(schema, parse(query), [...specifiedRules, ...rules]).map((e) => e.extensions.code);

describe('query limits', () => {
  it('allows a query within the depth and alias limits', () => {
    expect(errorsOf('{ node { child { id } } }')).toEqual([]);
    expect(errorsOf('{ a: node { id } b: node { id } }')).toEqual([]);
  });

  it('refuses queries nested too deep, also through fragments', () => {
    expect(errorsOf('{ node { child { child { id } } } }')).toEqual(['QUERY_TOO_DEEP']);
    expect(errorsOf('{ node { ...F } } fragment F on Node { child { child { id } } }')).toEqual(['QUERY_TOO_DEEP']);
  });

  it('refuses too many aliases', () => {
    expect(errorsOf('{ a: node { id } b: node { id } c: node { id } }')).toEqual(['QUERY_TOO_COMPLEX']);
  });
});

describe('formatGraphQLError', () => {
  const logger = pino({ level: 'silent' });
  const format = formatGraphQLError(logger);

  it('exposes code and details of a domain error', () => {
    const original = notFound('Patrol not found', { id: 'p1' }, 'PATROL_NOT_FOUND');
    const error = new GraphQLError(original.message, { originalError: original, path: ['patrol'] });
    expect(format({ message: error.message, path: ['patrol'] }, error)).toEqual({
      message: 'Patrol not found',
      path: ['patrol'],
      extensions: { code: 'PATROL_NOT_FOUND', details: { id: 'p1' } },
    });
  });

  it('masks unexpected errors completely', () => {
    const error = new GraphQLError('duplicate key value violates unique constraint "users_email_key"', {
      originalError: new Error('duplicate key value violates unique constraint "users_email_key"'),
    });
    const formatted = format(
      { message: error.message, extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } },
      error,
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_ERROR', details: {} },
    });
  });

  it("keeps GraphQL's own validation codes, without stack traces", () => {
    const error = new GraphQLError('Cannot query field "x"', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const formatted = format(
      { message: error.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at y'] } },
      error,
    );
    expect(formatted.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', details: {} });
  });
});
