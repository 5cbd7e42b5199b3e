// One server of `npm run bench:floor` (bench/src/floor.ts): the bench's "coworkings free in a
// window" read without any of the project's code, at one of three depths (argv[2]):
//   http     node:http reading the body and answering a constant;
//   sql      + the coworking subgraph's two statements, on its pool settings (@campus/platform);
//   graphql  + graphql-js executing the request's query (parsed once) over those statements.
import { buildSchema, execute, parse, type DocumentNode } from 'graphql';
import { createDatabasePool } from '@campus/platform';
import { serveJson } from './json-server';

const VARIANTS = ['http', 'sql', 'graphql'] as const;
const variant = VARIANTS.find((v) => v === process.argv[2]);
if (!variant) throw new Error(`floor-server: the first argument is one of ${VARIANTS.join(', ')}`);
const pool = createDatabasePool(process.env.DATABASE_URL!, 10);

// The statements of subgraphs/coworking/src/repository/catalogue.repository.ts (COWORKINGS_SQL,
// BUSY_SQL), every column as there, named (prepared once per connection) as there.
const COWORKINGS = {
  name: 'floor.coworkings',
  text: `SELECT * FROM coworkings WHERE ($1::text IS NULL OR building = $1::text) AND (NOT $2::boolean OR available)
          ORDER BY building, name`,
};
const BUSY = {
  name: 'floor.busy',
  text: `SELECT * FROM bookings WHERE coworking_id = ANY($1::uuid[]) AND status = ANY($2::booking_status[])
           AND starts_at < $3::timestamptz AND ends_at > $4::timestamptz ORDER BY starts_at, id`,
};
const SLOT_HOLDING = ['approved', 'key_taken', 'key_return_requested', 'key_returned'];

interface Row {
  id: string;
  name: string;
  coworking_id?: string;
  starts_at?: Date;
  ends_at?: Date;
  status?: string;
}

async function freeIn(building: string, from: Date, to: Date) {
  const { rows: coworkings } = await pool.query<Row>({ ...COWORKINGS, values: [building, false] });
  const { rows: busy } = await pool.query<Row>({
    ...BUSY,
    values: [coworkings.map((c) => c.id), SLOT_HOLDING, to, from],
  });
  return coworkings.map((c) => {
    const slots = busy
      .filter((b) => b.coworking_id === c.id)
      .map((b) => ({ startsAt: b.starts_at, endsAt: b.ends_at, status: b.status }));
    return { id: c.id, name: c.name, freeInWindow: slots.length === 0, busySlots: slots };
  });
}

const schema = buildSchema(`
  scalar DateTime
  type BusySlot { startsAt: DateTime! endsAt: DateTime! status: String! }
  type Coworking { id: ID! name: String! freeInWindow: Boolean busySlots(from: DateTime, to: DateTime): [BusySlot!]! }
  type Query { coworkings(building: String, from: DateTime, to: DateTime): [Coworking!]! }`);
const dateTime = schema.getType('DateTime') as unknown as { serialize: (value: unknown) => unknown };
dateTime.serialize = (value) => (value as Date).toISOString();
const rootValue = {
  coworkings: (args: { building: string; from: string; to: string }) =>
    freeIn(args.building, new Date(args.from), new Date(args.to)),
};
const documents = new Map<string, DocumentNode>();
const { FLOOR_FROM, FLOOR_TO } = process.env;

async function answer(body: { query: string }): Promise<unknown> {
  if (variant === 'http') return { data: { coworkings: [] } };
  if (variant === 'sql') return { data: { coworkings: await freeIn('8', new Date(FLOOR_FROM!), new Date(FLOOR_TO!)) } };
  let document = documents.get(body.query);
  if (!document) documents.set(body.query, (document = parse(body.query)));
  return execute({ schema, document, rootValue });
}

serveJson(Number(process.env.PORT), async (body) => [200, await answer(JSON.parse(body) as { query: string })]);
