// `npm run bench:floor`: the floor under issue 13's "no subgraph operation spends more than 2× the
// time of its SQL". The bench's "coworkings free in a window" read is answered by three plain Node
// servers (bench/src/floor-server.ts) on the bench's data — a coworking database from its
// migrations, four coworkings of building 8, tomorrow's six bookings: node:http alone; + the
// coworking subgraph's two statements; + graphql-js executing the query. Their CPU per request
// beside PostgreSQL's is what Node, pg and graphql-js cost before any of the project's code runs;
// `npm run bench` reports the coworking subgraph itself on the same read.
// BENCH_SECONDS (default 9) per server, interleaved as in the bench.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, freePort } from '@campus/testkit';
import { REPO_ROOT } from '../../scripts/lib/services';
import { postgresRoots } from './cpu';
import { SAME_V8_FLAGS, startGatewayProcess, type GatewayProcess } from './gateways';
import { closeClientPools, compareTargets, gatewayTarget, postGraphQL, type Scenario } from './load';
import { FREE_COWORKINGS } from './reads';
import { COWORKING_BOOKINGS, COWORKING_WINDOW, tomorrowAt } from './setup';

const VARIANTS = {
  http: 'node:http, a constant answer',
  sql: 'node:http + the two statements',
  graphql: 'node:http + the two statements + graphql-js',
} as const;

/** The bench's coworkings and bookings (bench/src/setup.ts), written straight to the tables. */
async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const coworkings = [1, 2, 3, 4].map(() => randomUUID());
    for (const [i, id] of coworkings.entries()) {
      await client.query(
        `INSERT INTO coworkings (id, building, name, description, capacity, updated_at) VALUES ($1, '8', $2, $3, $4, now())`,
        [id, `Коворкинг ${i + 1}`, `Бенчмарк: комната ${i + 1}`, 5 + i],
      );
    }
    for (const b of COWORKING_BOOKINGS) {
      const status = b.key ? 'key_taken' : b.approve ? 'approved' : 'pending';
      await client.query(
        `INSERT INTO bookings (id, coworking_id, student_id, purpose, starts_at, ends_at, status)
         VALUES ($1, $2, $3, 'Подготовка к олимпиаде', $4, $5, $6::booking_status)`,
        [randomUUID(), coworkings[b.coworking], randomUUID(), tomorrowAt(b.from), tomorrowAt(b.to), status],
      );
    }
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const database = await createTestDatabase('coworking');
  const servers: GatewayProcess[] = [];
  try {
    await seed(database.url);
    for (const [variant, name] of Object.entries(VARIANTS)) {
      const port = await freePort();
      servers.push(
        await startGatewayProcess(
          name,
          process.execPath,
          ['--import', 'tsx', path.join(REPO_ROOT, 'bench', 'src', 'floor-server.ts'), variant],
          port,
          {
            ...SAME_V8_FLAGS,
            PORT: String(port),
            DATABASE_URL: database.url,
            FLOOR_FROM: COWORKING_WINDOW.from,
            FLOOR_TO: COWORKING_WINDOW.to,
          },
        ),
      );
    }
    // What each answers (the constant is empty; the other two the same four coworkings).
    for (const server of servers) {
      const { body } = await postGraphQL(server.graphqlUrl, { query: FREE_COWORKINGS, token: 'unused' });
      console.log(`${server.name}: ${JSON.stringify(body).slice(0, 160)}…`);
    }
    const scenario: Scenario = {
      name: 'coworkings free in a window, without the project code',
      concurrency: 16,
      request: () => ({ query: FREE_COWORKINGS, token: 'unused' }),
    };
    const results = await compareTargets(
      scenario,
      servers.map((s) => gatewayTarget(s.name, s.graphqlUrl, s.pid)),
      {
        seconds: Number(process.env.BENCH_SECONDS ?? 9),
        warmupSeconds: 3,
        postgres: { name: 'PostgreSQL', pids: postgresRoots },
      },
    );
    console.log(`\n${scenario.name}`);
    console.table(
      Object.fromEntries(
        Object.entries(results).map(([server, r]) => [
          server,
          {
            rps: r.rps,
            p50_ms: r.p50_ms,
            p99_ms: r.p99_ms,
            errors: r.errors,
            server_cpu_ms: r.cpu_ms_per_req,
            postgres_cpu_ms: r.postgres_cpu_ms,
            'server ÷ PostgreSQL': r.postgres_cpu_ms ? Number((r.cpu_ms_per_req! / r.postgres_cpu_ms).toFixed(2)) : '—',
          },
        ]),
      ),
    );
  } finally {
    await closeClientPools();
    await Promise.all(servers.map((s) => s.stop()));
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
