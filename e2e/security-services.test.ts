// End-to-end through the router (issue 12, security review): what patrols see of a pre-marked
// leave (the README's startPatrol example), what refusals reveal, impossible dates and runaway
// leaves, and refused uploads answered without their body being read.
import { errorCodes, refusedPut, waitFor, wav } from '@campus/testkit';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(180_000); // one test waits for the configured evening to begin

const CAMPUS_TZ = 'Europe/Moscow';
const HOUR = 3_600_000;
const MB = 1024 * 1024;

const campusDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: CAMPUS_TZ }).format(at);
const campusTime = (at: Date) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: CAMPUS_TZ,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);

/**
 * Today's patrol may start only once its evening has begun, and a leave only in the future: the
 * evening is set EVENING_AHEAD_MS after the patrol process is spawned, the leave starts then (as
 * in e2e/patrol.test.ts).
 */
const EVENING_AHEAD_MS = 35_000;
let EVENING: Date;
function eveningFromNow(): Date {
  EVENING = new Date(Math.ceil((Date.now() + EVENING_AHEAD_MS) / 1_000) * 1_000);
  return EVENING;
}

/** The README's patrol example, verbatim but for the variables. */
const README_START = `mutation Start($building: String!, $entrance: Int!, $date: Date!) {
  startPatrol(building: $building, entrance: $entrance, date: $date) {
  id progress { total checked present absent }
  entries { id status reason student { id fullName residence { room } } leave { reason returnAt } } } }`;
const SUBMIT = `mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id returnAt } }`;

interface ReadmeEntry {
  id: string;
  status: string;
  reason: string | null;
  student: { id: string; fullName: string; residence: { room: string } | null };
  leave: { reason: string | null; returnAt: string } | null;
}

let stack: Stack;
const tokens: Record<'patrol' | 'educator' | 'admin' | 'minor' | 'adult', string> = {
  patrol: '',
  educator: '',
  admin: '',
  minor: '',
  adult: '',
};
let minorId = '';
let adultId = '';
let leave: { id: string; returnAt: string };

async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await stack.graphql<T>(query, { variables, token });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const details = (res: { errors?: { extensions?: { details?: Record<string, unknown> } }[] }) =>
  res.errors?.[0]?.extensions?.details;

/** student.minor's overnight leave from EVENING, with the parent's voice message, approved. */
async function approvedOvernightLeave(): Promise<{ id: string; returnAt: string }> {
  const { submitLeaveApplication: submitted } = await ok<{ submitLeaveApplication: { id: string; returnAt: string } }>(
    SUBMIT,
    tokens.minor,
    {
      input: {
        leaveAt: EVENING.toISOString(),
        returnAt: new Date(EVENING.getTime() + 14 * HOUR).toISOString(),
        reason: 'A private family matter (e2e)',
        contactPhone: '+79991234567',
      },
    },
  );
  const { requestLeaveDocumentUpload: upload } = await ok<{
    requestLeaveDocumentUpload: { uploadUrl: string; method: string };
  }>(
    `mutation Upload($id: ID!) { requestLeaveDocumentUpload(applicationId: $id, kind: VOICE_MESSAGE) { uploadUrl method } }`,
    tokens.minor,
    { id: submitted.id },
  );
  const put = await fetch(upload.uploadUrl, { method: upload.method, body: wav(2) });
  if (put.status !== 201) throw new Error(`voice message upload failed (${put.status}): ${await put.text()}`);
  await ok(`mutation Decide($id: ID!) { decideLeaveApplication(id: $id, decision: APPROVE) { id } }`, tokens.educator, {
    id: submitted.id,
  });
  return submitted;
}

beforeAll(async () => {
  stack = await startStack({
    services: ['identity', 'leave', 'patrol'],
    env: { patrol: () => ({ CAMPUS_TIMEZONE: CAMPUS_TZ, PATROL_EARLIEST_START: campusTime(eveningFromNow()) }) },
  });
  if (Date.now() > EVENING.getTime() - 10_000)
    throw new Error('the stack started too slowly to submit a leave before the evening');
  const [patrol, educator, admin, minor, adult] = await Promise.all(
    ['patrol', 'educator', 'admin', 'student.minor', 'student.adult'].map((name) =>
      stack.login(`${name}@sirius.local`),
    ),
  );
  Object.assign(tokens, { patrol, educator, admin, minor, adult });
  minorId = (await ok<{ me: { id: string } }>('{ me { id } }', tokens.minor)).me.id;
  adultId = (await ok<{ me: { id: string } }>('{ me { id } }', tokens.adult)).me.id;
  leave = await approvedOvernightLeave();
});

afterAll(async () => {
  await stack?.stop();
});

describe('leave: impossible dates and runaway applications', () => {
  it('refuses 30 February', async () => {
    const res = await stack.graphql(SUBMIT, {
      token: tokens.adult,
      variables: {
        input: {
          leaveAt: '2027-02-30T10:00:00Z',
          returnAt: '2027-03-02T10:00:00Z',
          reason: 'Impossible',
          contactPhone: '+79991234567',
        },
      },
    });
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.data?.submitLeaveApplication ?? null).toBeNull();
    expect(JSON.stringify(res.errors)).toMatch(/DateTime|date/i);
  });

  it('refuses a leave longer than LEAVE_MAX_DAYS (30 by default)', async () => {
    const leaveAt = new Date(Date.now() + 24 * HOUR);
    const res = await stack.graphql(SUBMIT, {
      token: tokens.adult,
      variables: {
        input: {
          leaveAt: leaveAt.toISOString(),
          returnAt: new Date(leaveAt.getTime() + 31 * 24 * HOUR).toISOString(),
          reason: 'A very long trip',
          contactPhone: '+79991234567',
        },
      },
    });
    expect(errorCodes(res)).toEqual(['LEAVE_PERIOD_TOO_LONG']);
    expect(details(res)).toMatchObject({ maxDays: 30 });
  });
});

describe('leave: a refused upload link', () => {
  it('is answered 403 through the router before its body is read', async () => {
    // Large enough that a refusal after reading the body cannot pass for one before it, on a busy
    // machine where hundreds of MB/s flow over loopback while the router answers.
    const size = 128 * MB;
    const refused = await refusedPut(`${stack.routerUrl}/uploads/leave/${'A'.repeat(43)}`, size);
    expect(refused).toMatchObject({ status: 403, body: { error_code: 'LEAVE_UPLOAD_LINK_INVALID' } });
    expect(refused.written).toBeLessThan(size / 2);
    // the router and leave keep serving
    expect(
      (await fetch(`${stack.routerUrl}/uploads/leave/${'B'.repeat(43)}`, { method: 'PUT', body: 'x' })).status,
    ).toBe(403);
  });
});

describe('patrol: what a patrol student sees and what a refusal tells', () => {
  let patrolId = '';

  it("runs the README's startPatrol example: a pre-marked leave shows its return time, not its reason", async () => {
    await waitFor(() => Date.now() > EVENING.getTime() + 1_000, 'the evening', EVENING_AHEAD_MS + 30_000);
    const res = await stack.graphql<{ startPatrol: { id: string; entries: ReadmeEntry[] } }>(README_START, {
      token: tokens.patrol,
      variables: { building: '8', entrance: 1, date: campusDate(EVENING) },
    });
    expect(res.errors ?? []).toEqual([]);
    patrolId = res.data!.startPatrol.id;
    const minor = res.data!.startPatrol.entries.find((e) => e.student.id === minorId);
    // the leave's reason is the applicant's and staff's: not on the leave, nor copied on the entry
    expect(minor).toMatchObject({
      status: 'ABSENT',
      reason: 'Approved leave',
      leave: { reason: null, returnAt: leave.returnAt },
    });

    // status and return time are what a patrol sees; anything else of the leave is refused
    const more = await stack.graphql<{ patrol: { entries: { leave: { status: string } | null }[] } }>(
      'query P($id: ID!) { patrol(id: $id) { entries { leave { status returnAt contactPhone } } } }',
      { token: tokens.patrol, variables: { id: patrolId } },
    );
    expect(errorCodes(more)).toContain('FORBIDDEN');
    const status = await ok<{ patrol: { entries: { leave: { status: string } | null }[] } }>(
      'query P($id: ID!) { patrol(id: $id) { entries { leave { status } } } }',
      tokens.patrol,
      { id: patrolId },
    );
    expect(status.patrol.entries.filter((e) => e.leave).map((e) => e.leave!.status)).toContain('APPROVED');
  });

  it('refuses a patrol student of another entrance without describing the patrol', async () => {
    const { users } = await ok<{
      users: { items: { email: string; residence: { building: string; entrance: number } | null }[] };
    }>(
      '{ users(filter: { role: STUDENT_PATROL }, size: 100) { items { email residence { building entrance } } } }',
      tokens.admin,
    );
    const stranger = users.items.find(
      (u) => u.residence && !(u.residence.building === '8' && u.residence.entrance === 1),
    );
    const token = await stack.login(stranger!.email);
    const complete = await stack.graphql('mutation C($id: ID!) { completePatrol(id: $id) { id } }', {
      token,
      variables: { id: patrolId },
    });
    expect(errorCodes(complete)).toEqual(['FORBIDDEN']);
    expect(details(complete)).toEqual({ patrolId, rule: 'patrol_entrance_scope' });
  });

  it('tells a patrol student only that an id is not a minor resident', async () => {
    const res = await stack.graphql(
      'mutation A($patrolId: ID!, $studentId: ID!) { addPatrolEntry(patrolId: $patrolId, studentId: $studentId) { id } }',
      { token: tokens.patrol, variables: { patrolId, studentId: adultId } },
    );
    expect(errorCodes(res)).toEqual(['PATROL_NOT_A_RESIDENT']);
    expect(details(res)).toMatchObject({ reason: 'not_a_minor_resident' });
  });
});
