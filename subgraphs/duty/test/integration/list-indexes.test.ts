// Every filter has an index (docs/conventions.md): the campus-wide lists by status — dutySanctions
// and dutySwaps as an educator or the administrator sends them — are planned on an index that also
// gives their order (newest first, id as the tie-break) without a sort. The SQL is the one the
// repositories send, recorded on the pool, and planned by PostgreSQL on the migrated database.
import { createDatabasePool, createPrismaClient, pageRequest, type DatabasePool } from '@campus/platform';
import { createTestDatabase, type TestDatabase } from '@campus/testkit';
import { PrismaClient, type DutyDatabase } from '../../src/repository/database';
import { PrismaSanctionStore } from '../../src/repository/sanctions.repository';
import { PrismaSwapStore } from '../../src/repository/swaps.repository';

jest.setTimeout(60_000);

interface SentQuery {
  text: string;
  values: unknown[];
}

let database: TestDatabase;
let pool: DatabasePool;
let prisma: DutyDatabase;
const sent: SentQuery[] = [];

beforeAll(async () => {
  database = await createTestDatabase('duty');
  pool = createDatabasePool(database.url, 2);
  // Record what every connection of the pool is asked to run (Prisma's adapter goes through them).
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [config, values] = args;
      if (typeof config === 'string') sent.push({ text: config, values: Array.isArray(values) ? values : [] });
      else if (config && typeof config === 'object' && 'text' in config) {
        const c = config as { text: string; values?: unknown[] };
        sent.push({ text: c.text, values: c.values ?? (Array.isArray(values) ? values : []) });
      }
      return query(...args);
    };
  });
  prisma = createPrismaClient(PrismaClient, pool);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await database?.drop();
});

/** The SELECT of `table`'s rows (not the count) that `list` sent. */
async function listQuery(table: string, list: () => Promise<unknown>): Promise<SentQuery> {
  sent.length = 0;
  await list();
  const found = sent.find(
    (q) => /^\s*SELECT/i.test(q.text) && q.text.includes(`"${table}"`) && /ORDER BY/i.test(q.text),
  );
  if (!found) throw new Error(`no list query on ${table}: ${JSON.stringify(sent.map((q) => q.text))}`);
  return found;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

/**
 * The plan of `query` with heap scans and sorts priced out (on the empty test tables a scan and a
 * sort would win anyway; a Sort still appears when no index yields the order): which index it
 * reads, and whether it sorts.
 */
async function planOf(query: SentQuery): Promise<PlanNode[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const method of ['seqscan', 'bitmapscan', 'sort']) await client.query(`SET LOCAL enable_${method} = off`);
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>({
      text: `EXPLAIN (FORMAT JSON) ${query.text}`,
      values: query.values,
    });
    return nodesOf(rows[0]!['QUERY PLAN'][0].Plan);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

it('plans the campus-wide sanctions list by status on (status, created_at, id), newest first without a sort', async () => {
  const store = new PrismaSanctionStore(prisma);
  const query = await listQuery('sanctions', () => store.listSanctions({ status: 'open' }, pageRequest(1, 20)));
  const plan = await planOf(query);
  expect(plan.map((n) => n['Index Name']).filter(Boolean)).toEqual(['sanctions_status_created_at_id_idx']);
  expect(plan.map((n) => n['Node Type'])).not.toContain('Sort');
});

it('plans the campus-wide swaps list by status on (status, requested_at, id), newest first without a sort', async () => {
  const store = new PrismaSwapStore(prisma);
  const query = await listQuery('duty_swaps', () => store.listSwaps({ status: 'accepted' }, pageRequest(1, 20)));
  const plan = await planOf(query);
  expect(plan.map((n) => n['Index Name']).filter(Boolean)).toEqual(['duty_swaps_status_requested_at_id_idx']);
  expect(plan.map((n) => n['Node Type'])).not.toContain('Sort');
});
