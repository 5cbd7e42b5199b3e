// End-to-end through the router with identity, leave and patrol as real processes over seeded
// databases (issue: patrols). Tests act like clients: GraphQL through the router, a voice message
// uploaded through the router, the completed event read from RabbitMQ.
import amqp, { type ChannelModel } from 'amqplib';
import { validateEvent } from '@campus/contracts';
import { errorCodes, waitFor, wav } from '@campus/testkit';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(180_000); // one test waits for the configured evening to begin

const CAMPUS_TZ = 'Europe/Moscow';
const DAY_MS = 86_400_000;

/** Campus-local date (YYYY-MM-DD) and "HH:MM" of an instant. */
const campusDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: CAMPUS_TZ }).format(at);
const campusTime = (at: Date) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: CAMPUS_TZ,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(at);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Leave accepts only leaves starting in the future, and a patrol starts only once its evening has
 * begun. So this file runs today's patrol with an earliest start ("evening", HH:MM:SS) chosen when
 * the patrol process is spawned, EVENING_AHEAD_MS ahead of it: the leave is submitted to start
 * exactly then, and today's patrol is started once that time has passed. Choosing it at spawn time
 * (not when the file loads) keeps database set-up and the other services' start out of the margin.
 */
const EVENING_AHEAD_MS = 40_000;
let EVENING: Date;
let TODAY: string;
let YESTERDAY: string;
let TWO_DAYS_AGO: string;
function eveningFromNow(): Date {
  EVENING = new Date(Math.ceil((Date.now() + EVENING_AHEAD_MS) / 1_000) * 1_000);
  TODAY = campusDate(EVENING);
  YESTERDAY = campusDate(new Date(EVENING.getTime() - DAY_MS));
  TWO_DAYS_AGO = campusDate(new Date(EVENING.getTime() - 2 * DAY_MS));
  return EVENING;
}
const LEAVE_REASON = 'Overnight at home (e2e)';

/**
 * The file's dates are the campus dates of its evening. Started in the last minutes before campus
 * midnight, "today" would be tomorrow by the evening (a patrol for it refused as
 * PATROL_DATE_IN_FUTURE, not PATROL_TOO_EARLY): such a run waits for midnight first.
 */
const MIDNIGHT_GUARD_MS = 150_000;
function msToCampusMidnight(now = new Date()): number {
  const [hours = 0, minutes = 0, seconds = 0] = campusTime(now).split(':').map(Number);
  return DAY_MS - ((hours * 60 + minutes) * 60 + seconds) * 1_000 - now.getMilliseconds();
}

const START = `mutation Start($building: String!, $entrance: Int!, $date: Date!) {
  startPatrol(building: $building, entrance: $entrance, date: $date) {
    id status progress { total checked present absent }
    entries { id status present reason room leave { id } student { id fullName isMinor residence { building entrance } } }
  } }`;
const MARK = `mutation Mark($entryId: ID!, $present: Boolean!, $reason: String) {
  markPatrolEntry(entryId: $entryId, present: $present, reason: $reason) { id status } }`;
const COMPLETE = `mutation Complete($id: ID!) { completePatrol(id: $id) { id status progress { total checked present absent } } }`;
const ME = '{ me { id email } }';

interface Entry {
  id: string;
  status: 'UNCHECKED' | 'PRESENT' | 'ABSENT';
  present: boolean | null;
  reason: string | null;
  room: string | null;
  leave: { id: string } | null;
  student: { id: string; fullName: string; isMinor: boolean; residence: { building: string; entrance: number } | null };
}
interface Patrol {
  id: string;
  status: string;
  progress: { total: number; checked: number; present: number; absent: number };
  entries: Entry[];
}

let stack: Stack;
let amqpConnection: ChannelModel;
const received: { routingKey: string; body: Record<string, unknown> }[] = [];
const tokens: Record<'patrol' | 'educator' | 'admin' | 'minor' | 'adult', string> = {
  patrol: '',
  educator: '',
  admin: '',
  minor: '',
  adult: '',
};
const ids: Record<'minor' | 'adult', string> = { minor: '', adult: '' };
let applicationId = '';
let yesterdayPatrol: Patrol;

async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await stack.graphql<T>(query, { variables, token });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** student.minor asks to spend the night at home from EVENING; an educator approves with the parent's voice message. */
async function approvedOvernightLeave(): Promise<string> {
  const { submitLeaveApplication } = await ok<{ submitLeaveApplication: { id: string } }>(
    `mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id } }`,
    tokens.minor,
    {
      input: {
        leaveAt: EVENING.toISOString(),
        returnAt: new Date(EVENING.getTime() + 14 * 3_600_000).toISOString(),
        reason: LEAVE_REASON,
        contactPhone: '+79991234567',
      },
    },
  );
  const { requestLeaveDocumentUpload: upload } = await ok<{
    requestLeaveDocumentUpload: { uploadUrl: string; method: string };
  }>(
    `mutation Upload($id: ID!) { requestLeaveDocumentUpload(applicationId: $id, kind: VOICE_MESSAGE) { uploadUrl method } }`,
    tokens.minor,
    { id: submitLeaveApplication.id },
  );
  const put = await fetch(upload.uploadUrl, {
    method: upload.method,
    headers: { 'content-type': 'audio/wav' },
    body: wav(2),
  });
  if (put.status !== 201) throw new Error(`voice message upload failed (${put.status}): ${await put.text()}`);
  await ok(
    `mutation Decide($id: ID!) { decideLeaveApplication(id: $id, decision: APPROVE) { id status } }`,
    tokens.educator,
    { id: submitLeaveApplication.id },
  );
  return submitLeaveApplication.id;
}

beforeAll(async () => {
  const untilMidnight = msToCampusMidnight();
  if (untilMidnight < MIDNIGHT_GUARD_MS) await sleep(untilMidnight + 1_000);
  stack = await startStack({
    services: ['identity', 'leave', 'patrol'],
    env: { patrol: () => ({ CAMPUS_TIMEZONE: CAMPUS_TZ, PATROL_EARLIEST_START: campusTime(eveningFromNow()) }) },
  });
  if (Date.now() > EVENING.getTime() - 10_000)
    throw new Error('the stack started too slowly to submit a leave before the evening');

  amqpConnection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  const channel = await amqpConnection.createChannel();
  await channel.assertExchange(stack.amqpExchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, stack.amqpExchange, 'campus.patrol.#');
  await channel.consume(
    queue,
    (m) => m && received.push({ routingKey: m.fields.routingKey, body: JSON.parse(m.content.toString()) }),
    {
      noAck: true,
    },
  );

  const [patrol, educator, admin, minor, adult] = await Promise.all(
    ['patrol', 'educator', 'admin', 'student.minor', 'student.adult'].map((name) =>
      stack.login(`${name}@sirius.local`),
    ),
  );
  Object.assign(tokens, { patrol, educator, admin, minor, adult });
  ids.minor = (await ok<{ me: { id: string } }>(ME, tokens.minor)).me.id;
  ids.adult = (await ok<{ me: { id: string } }>(ME, tokens.adult)).me.id;
  applicationId = await approvedOvernightLeave();
}, 180_000 + MIDNIGHT_GUARD_MS); // the file's timeout, plus a wait for campus midnight

afterAll(async () => {
  await amqpConnection?.close().catch(() => undefined);
  await stack?.stop();
});

it('lists the minors of the entrance, and no adult', async () => {
  const { startPatrol } = await ok<{ startPatrol: Patrol }>(START, tokens.patrol, {
    building: '8',
    entrance: 1,
    date: YESTERDAY,
  });
  yesterdayPatrol = startPatrol;
  const { users } = await ok<{ users: { items: { id: string }[] } }>(
    '{ users(filter: { building: "8", entrance: 1, minorsOnly: true }, size: 100) { items { id } } }',
    tokens.educator,
  );
  const listed = startPatrol.entries.map((e) => e.student.id);
  expect(new Set(listed)).toEqual(new Set(users.items.map((u) => u.id)));
  expect(listed).toContain(ids.minor);
  expect(listed).not.toContain(ids.adult);
  // names and residence come from identity through federation
  for (const entry of startPatrol.entries) {
    expect(entry.student).toMatchObject({ isMinor: true, residence: { building: '8', entrance: 1 } });
    expect(entry.student.fullName.length).toBeGreaterThan(3);
  }
  // the leave starts tonight, so it does not cover yesterday's evening
  expect(startPatrol.entries.find((e) => e.student.id === ids.minor)).toMatchObject({
    status: 'UNCHECKED',
    leave: null,
  });
});

it('refuses a student_patrol of another entrance', async () => {
  const { users } = await ok<{
    users: { items: { email: string; residence: { building: string; entrance: number } | null }[] };
  }>(
    '{ users(filter: { role: STUDENT_PATROL }, size: 100) { items { email residence { building entrance } } } }',
    tokens.admin,
  );
  const stranger = users.items.find(
    (u) => u.residence && !(u.residence.building === '8' && u.residence.entrance === 1),
  );
  expect(stranger).toBeDefined();
  const token = await stack.login(stranger!.email);
  const res = await stack.graphql(START, { variables: { building: '8', entrance: 1, date: TWO_DAYS_AGO }, token });
  expect(errorCodes(res)).toEqual(['FORBIDDEN']);
  const read = await stack.graphql('query P($id: ID!) { patrol(id: $id) { id } }', {
    variables: { id: yesterdayPatrol.id },
    token,
  });
  expect(errorCodes(read)).toEqual(['FORBIDDEN']);
});

it('refuses completion until every entry is checked, then completes', async () => {
  const refused = await stack.graphql(COMPLETE, { variables: { id: yesterdayPatrol.id }, token: tokens.patrol });
  expect(errorCodes(refused)).toEqual(['PATROL_NOT_ALL_CHECKED']);

  const minorEntry = yesterdayPatrol.entries.find((e) => e.student.id === ids.minor)!;
  const noReason = await stack.graphql(MARK, {
    variables: { entryId: minorEntry.id, present: false },
    token: tokens.patrol,
  });
  expect(errorCodes(noReason)).toEqual(['PATROL_REASON_REQUIRED']);
  await ok(MARK, tokens.patrol, { entryId: minorEntry.id, present: false, reason: 'At the regional olympiad' });
  for (const entry of yesterdayPatrol.entries.filter((e) => e.id !== minorEntry.id)) {
    await ok(MARK, tokens.patrol, { entryId: entry.id, present: true });
  }

  const { completePatrol } = await ok<{ completePatrol: Patrol }>(COMPLETE, tokens.patrol, { id: yesterdayPatrol.id });
  expect(completePatrol).toMatchObject({
    status: 'COMPLETED',
    progress: { total: yesterdayPatrol.entries.length, checked: yesterdayPatrol.entries.length, absent: 1 },
  });
  const again = await stack.graphql(MARK, {
    variables: { entryId: minorEntry.id, present: true },
    token: tokens.patrol,
  });
  expect(errorCodes(again)).toEqual(['PATROL_ALREADY_COMPLETED']);
});

it('publishes the completed patrol with its absentees to RabbitMQ', async () => {
  const event = await waitFor(
    () =>
      received.find(
        (m) => m.routingKey === 'campus.patrol.patrol.completed.v1' && m.body.subject === yesterdayPatrol.id,
      )?.body,
    'the patrol.completed event',
  );
  expect(event).toBeDefined();
  expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
  expect(event!.data).toMatchObject({
    patrolId: yesterdayPatrol.id,
    date: YESTERDAY,
    building: '8',
    entrance: 1,
    total: yesterdayPatrol.entries.length,
    absent: [
      expect.objectContaining({ studentId: ids.minor, reason: 'At the regional olympiad', leaveApplicationId: null }),
    ],
  });
});

it('pre-marks a minor on an approved overnight leave absent, the leave’s reason for staff only', async () => {
  const today = { building: '8', entrance: 1, date: TODAY };
  const early = await stack.graphql<{ startPatrol: Patrol }>(START, { variables: today, token: tokens.patrol });
  let startPatrol: Patrol;
  if (early.data?.startPatrol) {
    // Only when a loaded machine took us past the evening before the request was served.
    expect(Date.now()).toBeGreaterThanOrEqual(EVENING.getTime());
    startPatrol = early.data.startPatrol;
  } else {
    expect(errorCodes(early)).toEqual(['PATROL_TOO_EARLY']);
    await sleep(Math.max(0, EVENING.getTime() - Date.now() + 1_000));
    ({ startPatrol } = await ok<{ startPatrol: Patrol }>(START, tokens.patrol, today));
  }
  const entry = startPatrol.entries.find((e) => e.student.id === ids.minor);
  // the patrol student started it: the leave's own words are the applicant's and staff's
  expect(entry).toMatchObject({
    status: 'ABSENT',
    present: false,
    reason: 'Approved leave',
    leave: { id: applicationId },
  });
  expect(startPatrol.progress.absent).toBeGreaterThanOrEqual(1);
  expect(startPatrol.entries.map((e) => e.student.id)).not.toContain(ids.adult);

  // staff read the leave's reason on the entry, and follow it to the application in the leave subgraph
  const { patrol } = await ok<{
    patrol: { entries: { reason: string | null; leave: { id: string; status: string; reason: string } | null }[] };
  }>('query P($id: ID!) { patrol(id: $id) { entries { reason leave { id status reason } } } }', tokens.educator, {
    id: startPatrol.id,
  });
  expect(patrol.entries.find((e) => e.leave?.id === applicationId)?.reason).toBe(LEAVE_REASON);
  expect(patrol.entries.map((e) => e.leave).filter(Boolean)).toContainEqual({
    id: applicationId,
    status: 'APPROVED',
    reason: LEAVE_REASON,
  });
});
