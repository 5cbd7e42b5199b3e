// Write scenarios (the write path under load): submissions by different students
// (BENCH_WRITE_CONCURRENCY), decisions by the educators, marking patrol entries (each worker a
// different user on a patrol of its own), marking notifications read — each also sent to its
// subgraph directly.
import type { Stack } from '../../e2e/support/stack';
import { postGraphQL, type Scenario } from './load';
import { DAY, leaveInput, loginAll, pendingApplications } from './setup';

const SUBMIT = `mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id status } }`;
const DECIDE = `mutation Decide($id: ID!) { decideLeaveApplication(id: $id, decision: REJECT, reason: "Bench") { id status } }`;
const MARK_ALL_READ = `mutation { markAllNotificationsRead { markedCount } }`;
const START_PATROL = `mutation Start($building: String!, $entrance: Int!, $date: Date!) {
  startPatrol(building: $building, entrance: $entrance, date: $date) { id entries { id } } }`;
const MARK_ENTRY = `mutation Mark($id: ID!, $present: Boolean!, $reason: String) {
  markPatrolEntry(entryId: $id, present: $present, reason: $reason) { id status } }`;

/** A campus-local calendar date `daysAgo` days before today (a past evening: a patrol may start at once). */
const pastDate = (daysAgo: number): string => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

const directOn = (stack: Stack, name: 'leave' | 'patrol' | 'notification'): Scenario['direct'] => {
  const url = `http://127.0.0.1:${stack.ports[name]![0]!.http}/graphql`;
  return (call) => postGraphQL(url, call);
};

export function submitScenario(stack: Stack, students: string[]): Scenario {
  return {
    name: `submitLeaveApplication (${students.length} students)`,
    concurrency: students.length,
    request: (w, n) => ({
      token: students[w]!,
      query: SUBMIT,
      variables: { input: leaveInput(1 + (n % 300), `bench ${w}/${n}`) },
    }),
    direct: directOn(stack, 'leave'),
  };
}

/** Decisions on the pending applications (each decided once, whichever target takes it). */
export async function decideScenario(stack: Stack, educators: string[]): Promise<Scenario> {
  const pending = await pendingApplications(stack, educators[0]!);
  return {
    name: `decideLeaveApplication (${educators.length} educators, ${pending.length} pending)`,
    concurrency: educators.length * 4,
    request: (w) => {
      const id = pending.pop();
      return id ? { token: educators[w % educators.length]!, query: DECIDE, variables: { id } } : undefined;
    },
    direct: directOn(stack, 'leave'),
  };
}

/**
 * The mark-a-patrol-entry scenario: every patrol student (one per entrance) marks the entries of
 * their own entrance's patrol, and every staff member those of another patrol. Each worker is a
 * different user on a patrol of its own, because marking locks the patrol: workers sharing one
 * would measure that lock, not the write path. Entries are marked present/absent in turn.
 */
export async function patrolMarkScenario(stack: Stack, admin: string, staffEmails: string[]): Promise<Scenario> {
  const patrollers = await stack.graphql<{
    users: { items: { email: string; residence: { building: string; entrance: number } | null }[] };
  }>('{ users(filter: { role: STUDENT_PATROL }, size: 100) { items { email residence { building entrance } } } }', {
    token: admin,
  });
  // the demo campus's patrols (a scale campus, BENCH_SCALE_STUDENTS, has its own scenario and dates)
  const students = (patrollers.data?.users.items ?? []).flatMap((u) =>
    u.residence && !/^S\d+$/.test(u.residence.building) ? [{ ...u, ...u.residence }] : [],
  );
  if (!students.length) throw new Error(`no patrol students found: ${JSON.stringify(patrollers.errors)}`);
  const entrances = students.map(({ building, entrance }) => ({ building, entrance }));
  const workers = [
    ...students.map((s) => ({ email: s.email, building: s.building, entrance: s.entrance, date: pastDate(2) })),
    // staff act campus-wide: each takes an entrance's patrol of an earlier evening
    ...staffEmails.map((email, i) => ({ email, ...entrances[i % entrances.length]!, date: pastDate(3 + i) })),
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
    direct: directOn(stack, 'patrol'),
  };
}

export function markReadScenario(stack: Stack, students: string[]): Scenario {
  return {
    name: `markAllNotificationsRead (${students.length} students)`,
    concurrency: students.length,
    request: (w) => ({ token: students[w]!, query: MARK_ALL_READ }),
    direct: directOn(stack, 'notification'),
  };
}
