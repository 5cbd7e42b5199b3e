// End-to-end through the router with identity, duty and notification as real processes over the
// seeded demo campus (issue: duty). Like clients: GraphQL and photo uploads through the router.
// The story: the head of 8/1 generates the month's roster; their room's duty is today: photos are
// uploaded, the report is submitted, rejected, completed, resubmitted and accepted; another room's
// duty today passes its deadline → overdue, a sanction for each resident, notifications arrive.
import { errorCodes, pdf, png, waitFor } from '@campus/testkit';
import { DEMO_PASSWORD, startStack, type Stack } from './support/stack';

jest.setTimeout(240_000); // one test waits for the configured deadline to pass

const CAMPUS_TZ = 'Europe/Moscow';

/** Campus-local date (YYYY-MM-DD) and "HH:MM:SS" of an instant. */
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
 * The duty deadline (23:00 in production) is set, when the duty process is spawned, to a campus
 * time DEADLINE_AHEAD_MS ahead: enough to report one duty through the router, after which another
 * duty of the same day is seen to pass it. The sweep runs every 2 seconds instead of every minute.
 */
const DEADLINE_AHEAD_MS = 45_000;
let DEADLINE: Date;
let TODAY: string;
function deadlineFromNow(): Date {
  DEADLINE = new Date(Math.ceil((Date.now() + DEADLINE_AHEAD_MS) / 1_000) * 1_000);
  TODAY = campusDate(DEADLINE);
  return DEADLINE;
}

const REQUIRED = [
  'KITCHEN_STOVE',
  'KITCHEN_COUNTERTOP_1',
  'KITCHEN_COUNTERTOP_2',
  'KITCHEN_SINK',
  'KITCHEN_GENERAL',
  'KITCHEN_TABLES_CHAIRS',
  'LAUNDRY_CLEANLINESS',
  'LAUNDRY_MACHINES',
  'LIGHTS_OFF',
];

interface Schedule {
  id: string;
  date: string;
  status: string;
  version: number;
  roomNumber: string;
  room: { id: string };
}

const SCHEDULE_FIELDS = 'id date status version roomNumber room { id }';
const GENERATE = `mutation Generate($input: GenerateDutyRosterInput!) {
  generateDutyRoster(input: $input) { id month schedules { ${SCHEDULE_FIELDS} } } }`;
const MOVE = `mutation Move($input: MoveDutyInput!) { moveDuty(input: $input) { ${SCHEDULE_FIELDS} } }`;
const REQUEST_UPLOAD = `mutation Upload($input: RequestDutyPhotoUploadInput!) {
  requestDutyPhotoUpload(input: $input) { uploadUrl method maxBytes acceptedContentTypes } }`;
const SUBMIT = `mutation Submit($id: ID!) { submitDutyReport(scheduleId: $id) { id status } }`;
const ACCEPT = `mutation Accept($id: ID!) { acceptDutyReport(scheduleId: $id) { id status } }`;
const REJECT = `mutation Reject($input: RejectDutyReportInput!) { rejectDutyReport(input: $input) { id status } }`;
const SCHEDULE = `query Schedule($id: ID!) { dutySchedule(id: $id) {
  id status deadlineAt
  report { status missingCategories photos { category contentType url } }
  reports { status rejectionReason }
  room { id residents { id email } } } }`;
const NOTIFICATIONS = `{ myNotifications(size: 50) { items { key title data } } }`;

let stack: Stack;
const tokens: Record<'head' | 'educator', string> = { head: '', educator: '' };
let headRoomId = '';
let ownDuty: Schedule;
let otherDuty: Schedule;

async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await stack.graphql<T>(query, { variables, token });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** Makes `schedule` (or another duty of its room) the duty of TODAY. */
async function dutyToday(schedules: Schedule[], roomId: string): Promise<Schedule> {
  const ofRoom = schedules.filter((s) => s.room.id === roomId);
  const today = ofRoom.find((s) => s.date === TODAY);
  if (today) return today;
  const first = ofRoom[0];
  if (!first) throw new Error(`room ${roomId} got no duty this month`);
  const { moveDuty } = await ok<{ moveDuty: Schedule }>(MOVE, tokens.head, {
    input: { scheduleId: first.id, date: TODAY, version: first.version },
  });
  return moveDuty;
}

async function uploadPhoto(scheduleId: string, category: string, body: Buffer, token = tokens.head): Promise<Response> {
  const { requestDutyPhotoUpload: link } = await ok<{ requestDutyPhotoUpload: { uploadUrl: string; method: string } }>(
    REQUEST_UPLOAD,
    token,
    { input: { scheduleId, category } },
  );
  expect(link.uploadUrl.startsWith(`${stack.routerUrl}/uploads/duty/`)).toBe(true);
  return fetch(link.uploadUrl, { method: link.method, body });
}

beforeAll(async () => {
  stack = await startStack({
    services: ['identity', 'duty', 'notification'],
    env: {
      duty: () => ({
        CAMPUS_TIMEZONE: CAMPUS_TZ,
        DUTY_DEADLINE_TIME: campusTime(deadlineFromNow()),
        // A roster counts today while the morning reminder is ahead: at the deadline, today stays plannable.
        DUTY_MORNING_REMINDER_TIME: campusTime(DEADLINE),
        DUTY_SWEEP_CRON: '*/2 * * * * *',
      }),
    },
  });
  // Close to midnight the deadline may fall on the next campus day: photos are taken on the duty day.
  while (campusDate(new Date()) !== TODAY) await sleep(500);
  tokens.head = await stack.login('head@sirius.local');
  tokens.educator = await stack.login('educator@sirius.local');
  const { me } = await ok<{ me: { residence: { roomId: string } } }>('{ me { residence { roomId } } }', tokens.head);
  headRoomId = me.residence.roomId;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('duty through the router', () => {
  it('the head generates the month roster of their entrance; a student_head of another entrance may not', async () => {
    const month = TODAY.slice(0, 7);
    const { generateDutyRoster: roster } = await ok<{ generateDutyRoster: { month: string; schedules: Schedule[] } }>(
      GENERATE,
      tokens.head,
      { input: { building: '8', entrance: 1, month } },
    );
    expect(roster.month).toBe(month);
    expect(roster.schedules.length).toBeGreaterThan(0);
    expect(roster.schedules.every((s) => s.date >= TODAY && s.date.startsWith(month))).toBe(true);
    expect(roster.schedules.every((s) => s.status === 'PENDING')).toBe(true);

    const again = await stack.graphql(GENERATE, {
      token: tokens.head,
      variables: { input: { building: '8', entrance: 1, month } },
    });
    expect(errorCodes(again)).toEqual(['DUTY_ROSTER_EXISTS']);
    const elsewhere = await stack.graphql(GENERATE, {
      token: tokens.head,
      variables: { input: { building: '8', entrance: 2, month } },
    });
    expect(errorCodes(elsewhere)).toEqual(['FORBIDDEN']);

    ownDuty = await dutyToday(roster.schedules, headRoomId);
    const otherRoom = roster.schedules.find((s) => s.room.id !== headRoomId)!;
    otherDuty = await dutyToday(roster.schedules, otherRoom.room.id);
    expect([ownDuty.date, otherDuty.date]).toEqual([TODAY, TODAY]);

    const calendar = await ok<{
      dutyCalendar: { dates: string[]; rows: { room: { id: string }; duties: Schedule[] }[] };
    }>(
      `query Cal($m: String!) { dutyCalendar(building: "8", entrance: 1, month: $m) {
        dates rows { room { id } duties { ${SCHEDULE_FIELDS} } } } }`,
      tokens.educator,
      { m: month },
    );
    expect(calendar.dutyCalendar.dates).toContain(TODAY);
    const ownRow = calendar.dutyCalendar.rows.find((r) => r.room.id === headRoomId)!;
    expect(ownRow.duties.map((d) => d.id)).toContain(ownDuty.id);
  });

  it('a report: photos through the router, incomplete refused, submitted, rejected, completed, accepted', async () => {
    const [first, ...rest] = REQUIRED;
    expect((await uploadPhoto(ownDuty.id, first!, png())).status).toBe(201);

    const pdfPut = await uploadPhoto(ownDuty.id, 'KITCHEN_SINK', pdf());
    expect(pdfPut.status).toBe(400);
    expect(((await pdfPut.json()) as { error_code: string }).error_code).toBe('DUTY_PHOTO_TYPE_NOT_ALLOWED');

    const early = await stack.graphql(SUBMIT, { token: tokens.head, variables: { id: ownDuty.id } });
    expect(errorCodes(early)).toEqual(['DUTY_REPORT_INCOMPLETE']);
    const missing = (early.errors?.[0]?.extensions?.details as { missing: string[] }).missing;
    expect(missing.length).toBe(REQUIRED.length - 1);

    for (const category of rest) expect((await uploadPhoto(ownDuty.id, category, png())).status).toBe(201);
    const submitted = await ok<{ submitDutyReport: { status: string } }>(SUBMIT, tokens.head, { id: ownDuty.id });
    expect(submitted.submitDutyReport.status).toBe('REPORT_SUBMITTED');

    const rejected = await ok<{ rejectDutyReport: { status: string } }>(REJECT, tokens.educator, {
      input: { scheduleId: ownDuty.id, reason: 'The stove is not clean' },
    });
    expect(rejected.rejectDutyReport.status).toBe('PENDING');

    // The next photo opens a new report; it needs every required category again.
    for (const category of REQUIRED) expect((await uploadPhoto(ownDuty.id, category, png())).status).toBe(201);
    await ok(SUBMIT, tokens.head, { id: ownDuty.id });
    const accepted = await ok<{ acceptDutyReport: { status: string } }>(ACCEPT, tokens.educator, { id: ownDuty.id });
    expect(accepted.acceptDutyReport.status).toBe('ACCEPTED');

    const { dutySchedule } = await ok<{
      dutySchedule: {
        reports: { status: string; rejectionReason: string | null }[];
        report: { photos: { contentType: string; url: string }[] };
      };
    }>(SCHEDULE, tokens.educator, { id: ownDuty.id });
    expect(dutySchedule.reports.map((r) => r.status)).toEqual(['REJECTED', 'ACCEPTED']);
    expect(dutySchedule.reports[0]!.rejectionReason).toBe('The stove is not clean');
    const photo = dutySchedule.report.photos[0]!;
    const download = await fetch(photo.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(png())).toBe(true);
  });

  it('another duty of today passes its deadline: overdue, a sanction for each resident, notifications', async () => {
    const { dutySchedule: other } = await ok<{
      dutySchedule: { room: { residents: { id: string; email: string }[] } };
    }>(SCHEDULE, tokens.educator, { id: otherDuty.id });
    const residents = other.room.residents;
    expect(residents.length).toBeGreaterThan(0);

    await sleep(Math.max(0, DEADLINE.getTime() - Date.now()));
    const overdue = await waitFor(
      async () => {
        const { dutySchedule } = await ok<{ dutySchedule: { status: string } }>(SCHEDULE, tokens.educator, {
          id: otherDuty.id,
        });
        return dutySchedule.status === 'OVERDUE' ? dutySchedule : undefined;
      },
      'the other duty to become overdue',
      60_000,
    );
    expect(overdue.status).toBe('OVERDUE');
    const { dutySchedule: own } = await ok<{ dutySchedule: { status: string } }>(SCHEDULE, tokens.educator, {
      id: ownDuty.id,
    });
    expect(own.status).toBe('ACCEPTED');

    const { dutySanctions } = await ok<{
      dutySanctions: { total: number; items: { id: string; status: string; user: { id: string }; dutyDate: string }[] };
    }>(
      `{ dutySanctions(filter: { building: "8", entrance: 1 }) { total items { id status dutyDate user { id } } } }`,
      tokens.educator,
    );
    expect(dutySanctions.items.map((s) => s.user.id).sort()).toEqual(residents.map((r) => r.id).sort());
    expect(dutySanctions.items.every((s) => s.dutyDate === TODAY && s.status === 'OPEN')).toBe(true);

    const residentToken = await stack.login(residents[0]!.email, DEMO_PASSWORD);
    const keys = await waitFor(
      async () => {
        const { myNotifications } = await ok<{ myNotifications: { items: { key: string }[] } }>(
          NOTIFICATIONS,
          residentToken,
        );
        const got = myNotifications.items.map((n) => n.key);
        return got.includes('duty.sanction') && got.includes('duty.overdue') ? got : undefined;
      },
      "the resident's overdue and sanction notifications",
      30_000,
    );
    expect(keys).toEqual(expect.arrayContaining(['duty.sanction', 'duty.overdue']));
    const mine = await ok<{ me: { sanctions: { status: string }[] } }>(
      '{ me { sanctions { status } } }',
      residentToken,
    );
    expect(mine.me.sanctions).toEqual([{ status: 'OPEN' }]);

    const headKeys = await waitFor(
      async () => {
        const { myNotifications } = await ok<{ myNotifications: { items: { key: string }[] } }>(
          NOTIFICATIONS,
          tokens.head,
        );
        const got = myNotifications.items.map((n) => n.key);
        return got.includes('duty.report_accepted') ? got : undefined;
      },
      "the head's report notifications",
      30_000,
    );
    expect(headKeys).toEqual(expect.arrayContaining(['duty.report_rejected', 'duty.report_accepted']));

    const resolved = await ok<{ resolveSanction: { status: string; resolutionNote: string } }>(
      `mutation Resolve($input: ResolveSanctionInput!) { resolveSanction(input: $input) { status resolutionNote } }`,
      tokens.educator,
      { input: { sanctionId: dutySanctions.items[0]!.id, note: 'Talked it through' } },
    );
    expect(resolved.resolveSanction).toEqual({ status: 'RESOLVED', resolutionNote: 'Talked it through' });
  });
});
