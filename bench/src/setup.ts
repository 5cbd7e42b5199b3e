// The bench's data on top of the demo campus: the users each worker signs in as (distinct users,
// as real clients are: a gateway that merges identical in-flight calls must not profit from one
// shared token), leave applications, duty rosters and coworking bookings the scenarios read.
import type { Stack } from '../../e2e/support/stack';
import { DEMO_PASSWORD } from '../../e2e/support/stack';

export const DAY = 86_400_000;

/** The demo campus's staff; the bench adds educators up to the concurrency it needs. */
const SEEDED_STAFF = [
  'educator@sirius.local',
  'educator2@sirius.local',
  'educator3@sirius.local',
  'educator.head@sirius.local',
  'admin@sirius.local',
];

/** The seeded students are student005 … (student001-004 are the named demo accounts). */
export const studentEmails = (count: number, from = 0): string[] =>
  Array.from({ length: count }, (_, i) => `student${String(from + i + 5).padStart(3, '0')}@sirius.local`);

export function expectData<T>(what: string, res: { data?: T | null; errors?: unknown }): T {
  if (res.errors || !res.data) throw new Error(`${what} failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/**
 * Signs the users in, a few at a time: 64 password hashes at once can outlast the router's
 * subgraph timeout on a busy 2-core machine, and sign-in is not what is measured.
 */
export async function loginAll(stack: Stack, emails: readonly string[], atOnce = 8): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < emails.length; i += atOnce)
    tokens.push(...(await Promise.all(emails.slice(i, i + atOnce).map((email) => stack.login(email)))));
  return tokens;
}

/** `count` staff accounts: the seeded ones, then educators created for the bench (bench.educatorNN@). */
export async function staffEmails(stack: Stack, admin: string, count: number): Promise<string[]> {
  const emails = SEEDED_STAFF.slice(0, count);
  for (let i = 1; emails.length < count; i++) {
    const email = `bench.educator${String(i).padStart(2, '0')}@sirius.local`;
    const res = await stack.graphql('mutation Create($input: CreateUserInput!) { createUser(input: $input) { id } }', {
      token: admin,
      variables: {
        input: { email, password: DEMO_PASSWORD, firstName: 'Бенч', lastName: `Воспитатель ${i}`, roles: ['EDUCATOR'] },
      },
    });
    expectData(`creating ${email}`, res);
    emails.push(email);
  }
  return emails;
}

/** A leave application's input: an hour out, `daysAhead` days from now. */
export function leaveInput(daysAhead: number, reason: string): Record<string, string> {
  const leaveAt = new Date(Date.now() + daysAhead * DAY);
  return {
    leaveAt: leaveAt.toISOString(),
    returnAt: new Date(leaveAt.getTime() + 3_600_000).toISOString(),
    reason,
    contactPhone: '+79991234567',
  };
}

/** `perStudent` applications by each of the students, so listings resolve applicants in batches. */
export async function seedLeaveApplications(
  stack: Stack,
  students: readonly string[],
  perStudent: number,
): Promise<void> {
  for (let i = 0; i < perStudent; i++) {
    await Promise.all(
      students.map(async (token, s) => {
        const res = await stack.graphql(
          'mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id } }',
          { token, variables: { input: leaveInput(i * students.length + s + 1, `bench ${s}/${i}`) } },
        );
        expectData('seeding leave applications', res);
      }),
    );
  }
}

/**
 * Next month's duty rosters of building 8's four entrances (a whole month: every date gets a duty),
 * so the staff calendar scenario reads a full month × all rooms. Returns the month (YYYY-MM).
 */
export async function generateDutyRosters(stack: Stack, educator: string): Promise<string> {
  const now = new Date();
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const month = next.toISOString().slice(0, 7);
  for (const entrance of [1, 2, 3, 4]) {
    const res = await stack.graphql(
      'mutation Roster($input: GenerateDutyRosterInput!) { generateDutyRoster(input: $input) { id } }',
      { token: educator, variables: { input: { building: '8', entrance, month, maxTurnsPerRoom: 2 } } },
    );
    expectData('generating duty rosters', res);
  }
  return month;
}

/** Tomorrow (UTC date) at `hhmm` UTC: within the coworkings' default opening hours (08:00–23:00 Moscow). */
export const tomorrowAt = (hhmm: string): string =>
  `${new Date(Date.now() + DAY).toISOString().slice(0, 10)}T${hhmm}:00.000Z`;

/** The "free in a window" scenario's window: tomorrow 18:00–20:00 UTC (21:00–23:00 campus time). */
export const COWORKING_WINDOW = { from: tomorrowAt('18:00'), to: tomorrowAt('20:00') };

/**
 * Tomorrow's bookings of the bench coworkings (index into the four created), each by a student of
 * its own (one active booking per student): some approved, one with its key out, some pending (a
 * pending booking holds no slot), so the board and the window see every kind of row.
 */
export const COWORKING_BOOKINGS: ReadonlyArray<{
  coworking: number;
  from: string;
  to: string;
  approve?: true;
  key?: true;
}> = [
  { coworking: 0, from: '06:00', to: '08:00', approve: true, key: true },
  { coworking: 0, from: '18:00', to: '20:00', approve: true },
  { coworking: 1, from: '10:00', to: '12:00', approve: true },
  { coworking: 1, from: '18:00', to: '20:00' },
  { coworking: 2, from: '17:00', to: '19:00', approve: true },
  { coworking: 2, from: '12:00', to: '14:00' },
];

/**
 * Four coworkings in building 8 (the catalogue starts empty: the stack seeds identity only) and
 * tomorrow's bookings of them by seeded students (student005 …), decided by the educator.
 */
export async function setUpCoworkings(stack: Stack, educator: string): Promise<void> {
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
    coworkings.push(expectData('createCoworking', res).createCoworking.id);
  }
  const students = await loginAll(stack, studentEmails(COWORKING_BOOKINGS.length));
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
    const bookingId = expectData('requestBooking', requested).requestBooking.id;
    const steps = [...(b.approve ? ['approveBooking'] : []), ...(b.key ? ['handOverKey'] : [])];
    for (const step of steps) {
      const res = await stack.graphql(
        `mutation Step($input: BookingStepInput!) { ${step}(input: $input) { id status } }`,
        { token: educator, variables: { input: { bookingId } } },
      );
      expectData(step, res);
    }
  }
}

/** Pending applications' ids, read page by page as an educator (the decide scenario's supply). */
export async function pendingApplications(stack: Stack, token: string): Promise<string[]> {
  const ids: string[] = [];
  // Every page: on a fast machine the decisions outrun 10,000 (the first 100 pages), and a target
  // that finds the supply used up measures nothing.
  for (let page = 1; page <= 1000; page++) {
    const res = await stack.graphql<{ leaveApplications: { items: { id: string }[]; pages: number } }>(
      'query P($page: Int!) { leaveApplications(filter: { status: PENDING }, page: $page, size: 100) { pages items { id } } }',
      { token, variables: { page } },
    );
    ids.push(...(res.data?.leaveApplications.items ?? []).map((a) => a.id));
    if (!res.data || page >= res.data.leaveApplications.pages) break;
  }
  return ids;
}
