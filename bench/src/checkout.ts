// The check-out bench (issue: check-out saga): a cohort of N freshly imported students (300 by
// default, BENCH_CHECKOUT_STUDENTS) checked out in one request through the router; reports the
// batch's wall time (request → its last saga ended) and each step's latency (p50/p95/max, from
// the orchestrator's step log). Runs last: it deactivates the students it imports (and only them).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Stack } from '../../e2e/support/stack';

const LEAVING_BY = '2026-12-15';
const IMPORT_CHUNK = 40;
const IMPORT = `mutation Import($csv: String!) { importStudents(csv: $csv) { imported failed } }`;
const CAMPUS = `{ campus { code entrances { rooms { number capacity residents { id } } } } }`;
const COHORT = `mutation Cohort($filter: CheckOutCohortFilter, $reason: String!) {
  checkOutCohort(filter: $filter, reason: $reason) { id total } }`;
const BATCH = `query Batch($id: ID!) { checkOutBatch(id: $id) { total succeeded failed inProgress endedAt } }`;

interface Campus {
  campus: { code: string; entrances: { rooms: { number: string; capacity: number; residents: unknown[] }[] }[] }[];
}

async function ok<T>(stack: Stack, query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await stack.graphql<T>(query, { token, variables });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 50)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;

/** N students leaving by LEAVING_BY: in free places of the demo campus first, the rest without a room. */
async function importCohort(stack: Stack, admin: string, size: number): Promise<void> {
  const { campus } = await ok<Campus>(stack, CAMPUS, admin);
  const places = campus.flatMap((b) =>
    b.entrances
      .flatMap((e) => e.rooms)
      .flatMap((r) => Array<[string, string]>(Math.max(0, r.capacity - r.residents.length)).fill([b.code, r.number])),
  );
  const tag = randomBytes(3).toString('hex');
  const rows = Array.from({ length: size }, (_, i) => {
    const [building, room] = places[i] ?? ['', ''];
    return `bench.checkout.${tag}.${i}@sirius.local,Выпускник${i},Пётр,${building},${room},${LEAVING_BY}`;
  });
  // In chunks: every row's password is hashed (argon2), and one call must end within the router's
  // subgraph timeout.
  let imported = 0;
  for (let at = 0; at < rows.length; at += IMPORT_CHUNK) {
    const csv = ['email,lastName,firstName,building,room,checkOutDate', ...rows.slice(at, at + IMPORT_CHUNK)].join(
      '\n',
    );
    const { importStudents } = await ok<{ importStudents: { imported: number; failed: number } }>(
      stack,
      IMPORT,
      admin,
      { csv },
    );
    imported += importStudents.imported;
  }
  if (imported !== size) throw new Error(`bench: imported ${imported} of ${size}`);
}

export async function benchCheckOut(
  stack: Stack,
  size = Number(process.env.BENCH_CHECKOUT_STUDENTS ?? 300),
): Promise<void> {
  const admin = await stack.login('admin@sirius.local');
  await importCohort(stack, admin, size);
  const started = Date.now();
  const { checkOutCohort } = await ok<{ checkOutCohort: { id: string; total: number } }>(stack, COHORT, admin, {
    filter: { checkOutDateTo: LEAVING_BY },
    reason: 'bench',
  });
  let batch: { total: number; succeeded: number; failed: number; endedAt: string | null };
  for (;;) {
    batch = (await ok<{ checkOutBatch: typeof batch }>(stack, BATCH, admin, { id: checkOutCohort.id })).checkOutBatch;
    if (batch.endedAt) break;
    if (Date.now() - started > 600_000) throw new Error(`bench: the check-out batch did not end in 10 minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const wallMs = Date.parse(batch.endedAt) - started;

  const db = new pg.Client({ connectionString: stack.databases.checkout!.url });
  await db.connect();
  try {
    const { rows } = await db.query<{ step: string; action: string; duration_ms: number }>(
      `SELECT r.step, r.action, r.duration_ms FROM checkout_step_runs r JOIN checkout_sagas s ON s.id = r.saga_id
       WHERE s.batch_id = $1`,
      [checkOutCohort.id],
    );
    const byStep = new Map<string, number[]>();
    for (const r of rows)
      byStep.set(`${r.action} ${r.step}`, [...(byStep.get(`${r.action} ${r.step}`) ?? []), r.duration_ms]);
    const steps: Record<string, Record<string, number>> = {};
    for (const [step, durations] of byStep) {
      const sorted = durations.sort((a, b) => a - b);
      steps[step] = {
        calls: sorted.length,
        'p50 ms': percentile(sorted, 50),
        'p95 ms': percentile(sorted, 95),
        'max ms': sorted.at(-1)!,
      };
    }
    console.log(
      `\ncheck-out of a cohort of ${checkOutCohort.total} through the router: ${batch.succeeded} succeeded, ` +
        `${batch.failed} failed, wall time ${(wallMs / 1000).toFixed(1)} s (${((batch.total / wallMs) * 1000).toFixed(1)} students/s)`,
    );
    console.table(steps);
  } finally {
    await db.end();
  }
}
