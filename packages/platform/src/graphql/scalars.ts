import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { GraphQLDateTimeISO, GraphQLJSONObject, GraphQLLocalDate } from 'graphql-scalars';

/**
 * The campus scalars, one behaviour in every subgraph. Formats are checked by graphql-scalars;
 * a bad input is BAD_USER_INPUT with a message saying what is expected. No scalar here has a
 * description: buildSubgraphSchema copies every defined field of a scalar resolver onto the
 * schema's type, and the SDL's description is the one to keep.
 */

const DATE_TIME_EXPECTED = 'DateTime must be an ISO-8601 date-time with a time zone, e.g. 2026-03-01T18:00:00Z';
const DATE_EXPECTED = 'Date must be a calendar date written YYYY-MM-DD, e.g. 2026-03-01';

const badInput = (message: string, node?: ValueNode) =>
  new GraphQLError(message, { ...(node ? { nodes: node } : {}), extensions: { code: 'BAD_USER_INPUT' } });

/** ISO-8601 allows a time without seconds ("2026-03-01T18:00Z"), accepted so far; RFC 3339 wants them. */
const WITHOUT_SECONDS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(Z|[+-]\d{2}:\d{2})$/i;

function parseDateTime(value: unknown, node?: ValueNode): Date {
  if (typeof value === 'string') {
    try {
      // RFC 3339 with a zone ("Z" or "+03:00"): a bare local time would be ambiguous.
      return GraphQLDateTimeISO.parseValue(value.replace(WITHOUT_SECONDS, '$1:00$2'));
    } catch {
      // answered below, in our words
    }
  }
  throw badInput(DATE_TIME_EXPECTED, node);
}

/**
 * A literal's parsed value, by its syntax node. Documents are parsed once and reused (Apollo's
 * cache, the direct path's), but graphql-js parses a field's literal arguments again each time the
 * field resolves: `busySlots(from: "…", to: "…")` under a list of coworkings validated the same two
 * strings again for every coworking (graphql-scalars' checks, ~1.6 % of coworking's CPU under the
 * bench's free-window query). Failures are not remembered: they throw every time.
 */
function rememberedByNode<T>(parse: (value: string, node: ValueNode) => T): (node: ValueNode & { value: string }) => T {
  const parsed = new WeakMap<ValueNode, T>();
  return (node) => {
    if (parsed.has(node)) return parsed.get(node)!;
    const value = parse(node.value, node);
    parsed.set(node, value);
    return value;
  };
}

/** Epoch milliseconds: every resolver gets its own Date (a Date can be changed in place). */
const dateTimeLiteral = rememberedByNode((value, node) => parseDateTime(value, node).getTime());
const dateLiteral = rememberedByNode(parseDate);

/** An instant: an RFC 3339 date-time with a zone in, a JS Date in resolvers, UTC ISO-8601 out. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    if (typeof value === 'string') return parseDateTime(value).toISOString();
    // A resolver returned something else: our bug, answered as INTERNAL_ERROR and logged.
    throw new TypeError(`DateTime cannot represent ${String(value)}`);
  },
  parseValue: (value) => parseDateTime(value),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('DateTime must be a string', ast);
    return new Date(dateTimeLiteral(ast));
  },
});

function parseDate(value: unknown, node?: ValueNode): string {
  try {
    return GraphQLLocalDate.parseValue(value) as string; // YYYY-MM-DD of a real day (no 2027-02-30)
  } catch {
    throw badInput(DATE_EXPECTED, node);
  }
}

/**
 * An answer's dates come from date columns and the services' calendar arithmetic: their shape is
 * checked, not again that each is a real day (graphql-scalars' check, ~3 % of duty's CPU for a
 * calendar of a month's duties). Input gets the full check.
 */
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar day, 'YYYY-MM-DD', kept as that string in resolvers: a day has no time zone (which
 * instants it spans is decided in CAMPUS_TIMEZONE by the service). On output a Date at UTC
 * midnight, as Prisma returns a @db.Date column, is accepted too.
 */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize(value) {
    if (typeof value === 'string' && DATE_SHAPE.test(value)) return value;
    if (value instanceof Date && !Number.isNaN(value.getTime()) && value.getTime() % 86_400_000 === 0) {
      return value.toISOString().slice(0, 10);
    }
    // A resolver returned something else: our bug, answered as INTERNAL_ERROR and logged.
    throw new TypeError(`Date cannot represent ${String(value)}`);
  },
  parseValue: (value) => parseDate(value),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('Date must be a string', ast);
    return dateLiteral(ast);
  },
});

const JSON_OBJECT_EXPECTED = 'JSONObject must be a JSON object, e.g. {"applicationId":"…"}';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/**
 * A JSON object (never an array, string or number), sent as itself rather than as JSON inside a
 * string, so a client parses it once. Literals and variables are read by graphql-scalars.
 */
export const JSONObjectScalar = new GraphQLScalarType<Record<string, unknown>, Record<string, unknown>>({
  name: 'JSONObject',
  serialize(value) {
    if (isPlainObject(value)) return value;
    // A resolver returned a string or a list: our bug, answered as INTERNAL_ERROR and logged.
    throw new TypeError(`JSONObject cannot represent ${typeof value === 'string' ? 'a string' : String(value)}`);
  },
  parseValue(value) {
    if (!isPlainObject(value)) throw badInput(JSON_OBJECT_EXPECTED);
    return value;
  },
  parseLiteral(ast, variables) {
    try {
      return GraphQLJSONObject.parseLiteral(ast, variables) as Record<string, unknown>;
    } catch {
      throw badInput(JSON_OBJECT_EXPECTED, ast);
    }
  },
});
