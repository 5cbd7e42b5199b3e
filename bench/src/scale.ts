// The 2,000-student campus scenarios (BENCH_SCALE_STUDENTS=2000): the scale seed
// (`npm run seed:scale`, buildings S1…) added to the bench stack's identity database, then patrol
// start for an entrance, a filtered staff users page of 100 and the campus tree of one building,
// each worker a different staff member.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEMO_PASSWORD, type Stack } from '../../e2e/support/stack';
import { REPO_ROOT } from '../../scripts/lib/services';
import { postGraphQL, type Scenario } from './load';
import { DAY, expectData } from './setup';

/** Runs identity's compiled scale seed against the stack's identity database. */
export function seedScaleCampus(stack: Stack, students: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(REPO_ROOT, 'subgraphs/identity/dist/seed/scale-main.js'), '--students', String(students)],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: stack.databases.identity!.url,
          DEMO_PASSWORD,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(output.trim()) : reject(new Error(`scale seed failed (${code}): ${output}`)),
    );
  });
}

const START_PATROL = `mutation Start($building: String!, $entrance: Int!, $date: Date!) {
  startPatrol(building: $building, entrance: $entrance, date: $date) { id entries { id status } } }`;

export async function scaleScenarios(stack: Stack, staff: string[], concurrency: number): Promise<Scenario[]> {
  const layout = expectData(
    'the scale campus',
    await stack.graphql<{ campus: Array<{ code: string; entrances: Array<{ number: number }> }> }>(
      '{ campus { code entrances { number } } }',
      { token: staff[0]! },
    ),
  );
  const buildings = layout.campus.filter((b) => /^S\d+$/.test(b.code));
  if (!buildings.length) throw new Error('no scale buildings (S1…) after the scale seed');
  const entrances = buildings.flatMap((b) => b.entrances.map((e) => ({ building: b.code, entrance: e.number })));
  const identity = `http://127.0.0.1:${stack.ports.identity![0]!.http}/graphql`;
  const patrol = stack.ports.patrol ? `http://127.0.0.1:${stack.ports.patrol[0]!.http}/graphql` : undefined;
  // every start is a new patrol: entrance × past evening, never repeated across workers and targets
  let started = 0;
  const nextPatrol = () => {
    const n = started++;
    const { building, entrance } = entrances[n % entrances.length]!;
    // from 30 evenings back: the write scenarios start their patrols on the last few evenings
    const date = new Date(Date.now() - (30 + Math.floor(n / entrances.length)) * DAY).toISOString().slice(0, 10);
    return { building, entrance, date };
  };
  const token = (w: number) => staff[w % staff.length]!;
  const some = buildings[Math.min(2, buildings.length - 1)]!.code;
  const scenarios: Scenario[] = [
    {
      name: `scale: staff users(size: 100) of building ${some}, active (identity)`,
      concurrency,
      request: (w) => ({
        token: token(w),
        query: `{ users(filter: { building: "${some}", isActive: true }, size: 100) { total items { id fullName isMinor residence { room } } } }`,
      }),
      direct: (call) => postGraphQL(identity, call),
      goals: { p95Ms: 50 },
    },
    {
      name: `scale: campus tree of building ${buildings[0]!.code} (identity)`,
      concurrency,
      request: (w) => ({
        token: token(w),
        query: `{ campus(building: "${buildings[0]!.code}") { code entrances { number rooms { number residents { fullName isMinor } } } } }`,
      }),
      direct: (call) => postGraphQL(identity, call),
      goals: { p95Ms: 150 },
    },
  ];
  if (patrol) {
    scenarios.push({
      name: 'scale: patrol start for an entrance (patrol → identity, leave)',
      concurrency,
      request: (w) => ({ token: token(w), query: START_PATROL, variables: nextPatrol() }),
      direct: (call) => postGraphQL(patrol, call),
      goals: { p95Ms: 100 },
    });
  }
  return scenarios;
}
