// `npm run bench`: latency and throughput of typical operations through the router, against a real
// stack (fresh databases, seeded demo campus, compiled services). Reports numbers; asserts nothing.
//   BENCH_SECONDS (default 10) per scenario, BENCH_CONCURRENCY (default 16), BENCH_WRITE_CONCURRENCY
//   (default 64), BENCH_SERVICES (default: every subgraph present; e.g. "identity,leave,patrol,notification"
//   to leave out one that is not ready — only those and the router are built and started),
//   BENCH_CHECKOUT_STUDENTS (default 300: the cohort check-out's size), BENCH_ONLY=checkout (that one alone).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startStack, type ServiceName } from '../e2e/support/stack';
import { benchCheckOut } from './lib/bench-checkout';
import { interleaved, type WriteScenario, type WriteTarget } from './lib/bench-writes';
import { REPO_ROOT, presentSubgraphs } from './lib/services';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

interface Scenario {
  name: string;
  query: string;
  token?: string;
}

async function load(url: string, scenario: Scenario): Promise<Record<string, number>> {
  const body = JSON.stringify({ query: scenario.query });
  const headers = {
    'content-type': 'application/json',
    ...(scenario.token ? { authorization: `Bearer ${scenario.token}` } : {}),
  };
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const started = performance.now();
      const res = await fetch(url, { method: 'POST', headers, body });
      const json = (await res.json()) as { errors?: unknown[] };
      latencies.push(performance.now() - started);
      if (res.status !== 200 || json.errors) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1));
  return {
    requests: latencies.length,
    rps: Math.round(latencies.length / seconds),
    p50_ms: at(0.5),
    p95_ms: at(0.95),
    p99_ms: at(0.99),
    errors,
  };
}

/**
 * Next month's duty rosters of building 8's four entrances (a whole month: every date gets a duty),
 * so the staff calendar scenario reads a full month × all rooms. Returns the month (YYYY-MM).
 */
async function generateDutyRosters(stack: Awaited<ReturnType<typeof startStack>>, educator: string): Promise<string> {
  const now = new Date();
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const month = next.toISOString().slice(0, 7);
  for (const entrance of [1, 2, 3, 4]) {
    const res = await stack.graphql(
      'mutation Roster($input: GenerateDutyRosterInput!) { generateDutyRoster(input: $input) { id } }',
      { token: educator, variables: { input: { building: '8', entrance, month, maxTurnsPerRoom: 2 } } },
    );
    if (res.errors) throw new Error(`generating duty rosters failed: ${JSON.stringify(res.errors)}`);
  }
  return month;
}

/** Applications by the two demo students, so listing them resolves applicants and actors in batches. */
async function seedLeaveApplications(stack: Awaited<ReturnType<typeof startStack>>, count: number): Promise<void> {
  const students = await Promise.all(
    ['student.adult@sirius.local', 'student.minor@sirius.local'].map((email) => stack.login(email)),
  );
  const day = 86_400_000;
  for (let i = 0; i < count; i++) {
    const leaveAt = new Date(Date.now() + (i + 1) * day);
    const res = await stack.graphql(
      'mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id } }',
      {
        token: students[i % 2]!,
        variables: {
          input: {
            leaveAt: leaveAt.toISOString(),
            returnAt: new Date(leaveAt.getTime() + 3_600_000).toISOString(),
            reason: `bench ${i}`,
            contactPhone: '+79991234567',
          },
        },
      },
    );
    if (res.errors) throw new Error(`seeding leave applications failed: ${JSON.stringify(res.errors)}`);
  }
}

/** Tomorrow (UTC date) at `hhmm` UTC: within the coworkings' default opening hours (08:00–23:00 Moscow). */
const tomorrowAt = (hhmm: string): string =>
  `${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T${hhmm}:00.000Z`;

/** The "free in a window" scenario's window: tomorrow 18:00–20:00 UTC (21:00–23:00 campus time). */
const COWORKING_WINDOW = { from: tomorrowAt('18:00'), to: tomorrowAt('20:00') };

/**
 * Tomorrow's bookings of the bench coworkings (index into the four created), each by a student of
 * its own (one active booking per student): some approved, one with its key out, some pending (a
 * pending booking holds no slot), so the board and the window see every kind of row.
 */
const COWORKING_BOOKINGS: ReadonlyArray<{ coworking: number; from: string; to: string; approve?: true; key?: true }> = [
  { coworking: 0, from: '06:00', to: '08:00', approve: true, key: true },
  { coworking: 0, from: '18:00', to: '20:00', approve: true },
  { coworking: 1, from: '10:00', to: '12:00', approve: true },
  { coworking: 1, from: '18:00', to: '20:00' },
  { coworking: 2, from: '17:00', to: '19:00', approve: true },
  { coworking: 2, from: '12:00', to: '14:00' },
];

/**
 * Four coworkings in building 8 (the catalogue starts empty: the stack seeds identity only) and
 * tomorrow's bookings of them by seeded students (student005 …), decided by the educator. Returns a
 * student's token for the student-side scenario.
 */
async function setUpCoworkings(stack: Stack, educator: string): Promise<string> {
  const expectOk = <T>(what: string, res: { data?: T | null; errors?: unknown }): T => {
    if (res.errors || !res.data) throw new Error(`${what} failed: ${JSON.stringify(res.errors)}`);
    return res.data;
  };
  const coworkings: string[] = [];
  for (let i = 1; i <= 4; i++) {
    const res = await stack.graphql<{ createCoworking: { id: string } }>(
      'mutation Create($input: CreateCoworkingInput!) { createCoworking(input: $input) { id } }',
      {
        token: educator,
        variables: {
          input: { building: '8', name: `Коворкинг ${i}`, description: `Бенчмарк: комната ${i}`, capacity: 4 + i },
        },
      },
    );
    coworkings.push(expectOk('createCoworking', res).createCoworking.id);
  }
  const students = await loginAll(
    stack,
    COWORKING_BOOKINGS.map((_, i) => `student${String(i + 5).padStart(3, '0')}@sirius.local`),
  );
  for (const [i, b] of COWORKING_BOOKINGS.entries()) {
    const requested = await stack.graphql<{ requestBooking: { id: string } }>(
      'mutation Request($input: RequestBookingInput!) { requestBooking(input: $input) { id } }',
      {
        token: students[i]!,
        variables: {
          input: {
            coworkingId: coworkings[b.coworking],
            startsAt: tomorrowAt(b.from),
            endsAt: tomorrowAt(b.to),
            purpose: 'Подготовка к олимпиаде',
          },
        },
      },
    );
    const bookingId = expectOk('requestBooking', requested).requestBooking.id;
    const steps = [...(b.approve ? ['approveBooking'] : []), ...(b.key ? ['handOverKey'] : [])];
    for (const step of steps) {
      const res = await stack.graphql(
        `mutation Step($input: BookingStepInput!) { ${step}(input: $input) { id status } }`,
        { token: educator, variables: { input: { bookingId } } },
      );
      expectOk(step, res);
    }
  }
  return students[0]!;
}

/** BENCH_SERVICES, or every subgraph present in this checkout. */
function benchServices(): ServiceName[] {
  const present = presentSubgraphs().map((s) => s.name as ServiceName);
  const chosen = process.env.BENCH_SERVICES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!chosen?.length) return present;
  const unknown = chosen.filter((s) => !present.includes(s as ServiceName));
  if (unknown.length) throw new Error(`BENCH_SERVICES: no such subgraph in this checkout: ${unknown.join(', ')}`);
  return chosen as ServiceName[];
}

async function main(): Promise<void> {
  const services = benchServices();
  const filters = process.env.BENCH_SERVICES
    ? ['router', ...services].map((name) => `--filter=@campus/${name}`) // their dependencies are built too
    : [];
  const build = spawnSync(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'turbo'),
    ['run', 'build', '--output-logs=errors-only', ...filters],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    },
  );
  if (build.status !== 0) process.exit(1);
  const stack = await startStack({
    services,
    env: {
      router: { LOG_LEVEL: 'warn' },
      identity: { LOG_LEVEL: 'warn' },
      // every bench student submits far more than a real one may have pending at once
      leave: { LOG_LEVEL: 'warn', LEAVE_MAX_PENDING_PER_STUDENT: '1000000' },
      coworking: { LOG_LEVEL: 'warn' },
    },
  });
  try {
    if (process.env.BENCH_ONLY === 'checkout') {
      await benchCheckOut(stack);
      return;
    }
    const educator = await stack.login('educator@sirius.local');
    if (services.includes('leave')) await seedLeaveApplications(stack, 40);
    const dutyMonth = services.includes('duty') ? await generateDutyRosters(stack, educator) : undefined;
    const coworkingStudent = services.includes('coworking') ? await setUpCoworkings(stack, educator) : undefined;
    const scenarios: Scenario[] = [
      { name: 'me (router → identity)', query: '{ me { id fullName roles } }', token: educator },
      {
        name: 'users page of 50 (filter + residence)',
        query:
          '{ users(filter: { building: "8" }, size: 50) { total items { id fullName isMinor residence { room } } } }',
        token: educator,
      },
      {
        name: 'campus tree (≈200 residents, DataLoaders)',
        query: '{ campus { code entrances { number rooms { number residents { fullName } } } } }',
        token: educator,
      },
      ...(services.includes('leave')
        ? [
            {
              name: 'leave page of 40 (+ applicant, history actors via federation)',
              query:
                '{ leaveApplications(size: 40) { total items { id status applicant { fullName residence { room } } history { type actor { fullName } } } } }',
              token: educator,
            },
          ]
        : []),
      ...(dutyMonth
        ? [
            {
              name: `duty calendar of an entrance (${dutyMonth}: every date × every room, + room residents)`,
              query: `{ dutyCalendar(building: "8", entrance: 1, month: "${dutyMonth}") { dates rows { roomNumber floor
                room { residents { fullName } } duties { id date status deadlineAt } } } }`,
              token: educator,
            },
          ]
        : []),
      ...(coworkingStudent
        ? [
            {
              name: 'coworking board of building 8 (4 rooms: now, key holder, + students via federation)',
              query: `{ coworkingBoard(building: "8") { coworking { name } current { student { fullName } startsAt endsAt }
                keyHolder { student { fullName } } keyOutSince keyOutAtNight } }`,
              token: educator,
            },
            {
              name: 'coworkings free in a window (building 8, + busy slots), as a student',
              query: `{ coworkings(building: "8", from: "${COWORKING_WINDOW.from}", to: "${COWORKING_WINDOW.to}") {
                id name freeInWindow busySlots(from: "${COWORKING_WINDOW.from}", to: "${COWORKING_WINDOW.to}") {
                startsAt endsAt status } } }`,
              token: coworkingStudent,
            },
          ]
        : []),
    ];
    const results: Record<string, Record<string, number>> = {};
    for (const scenario of scenarios) {
      results[scenario.name] = await load(stack.graphqlUrl, scenario);
      console.log(scenario.name, results[scenario.name]);
    }
    console.log(`\nconcurrency ${concurrency}, ${seconds} s per scenario, ${new Date().toISOString()}`);
    console.table(results);
    if (services.includes('leave') && services.includes('notification')) await benchWrites(stack);
    // Last: it deactivates the students it imports.
    if (['checkout', 'coworking', 'leave', 'duty'].every((s) => services.includes(s as ServiceName))) {
      await benchCheckOut(stack);
    }
  } finally {
    await stack.stop();
  }
}

const writeConcurrency = Number(process.env.BENCH_WRITE_CONCURRENCY ?? 64);
const DAY = 86_400_000;
const SUBMIT = `mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id status } }`;
const DECIDE = `mutation Decide($id: ID!) { decideLeaveApplication(id: $id, decision: REJECT, reason: "Bench") { id status } }`;
const MARK_ALL_READ = `mutation { markAllNotificationsRead { markedCount } }`;
const START_PATROL = `mutation Start($building: String!, $entrance: Int!, $date: Date!) {
  startPatrol(building: $building, entrance: $entrance, date: $date) { id entries { id } } }`;
const MARK_ENTRY = `mutation Mark($id: ID!, $present: Boolean!, $reason: String) {
  markPatrolEntry(entryId: $id, present: $present, reason: $reason) { id status } }`;
const STAFF_EMAILS = [
  'educator@sirius.local',
  'educator2@sirius.local',
  'educator3@sirius.local',
  'educator.head@sirius.local',
  'admin@sirius.local',
];

/** Pending applications' ids, read page by page as an educator (the decide scenario's supply). */
async function pendingApplications(stack: Awaited<ReturnType<typeof startStack>>, token: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; page <= 100; page++) {
    const res = await stack.graphql<{ leaveApplications: { items: { id: string }[]; pages: number } }>(
      'query P($page: Int!) { leaveApplications(filter: { status: PENDING }, page: $page, size: 100) { pages items { id } } }',
      { token, variables: { page } },
    );
    ids.push(...(res.data?.leaveApplications.items ?? []).map((a) => a.id));
    if (!res.data || page >= res.data.leaveApplications.pages) break;
  }
  return ids;
}

type Stack = Awaited<ReturnType<typeof startStack>>;

/**
 * Signs the users in, a few at a time: 64 password hashes at once can outlast the router's
 * subgraph timeout on a busy 2-core machine, and sign-in is not what is measured.
 */
async function loginAll(stack: Stack, emails: readonly string[], atOnce = 8): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < emails.length; i += atOnce)
    tokens.push(...(await Promise.all(emails.slice(i, i + atOnce).map((email) => stack.login(email)))));
  return tokens;
}

/** A campus-local calendar date `daysAgo` days before today (a past evening: a patrol may start at once). */
const pastDate = (daysAgo: number): string => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

/**
 * The mark-a-patrol-entry scenario: every patrol student (one per entrance) marks the entries of
 * their own entrance's patrol, and every staff member those of another patrol. Each worker is a
 * different user on a patrol of its own, because marking locks the patrol: workers sharing one
 * would measure that lock, not the write path. Entries are marked present/absent in turn.
 */
async function patrolMarkScenario(stack: Stack, admin: string): Promise<WriteScenario> {
  const patrollers = await stack.graphql<{
    users: { items: { email: string; residence: { building: string; entrance: number } | null }[] };
  }>('{ users(filter: { role: STUDENT_PATROL }, size: 100) { items { email residence { building entrance } } } }', {
    token: admin,
  });
  const students = (patrollers.data?.users.items ?? []).flatMap((u) => (u.residence ? [{ ...u, ...u.residence }] : []));
  if (!students.length) throw new Error(`no patrol students found: ${JSON.stringify(patrollers.errors)}`);
  const entrances = students.map(({ building, entrance }) => ({ building, entrance }));
  const workers = [
    ...students.map((s) => ({ email: s.email, building: s.building, entrance: s.entrance, date: pastDate(2) })),
    // staff act campus-wide: each takes an entrance's patrol of an earlier evening
    ...STAFF_EMAILS.map((email, i) => ({ email, ...entrances[i % entrances.length]!, date: pastDate(3 + i) })),
  ];
  const tokens = await loginAll(
    stack,
    workers.map((w) => w.email),
  );
  const prepared = await Promise.all(
    workers.map(async (w, i) => {
      const token = tokens[i]!;
      const res = await stack.graphql<{ startPatrol: { id: string; entries: { id: string }[] } }>(START_PATROL, {
        token,
        variables: { building: w.building, entrance: w.entrance, date: w.date },
      });
      const entries = res.data?.startPatrol.entries.map((e) => e.id) ?? [];
      if (!entries.length) throw new Error(`starting a patrol for ${w.email} failed: ${JSON.stringify(res.errors)}`);
      return { token, entries };
    }),
  );
  return {
    name: `markPatrolEntry (${prepared.length} users, a patrol each)`,
    concurrency: prepared.length,
    request: (w, n) => {
      const { token, entries } = prepared[w]!;
      const present = n % 2 === 0;
      return {
        token,
        query: MARK_ENTRY,
        variables: { id: entries[n % entries.length], present, reason: present ? null : `bench ${n}` },
      };
    },
  };
}

/**
 * Write scenarios (issue: the write path under load): submissions by 64 different students,
 * decisions by the educators, marking patrol entries, marking notifications read — through the
 * router and on the subgraph.
 */
async function benchWrites(stack: Stack): Promise<void> {
  // the seeded students are student005 … (student001-004 are the named demo accounts)
  const students = await loginAll(
    stack,
    Array.from({ length: writeConcurrency }, (_, i) => `student${String(i + 5).padStart(3, '0')}@sirius.local`),
  );
  const educators = await loginAll(stack, [
    'educator@sirius.local',
    'educator2@sirius.local',
    'educator3@sirius.local',
  ]);
  const direct = (name: string): WriteTarget => ({
    name: `${name} directly`,
    url: `http://127.0.0.1:${stack.ports[name as 'leave']![0]!.http}/graphql`,
  });
  const router: WriteTarget = { name: 'router', url: stack.graphqlUrl };

  const submit: WriteScenario = {
    name: 'submitLeaveApplication',
    concurrency: writeConcurrency,
    request: (w, n) => {
      const leaveAt = new Date(Date.now() + (1 + (n % 300)) * DAY);
      return {
        token: students[w]!,
        query: SUBMIT,
        variables: {
          input: {
            leaveAt: leaveAt.toISOString(),
            returnAt: new Date(leaveAt.getTime() + 3_600_000).toISOString(),
            reason: `bench ${w}/${n}`,
            contactPhone: '+79991234567',
          },
        },
      };
    },
  };
  const submitted = await interleaved([{ scenario: submit, targets: [router, direct('leave')] }], seconds);

  const pending = await pendingApplications(stack, educators[0]!);
  const decide: WriteScenario = {
    name: `decideLeaveApplication (3 educators, ${pending.length} pending)`,
    concurrency: educators.length * 4,
    request: (w) => {
      const id = pending.pop();
      return id ? { token: educators[w % educators.length]!, query: DECIDE, variables: { id } } : undefined;
    },
  };
  const markEntry = stack.ports.patrol
    ? await patrolMarkScenario(stack, await stack.login('admin@sirius.local'))
    : null;
  const markRead: WriteScenario = {
    name: 'markAllNotificationsRead',
    concurrency: writeConcurrency,
    request: (w) => ({ token: students[w]!, query: MARK_ALL_READ }),
  };
  const rest = await interleaved(
    [
      { scenario: decide, targets: [router, direct('leave')] },
      ...(markEntry ? [{ scenario: markEntry, targets: [router, direct('patrol')] }] : []),
      { scenario: markRead, targets: [router, direct('notification')] },
    ],
    seconds,
  );
  console.log(`\nwrites: ${writeConcurrency} students, ${seconds} s per scenario and target`);
  console.table({ ...submitted, ...rest });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
