// End-to-end through the router with identity, coworking and notification as real processes over
// the seeded demo campus (issue: coworkings). Like clients: GraphQL only.
// The story: an educator adds a coworking; a student finds it free in a window and asks for a
// slot; the educator approves (a second student's overlapping request then cannot be approved),
// hands the key over — the board shows it out, at night the holder is reminded — asks for it back;
// the student returns it and the educator completes the booking. Illegal steps are refused with
// COWRK_INVALID_TRANSITION, a student may not see the board, and the notifications arrive.
import { randomBytes } from 'node:crypto';
import { localDate, zonedInstant } from '@campus/platform';
import { errorCodes, waitFor } from '@campus/testkit';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

const CAMPUS_TZ = 'Europe/Moscow';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Booking {
  id: string;
  status: string;
  version: number;
  nightReminderCount: number;
  student: { id: string };
}
interface BoardEntry {
  coworking: { id: string };
  current: { id: string } | null;
  keyHolder: { id: string } | null;
  keyOutSince: string | null;
  keyOutAtNight: boolean;
}
interface Notification {
  key: string;
  title: string;
  data: { bookingId?: string };
}

const BOOKING = 'id status version nightReminderCount student { id }';
const CREATE = `mutation Create($input: CreateCoworkingInput!) { createCoworking(input: $input) { id name building available } }`;
const FREE = `query Free($from: DateTime, $to: DateTime) {
  coworkings(building: "8", availableOnly: true, from: $from, to: $to) { id name freeInWindow } }`;
const REQUEST = `mutation Request($input: RequestBookingInput!) { requestBooking(input: $input) { ${BOOKING} } }`;
const step = (name: string) =>
  `mutation Step($input: BookingStepInput!) { ${name}(input: $input) { ${BOOKING} keyTakenAt completedAt } }`;
const ONE = `query One($id: ID!) { booking(id: $id) { ${BOOKING} } }`;
const BOARD = `{ coworkingBoard(building: "8") { coworking { id } current { id } keyHolder { id } keyOutSince keyOutAtNight } }`;
const NOTIFICATIONS = `{ myNotifications(size: 100) { items { key title data } } }`;

let stack: Stack;
const tokens = { educator: '', student: '', other: '' };
let coworkingId = '';
let booking: Booking;
let studentId = '';

async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await stack.graphql<T>(query, { variables, token });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const run = (name: string, token: string, input: Record<string, unknown>) =>
  stack.graphql<Record<string, Booking>>(step(name), { token, variables: { input } });

async function stepOk(name: string, token: string, bookingId: string): Promise<Booking> {
  const res = await run(name, token, { bookingId });
  if (res.errors?.length || !res.data) throw new Error(`${name} failed: ${JSON.stringify(res.errors)}`);
  return res.data[name]!;
}

async function notificationsAbout(token: string, bookingId: string): Promise<Notification[]> {
  const { myNotifications } = await ok<{ myNotifications: { items: Notification[] } }>(NOTIFICATIONS, token);
  return myNotifications.items.filter((n) => n.data.bookingId === bookingId);
}

async function boardEntry(token: string): Promise<BoardEntry | undefined> {
  const { coworkingBoard } = await ok<{ coworkingBoard: BoardEntry[] }>(BOARD, token);
  return coworkingBoard.find((e) => e.coworking.id === coworkingId);
}

/** Tomorrow (campus day) at HH:MM, campus time: inside the default opening hours 08:00–23:00. */
const tomorrowAt = (hhmm: string) =>
  zonedInstant(localDate(new Date(Date.now() + 24 * 3600_000), CAMPUS_TZ), hhmm, CAMPUS_TZ).toISOString();

beforeAll(async () => {
  stack = await startStack({
    services: ['identity', 'coworking', 'notification'],
    env: {
      // The night reminders fire every second and the "night" is the whole day, so that the story
      // sees a reminder whatever the hour it runs at (production: 00:00–06:00, every 30 minutes).
      coworking: {
        CAMPUS_TIMEZONE: CAMPUS_TZ,
        COWORKING_NIGHT_REMINDER_CRON: '*/1 * * * * *',
        COWORKING_NIGHT_FROM: '00:00',
        COWORKING_NIGHT_UNTIL: '24:00',
      },
    },
  });
  tokens.educator = await stack.login('educator@sirius.local');
  tokens.student = await stack.login('student.adult@sirius.local');
  tokens.other = await stack.login('student.minor@sirius.local');
  studentId = (await ok<{ me: { id: string } }>('{ me { id } }', tokens.student)).me.id;
}, 150_000);

afterAll(async () => {
  await stack?.stop();
});

describe('coworkings through the router', () => {
  const window = { from: '', to: '' };

  it('an educator adds a coworking; a student finds it free in a window and asks for a slot', async () => {
    const name = `Коворкинг e2e ${randomBytes(3).toString('hex')}`;
    const { createCoworking } = await ok<{ createCoworking: { id: string; available: boolean } }>(
      CREATE,
      tokens.educator,
      { input: { building: '8', name, description: 'Тихая комната', capacity: 6 } },
    );
    expect(createCoworking.available).toBe(true);
    coworkingId = createCoworking.id;
    const denied = await stack.graphql(CREATE, {
      token: tokens.student,
      variables: { input: { building: '8', name: `${name} 2`, capacity: 2 } },
    });
    expect(errorCodes(denied)).toEqual(['FORBIDDEN']);

    window.from = tomorrowAt('10:00');
    window.to = tomorrowAt('12:00');
    const { coworkings } = await ok<{ coworkings: { id: string; freeInWindow: boolean | null }[] }>(
      FREE,
      tokens.student,
      window,
    );
    expect(coworkings.find((c) => c.id === coworkingId)).toMatchObject({ freeInWindow: true });

    const { requestBooking } = await ok<{ requestBooking: Booking }>(REQUEST, tokens.student, {
      input: { coworkingId, startsAt: window.from, endsAt: window.to, purpose: 'Подготовка к олимпиаде' },
    });
    expect(requestBooking).toMatchObject({ status: 'PENDING', student: { id: studentId }, nightReminderCount: 0 });
    booking = requestBooking;
  });

  it('approved, the slot is taken: a second student’s overlapping request cannot be approved', async () => {
    const { requestBooking: overlapping } = await ok<{ requestBooking: Booking }>(REQUEST, tokens.other, {
      input: { coworkingId, startsAt: tomorrowAt('11:00'), endsAt: tomorrowAt('13:00'), purpose: 'Проект' },
    });
    expect(overlapping.status).toBe('PENDING');

    booking = await stepOk('approveBooking', tokens.educator, booking.id);
    expect(booking.status).toBe('APPROVED');
    const { coworkings } = await ok<{ coworkings: { id: string; freeInWindow: boolean | null }[] }>(
      FREE,
      tokens.student,
      window,
    );
    expect(coworkings.find((c) => c.id === coworkingId)).toMatchObject({ freeInWindow: false });

    const taken = await run('approveBooking', tokens.educator, { bookingId: overlapping.id });
    expect(errorCodes(taken)).toEqual(['COWRK_SLOT_TAKEN']);
    const { booking: still } = await ok<{ booking: Booking }>(ONE, tokens.other, { id: overlapping.id });
    expect(still.status).toBe('PENDING');
  });

  it('the key is handed over: the board shows it out (at night), the holder is reminded; a student may not see the board', async () => {
    const taken = await stepOk('handOverKey', tokens.educator, booking.id);
    expect(taken.status).toBe('KEY_TAKEN');

    const entry = await boardEntry(tokens.educator);
    expect(entry).toMatchObject({ keyHolder: { id: booking.id }, keyOutAtNight: true });
    expect(entry?.keyOutSince).toEqual(expect.any(String));
    expect(errorCodes(await stack.graphql(BOARD, { token: tokens.student }))).toEqual(['FORBIDDEN']);

    // Illegal steps name the current state.
    const cancel = await run('cancelBooking', tokens.student, { bookingId: booking.id });
    expect(errorCodes(cancel)).toEqual(['COWRK_INVALID_TRANSITION']);
    expect(cancel.errors?.[0]?.extensions).toMatchObject({ details: { status: 'key_taken' } });
    expect(errorCodes(await run('approveBooking', tokens.educator, { bookingId: booking.id }))).toEqual([
      'COWRK_INVALID_TRANSITION',
    ]);

    const reminded = await waitFor(
      async () => {
        const mine = await notificationsAbout(tokens.student, booking.id);
        return mine.find((n) => n.key === 'coworking.night_reminder');
      },
      'a night reminder for the key holder',
      20_000,
    );
    expect(reminded.title).toBe('Ключ от коворкинга не сдан');
    const { booking: now } = await ok<{ booking: Booking }>(ONE, tokens.student, { id: booking.id });
    expect(now.nightReminderCount).toBeGreaterThanOrEqual(1);
  });

  it('key return requested, returned by the student, completed by the educator: the reminders stop', async () => {
    expect((await stepOk('requestKeyReturn', tokens.educator, booking.id)).status).toBe('KEY_RETURN_REQUESTED');
    expect(errorCodes(await run('returnKey', tokens.other, { bookingId: booking.id }))).toEqual(['FORBIDDEN']);
    expect((await stepOk('returnKey', tokens.student, booking.id)).status).toBe('KEY_RETURNED');
    const completed = await stepOk('completeBooking', tokens.educator, booking.id);
    expect(completed.status).toBe('COMPLETED');
    expect(errorCodes(await run('returnKey', tokens.student, { bookingId: booking.id }))).toEqual([
      'COWRK_INVALID_TRANSITION',
    ]);

    const entry = await boardEntry(tokens.educator);
    expect(entry).toMatchObject({ keyHolder: null, keyOutAtNight: false });

    const count = completed.nightReminderCount;
    await sleep(2_500); // a few more firings
    const { booking: after } = await ok<{ booking: Booking }>(ONE, tokens.student, { id: booking.id });
    expect(after.nightReminderCount).toBe(count);
  });

  it('notifications: the student hears of each educator step, the educators of the request', async () => {
    const keys = await waitFor(
      async () => {
        const got = (await notificationsAbout(tokens.student, booking.id)).map((n) => n.key);
        return ['coworking.approved', 'coworking.key_return_requested', 'coworking.completed'].every((k) =>
          got.includes(k),
        )
          ? got
          : undefined;
      },
      "the student's coworking notifications",
      30_000,
    );
    expect(new Set(keys)).toEqual(
      new Set([
        'coworking.approved',
        'coworking.key_return_requested',
        'coworking.completed',
        'coworking.night_reminder',
      ]),
    );

    const educatorKeys = await waitFor(
      async () => {
        const got = (await notificationsAbout(tokens.educator, booking.id)).map((n) => n.key);
        return got.length ? got : undefined;
      },
      "the educator's request notification",
      30_000,
    );
    // Told of the request, not of their own approval or completion.
    expect(educatorKeys).toEqual(['coworking.requested']);
  });
});
