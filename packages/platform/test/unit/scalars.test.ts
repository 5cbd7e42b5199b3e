import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, graphql, parse, type GraphQLScalarType } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import type { Resolvers } from '../../src/graphql';
import { DateScalar, DateTimeScalar, JSONObjectScalar } from '../../src/graphql';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? { code: error.extensions.code, message: error.message } : error;
  }
  return 'no error';
};

const DATE_TIME_MESSAGE = 'DateTime must be an ISO-8601 date-time with a time zone, e.g. 2026-03-01T18:00:00Z';

describe('DateTimeScalar', () => {
  it('parses an RFC 3339 date-time with a zone to a Date', () => {
    expect(DateTimeScalar.parseValue('2026-03-01T18:00:00Z')).toEqual(new Date('2026-03-01T18:00:00Z'));
    expect(DateTimeScalar.parseValue('2026-03-01T21:00:00.250+03:00')).toEqual(new Date('2026-03-01T18:00:00.250Z'));
    expect(DateTimeScalar.parseValue('2026-03-01T18:00Z')).toEqual(new Date('2026-03-01T18:00:00Z')); // no seconds
  });

  it.each([
    '2026-03-01T18:00:00', // no zone: ambiguous
    '2026-03-01',
    '2026-03-01 18:00:00Z',
    '2026-03-01T18:00:00+0300',
    '2026-02-30T10:00:00Z', // no such day
    '2026-03-01T25:00:00Z',
    'tomorrow',
    '',
  ])('refuses %j as BAD_USER_INPUT with the expected format', (value) => {
    expect(codeOf(() => DateTimeScalar.parseValue(value))).toEqual({
      code: 'BAD_USER_INPUT',
      message: DATE_TIME_MESSAGE,
    });
  });

  it('refuses non-strings', () => {
    expect(codeOf(() => DateTimeScalar.parseValue(1767225600000))).toEqual({
      code: 'BAD_USER_INPUT',
      message: DATE_TIME_MESSAGE,
    });
    expect(codeOf(() => DateTimeScalar.parseLiteral({ kind: 'IntValue', value: '1' } as never))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'DateTime must be a string',
    });
  });

  it('parses a literal once per syntax node, giving each use its own Date; a bad literal is refused every time', () => {
    const checks = jest.spyOn(GraphQLDateTimeISO, 'parseValue');
    const node = { kind: 'StringValue', value: '2026-03-01T21:00:00+03:00' } as never;
    const first = DateTimeScalar.parseLiteral(node);
    first.setUTCFullYear(1999); // a resolver changing its Date changes nobody else's
    const second = DateTimeScalar.parseLiteral(node);
    expect(second).toEqual(new Date('2026-03-01T18:00:00Z'));
    expect(second).not.toBe(first);
    expect(checks).toHaveBeenCalledTimes(1);
    checks.mockRestore();
    const bad = { kind: 'StringValue', value: '2026-02-30T10:00:00Z' } as never;
    for (let i = 0; i < 2; i++)
      expect(codeOf(() => DateTimeScalar.parseLiteral(bad))).toEqual({
        code: 'BAD_USER_INPUT',
        message: DATE_TIME_MESSAGE,
      });
  });

  it('serializes Dates and zoned strings as UTC ISO-8601; anything else is a bug of ours', () => {
    expect(DateTimeScalar.serialize(new Date('2026-03-01T18:00:00Z'))).toBe('2026-03-01T18:00:00.000Z');
    expect(DateTimeScalar.serialize('2026-03-01T21:00:00+03:00')).toBe('2026-03-01T18:00:00.000Z');
    expect(() => DateTimeScalar.serialize(new Date(NaN))).toThrow(TypeError);
    expect(() => DateTimeScalar.serialize(42)).toThrow(TypeError);
  });
});

describe('DateScalar', () => {
  const DATE_MESSAGE = 'Date must be a calendar date written YYYY-MM-DD, e.g. 2026-03-01';

  it('keeps a calendar date as its string', () => {
    expect(DateScalar.parseValue('2026-03-01')).toBe('2026-03-01');
    expect(DateScalar.parseValue('2028-02-29')).toBe('2028-02-29');
  });

  it.each(['2027-02-30', '2026-02-29', '2026-13-01', '2026-1-01', '2026-03-01T00:00:00Z', 'yesterday'])(
    'refuses %j as BAD_USER_INPUT',
    (value) => {
      expect(codeOf(() => DateScalar.parseValue(value))).toEqual({ code: 'BAD_USER_INPUT', message: DATE_MESSAGE });
    },
  );

  it('serializes date strings, and Dates at UTC midnight as Prisma returns @db.Date columns', () => {
    expect(DateScalar.serialize('2026-03-01')).toBe('2026-03-01');
    expect(DateScalar.serialize(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01');
    expect(() => DateScalar.serialize(new Date('2026-03-01T12:00:00Z'))).toThrow(TypeError);
  });

  it('refuses to serialize anything not shaped YYYY-MM-DD: a bug of ours, not the caller’s input', () => {
    for (const value of ['2026-03-01T00:00:00Z', '2026-3-1', '01.03.2026', '', 20260301]) {
      expect(() => DateScalar.serialize(value)).toThrow(TypeError);
    }
  });
});

describe('JSONObjectScalar', () => {
  const JSON_OBJECT_MESSAGE = 'JSONObject must be a JSON object, e.g. {"applicationId":"…"}';

  it('serializes an object as itself; a string or a list is a bug of ours', () => {
    expect(JSONObjectScalar.serialize({ applicationId: 'a-1', n: 2 })).toEqual({ applicationId: 'a-1', n: 2 });
    expect(() => JSONObjectScalar.serialize('{"applicationId":"a-1"}')).toThrow(TypeError);
    expect(() => JSONObjectScalar.serialize(['a-1'])).toThrow(TypeError);
    expect(() => JSONObjectScalar.serialize(null)).toThrow(TypeError);
  });

  it('reads object variables and literals; anything else is BAD_USER_INPUT', () => {
    expect(JSONObjectScalar.parseValue({ a: [1, 'b'] })).toEqual({ a: [1, 'b'] });
    expect(codeOf(() => JSONObjectScalar.parseValue('{"a":1}'))).toEqual({
      code: 'BAD_USER_INPUT',
      message: JSON_OBJECT_MESSAGE,
    });
    expect(codeOf(() => JSONObjectScalar.parseLiteral({ kind: 'StringValue', value: '{}' } as never))).toEqual({
      code: 'BAD_USER_INPUT',
      message: JSON_OBJECT_MESSAGE,
    });
  });
});

describe('the scalars in a subgraph', () => {
  interface Context {
    today: string;
  }
  const typeDefs = parse(`
    "An instant, described in the SDL."
    scalar DateTime
    scalar Date
    scalar JSONObject
    type Query { after(at: DateTime!): DateTime! day(date: Date!): String! today: Date! echo(value: JSONObject!): JSONObject! }
  `);
  const resolvers: Resolvers<Context> = {
    DateTime: DateTimeScalar,
    Date: DateScalar,
    JSONObject: JSONObjectScalar,
    Query: {
      after: (_: unknown, { at }: { at: Date }) => new Date(at.getTime() + 60_000),
      day: (_: unknown, { date }: { date: string }) => typeof date + ' ' + date,
      today: (_: unknown, _args: unknown, ctx: Context) => ctx.today,
      echo: (_: unknown, { value }: { value: Record<string, unknown> }) => ({ ...value, echoed: true }),
    },
  };
  const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as Resolvers<unknown> });
  const run = (source: string, variableValues?: Record<string, unknown>) =>
    graphql({ schema, source, variableValues, contextValue: { today: '2026-03-01' } satisfies Context });

  it('parse arguments and serialize results through buildSubgraphSchema', async () => {
    const result = await run('query ($at: DateTime!) { after(at: $at) day(date: "2026-03-01") today }', {
      at: '2026-03-01T21:00:00+03:00',
    });
    expect(result).toEqual({
      data: { after: '2026-03-01T18:01:00.000Z', day: 'string 2026-03-01', today: '2026-03-01' },
    });
  });

  it('send a JSONObject as an object, from a variable or a literal', async () => {
    const variable = await run('query ($v: JSONObject!) { echo(value: $v) }', { v: { ids: ['a', 'b'] } });
    const literal = await run('{ echo(value: { n: 1, nested: { s: "x" } }) }');
    expect(variable).toEqual({ data: { echo: { ids: ['a', 'b'], echoed: true } } });
    expect(literal).toEqual({ data: { echo: { n: 1, nested: { s: 'x' }, echoed: true } } });
  });

  it('refuse bad literals and variables as BAD_USER_INPUT', async () => {
    const literal = await run('{ day(date: "2027-02-30") }');
    const variable = await run('query ($at: DateTime!) { after(at: $at) }', { at: '2026-03-01T18:00:00' });
    expect(literal.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(variable.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(variable.errors?.[0]?.message).toContain(DATE_TIME_MESSAGE);
  });

  it('leave the SDL’s description in place', () => {
    expect((schema.getType('DateTime') as GraphQLScalarType).description).toBe('An instant, described in the SDL.');
  });
});
