// End-to-end through the router with every participant of the check-out saga as a real process
// (issue: check-out saga). The story: 30 students whose stay ends this month are checked out as a
// cohort. One holds a coworking key (their check-out fails with CHECKOUT_KEY_HELD and nothing of
// theirs changes); one has a pending leave application and a pending booking (withdrawn and
// cancelled, account inactive, room free); the rest succeed. The orchestrator is SIGKILLed in the
// middle of the batch and started again: the batch still ends with every saga completed or
// compensated, asserted against each service's data. Then, with a failure injected into the
// identity step, one more student's check-out compensates the steps before it: the application is
// pending again and the booking approved again.
import { randomBytes } from 'node:crypto';
import { localDate, zonedInstant } from '@campus/platform';
import { errorCodes, eventually } from '@campus/testkit';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(300_000);

const CAMPUS_TZ = 'Europe/Moscow';
const PASSWORD = 'checkout-e2e-2026';
const COHORT_SIZE = 30;
const LEAVING_BY = '2026-12-20';

interface Item {
  checkoutId: string;
  student: { id: string };
  studentName: string;
  status: string;
  step: string;
  failureCode: string | null;
  failureReason: string | null;
  compensatedSteps: string[];
  doneSteps: string[];
}
interface Batch {
  id: string;
  total: number;
  succeeded: number;
  failed: number;
  inProgress: number;
  endedAt: string | null;
  items: { total: number; items: Item[] };
}
interface UserView {
  id: string;
  isActive: boolean;
  residence: { roomId: string; room: string } | null;
}

const IMPORT = `mutation Import($csv: String!) { importStudents(csv: $csv) { imported failed errors { row message } users { id email residence { roomId room } } } }`;
const CAMPUS = `{ campus { code entrances { number rooms { id number capacity residents { id } } } } }`;
const COHORT = `mutation Cohort($filter: CheckOutCohortFilter, $reason: String!) {
  checkOutCohort(filter: $filter, reason: $reason) { id total } }`;
const CHECK_OUT = `mutation CheckOut($ids: [ID!]!, $reason: String!) { checkOut(userIds: $ids, reason: $reason) { id total } }`;
const BATCH = `query Batch($id: ID!) { checkOutBatch(id: $id) {
  id total succeeded failed inProgress endedAt
  items(size: 100) { total items { checkoutId student { id } studentName status step failureCode failureReason compensatedSteps doneSteps } } } }`;
const USER = `query User($id: ID!) { user(id: $id) { id isActive residence { roomId room } } }`;
const ROOM_RESIDENTS = `{ campus { entrances { rooms { id residents { id } } } } }`;
const CREATE_COWORKING = `mutation Create($input: CreateCoworkingInput!) { createCoworking(input: $input) { id } }`;
const REQUEST_BOOKING = `mutation Request($input: RequestBookingInput!) { requestBooking(input: $input) { id status } }`;
const BOOKING_STEP = (name: string) =>
  `mutation Step($input: BookingStepInput!) { ${name}(input: $input) { id status } }`;
const BOOKING = `query One($id: ID!) { booking(id: $id) { id status } }`;
const SUBMIT_LEAVE = `mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id status } }`;
const LEAVE = `query Read($id: ID!) { leaveApplication(id: $id) { id status history { type actor { id } data } } }`;
const NOTIFICATIONS = `{ myNotifications(size: 100) { items { key title body data } } }`;

let stack: Stack;
const tokens = { admin: '', educator: '' };
let coworkingId = '';
let cohort: { id: string; email: string; roomId: string }[] = [];
let extra: { id: string; email: string; roomId: string };

async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await stack.graphql<T>(query, { variables, token });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const tomorrowAt = (hhmm: string) =>
  zonedInstant(localDate(new Date(Date.now() + 24 * 3600_000), CAMPUS_TZ), hhmm, CAMPUS_TZ).toISOString();

async function batch(id: string): Promise<Batch> {
  return (await ok<{ checkOutBatch: Batch }>(BATCH, tokens.admin, { id })).checkOutBatch;
}

async function userView(id: string): Promise<UserView> {
  return (await ok<{ user: UserView }>(USER, tokens.admin, { id })).user;
}

async function residentsOf(roomId: string): Promise<string[]> {
  const { campus } = await ok<{ campus: { entrances: { rooms: { id: string; residents: { id: string }[] }[] }[] }[] }>(
    ROOM_RESIDENTS,
    tokens.admin,
  );
  const rooms = campus.flatMap((b) => b.entrances.flatMap((e) => e.rooms));
  return rooms.find((r) => r.id === roomId)!.residents.map((r) => r.id);
}

/** A booking of a 2-hour slot tomorrow, approved by the educator. */
async function approvedBooking(token: string, from: string, to: string): Promise<string> {
  const { requestBooking } = await ok<{ requestBooking: { id: string } }>(REQUEST_BOOKING, token, {
    input: { coworkingId, startsAt: tomorrowAt(from), endsAt: tomorrowAt(to), purpose: 'Подготовка к экзамену' },
  });
  await ok(BOOKING_STEP('approveBooking'), tokens.educator, { input: { bookingId: requestBooking.id } });
  return requestBooking.id;
}

async function pendingLeave(token: string): Promise<string> {
  const leaveAt = new Date(Date.now() + 48 * 3600_000);
  const { submitLeaveApplication } = await ok<{ submitLeaveApplication: { id: string; status: string } }>(
    SUBMIT_LEAVE,
    token,
    {
      input: {
        leaveAt: leaveAt.toISOString(),
        returnAt: new Date(leaveAt.getTime() + 6 * 3600_000).toISOString(),
        reason: 'Домой на выходные',
        contactPhone: '8 (999) 123-45-67',
      },
    },
  );
  expect(submitLeaveApplication.status).toBe('PENDING');
  return submitLeaveApplication.id;
}

beforeAll(async () => {
  stack = await startStack({
    services: ['identity', 'coworking', 'leave', 'duty', 'notification', 'checkout'],
    env: {
      // Two sagas at a time and a tick every second: the batch takes long enough to be killed in
      // the middle; a killed process's sagas are taken over 3 s after their last save.
      checkout: {
        CHECKOUT_CONCURRENCY: '2',
        CHECKOUT_TICK_CRON: '* * * * * *',
        CHECKOUT_LEASE_SECONDS: '3',
        CHECKOUT_RETRY_BASE_MS: '200',
        CHECKOUT_RETRY_MAX_MS: '1000',
      },
    },
  });
  tokens.admin = await stack.login('admin@sirius.local');
  tokens.educator = await stack.login('educator@sirius.local');

  // 31 new students in free places of building 9: 30 leave by LEAVING_BY (the cohort), one later.
  const { campus } = await ok<{
    campus: { code: string; entrances: { rooms: { number: string; capacity: number; residents: unknown[] }[] }[] }[];
  }>(CAMPUS, tokens.admin);
  const places = campus
    .find((b) => b.code === '9')!
    .entrances.flatMap((e) => e.rooms)
    .flatMap((r) => Array<string>(Math.max(0, r.capacity - r.residents.length)).fill(r.number));
  expect(places.length).toBeGreaterThan(COHORT_SIZE);
  const tag = randomBytes(3).toString('hex');
  const rows = places.slice(0, COHORT_SIZE + 1).map((room, i) => {
    const leaving = i < COHORT_SIZE ? LEAVING_BY : '2027-06-30';
    return `checkout.${tag}.${i}@sirius.local,Выпускница${i},Анна,9,${room},${leaving},${PASSWORD}`;
  });
  const csv = ['email,lastName,firstName,building,room,checkOutDate,password', ...rows].join('\n');
  const { importStudents } = await ok<{
    importStudents: {
      imported: number;
      errors: unknown[];
      users: { id: string; email: string; residence: { roomId: string } }[];
    };
  }>(IMPORT, tokens.admin, { csv });
  expect(importStudents.errors).toEqual([]);
  const byIndex = (i: number) => importStudents.users.find((u) => u.email === `checkout.${tag}.${i}@sirius.local`)!;
  const imported = Array.from({ length: COHORT_SIZE + 1 }, (_, i) => byIndex(i)).map((u) => ({
    id: u.id,
    email: u.email,
    roomId: u.residence.roomId,
  }));
  cohort = imported.slice(0, COHORT_SIZE);
  extra = imported[COHORT_SIZE]!;

  coworkingId = (
    await ok<{ createCoworking: { id: string } }>(CREATE_COWORKING, tokens.educator, {
      input: { building: '9', name: `Коворкинг «Выезд» ${tag}`, description: 'Для e2e', capacity: 4 },
    })
  ).createCoworking.id;
}, 240_000);

afterAll(async () => {
  if (process.env.CHECKOUT_E2E_DEBUG) {
    for (const name of ['checkout', 'coworking'] as const) {
      const p = stack.services[name]![0]!;
      console.log(
        name,
        JSON.stringify(
          p.logs.filter((l) => l.level !== 'info' || String(l.msg).startsWith('checkout')).slice(-15),
          null,
          1,
        ),
        p.output.slice(-20).join('\n'),
      );
    }
  }
  await stack?.stop();
});

describe('the check-out of a cohort through the router', () => {
  const state = { batchId: '', keyBookingId: '', leaveId: '', pendingBookingId: '' };
  const keyHolder = () => cohort[0]!;
  const withLeave = () => cohort[1]!;

  it('a student takes a coworking key; another has a pending leave application and a pending booking', async () => {
    const keyToken = await stack.login(keyHolder().email, PASSWORD);
    state.keyBookingId = await approvedBooking(keyToken, '10:00', '12:00');
    const handed = await ok<{ handOverKey: { status: string } }>(BOOKING_STEP('handOverKey'), tokens.educator, {
      input: { bookingId: state.keyBookingId },
    });
    expect(handed.handOverKey.status).toBe('KEY_TAKEN');

    const leaveToken = await stack.login(withLeave().email, PASSWORD);
    state.leaveId = await pendingLeave(leaveToken);
    const { requestBooking } = await ok<{ requestBooking: { id: string; status: string } }>(
      REQUEST_BOOKING,
      leaveToken,
      {
        input: { coworkingId, startsAt: tomorrowAt('14:00'), endsAt: tomorrowAt('15:00'), purpose: 'Проект' },
      },
    );
    state.pendingBookingId = requestBooking.id;
  });

  it('only an educator_head or admin may check out; an empty cohort is refused', async () => {
    const refused = await stack.graphql(COHORT, {
      token: tokens.educator,
      variables: { filter: { building: '9', checkOutDateTo: LEAVING_BY }, reason: 'Конец смены' },
    });
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    const empty = await stack.graphql(COHORT, {
      token: tokens.admin,
      variables: { filter: { building: '9', checkOutDateTo: '2020-01-01' }, reason: 'Конец смены' },
    });
    expect(errorCodes(empty)).toEqual(['CHECKOUT_COHORT_EMPTY']);
  });

  it('the admin checks out the cohort; the orchestrator is SIGKILLed mid-batch and restarted; every saga ends', async () => {
    const { checkOutCohort } = await ok<{ checkOutCohort: { id: string; total: number } }>(COHORT, tokens.admin, {
      filter: { building: '9', checkOutDateTo: LEAVING_BY },
      reason: 'Конец осенней смены',
    });
    expect(checkOutCohort.total).toBe(COHORT_SIZE);
    state.batchId = checkOutCohort.id;

    const midway = await eventually(
      () => batch(state.batchId),
      (b) => b.succeeded + b.failed >= 4,
      60_000,
      'a few check-outs ended',
    );
    expect(midway.inProgress).toBeGreaterThan(0); // really in the middle
    await stack.restart('checkout', { signal: 'SIGKILL' });

    const ended = await eventually(
      () => batch(state.batchId),
      (b) => b.endedAt !== null,
      180_000,
      'the batch ended',
    );
    expect(ended).toMatchObject({ total: COHORT_SIZE, succeeded: COHORT_SIZE - 1, failed: 1, inProgress: 0 });
    expect(ended.items.total).toBe(COHORT_SIZE);
  });

  it('the key holder’s check-out failed with CHECKOUT_KEY_HELD naming the coworking, and nothing of theirs changed', async () => {
    const { items } = (await batch(state.batchId)).items;
    const failed = items.filter((i) => i.status === 'FAILED');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      student: { id: keyHolder().id },
      step: 'RELEASE_BOOKINGS',
      failureCode: 'CHECKOUT_KEY_HELD',
      compensatedSteps: [],
      doneSteps: [],
    });
    expect(failed[0]!.failureReason).toContain('«Выезд»');
    expect(await userView(keyHolder().id)).toMatchObject({ isActive: true, residence: { roomId: keyHolder().roomId } });
    expect((await residentsOf(keyHolder().roomId)).includes(keyHolder().id)).toBe(true);
    const { booking } = await ok<{ booking: { status: string } }>(BOOKING, tokens.educator, { id: state.keyBookingId });
    expect(booking.status).toBe('KEY_TAKEN');
    await stack.login(keyHolder().email, PASSWORD); // still signs in
  });

  it('the student with a pending application: withdrawn by the system, booking cancelled, account inactive, room free', async () => {
    const { leaveApplication } = await ok<{
      leaveApplication: {
        status: string;
        history: { type: string; actor: { id: string } | null; data: { checkoutId?: string } }[];
      };
    }>(LEAVE, tokens.educator, { id: state.leaveId });
    expect(leaveApplication.status).toBe('WITHDRAWN');
    const withdrawn = leaveApplication.history.at(-1)!;
    expect(withdrawn).toMatchObject({ type: 'WITHDRAWN', actor: null });
    // Once, though the orchestrator may have run the step again after the kill.
    expect(leaveApplication.history.filter((h) => h.type === 'WITHDRAWN')).toHaveLength(1);
    expect(withdrawn.data.checkoutId).toBeDefined();
    const { booking } = await ok<{ booking: { status: string } }>(BOOKING, tokens.educator, {
      id: state.pendingBookingId,
    });
    expect(booking.status).toBe('CANCELLED');
    expect(await userView(withLeave().id)).toMatchObject({ isActive: false, residence: null });
    expect(await residentsOf(withLeave().roomId)).not.toContain(withLeave().id);
    const login = await stack.graphql(
      'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
      { variables: { email: withLeave().email, password: PASSWORD } },
    );
    expect(errorCodes(login)).toEqual(['AUTH_ACCOUNT_DISABLED']);
  });

  it('every other student of the cohort is checked out: inactive, out of their room', async () => {
    const { items } = (await batch(state.batchId)).items;
    for (const student of cohort.slice(1)) {
      expect(items.find((i) => i.student.id === student.id)).toMatchObject({
        status: 'SUCCEEDED',
        doneSteps: ['RELEASE_BOOKINGS', 'WITHDRAW_LEAVE', 'CLOSE_SANCTIONS', 'DEACTIVATE_ACCOUNT'],
      });
      expect(await userView(student.id)).toMatchObject({ isActive: false, residence: null });
    }
  });

  it('the key holder is told to return the key, and the admin gets the batch’s outcome', async () => {
    const keyToken = await stack.login(keyHolder().email, PASSWORD);
    const mine = await eventually(
      async () =>
        (
          await ok<{ myNotifications: { items: { key: string; body: string; data: { batchId?: string } }[] } }>(
            NOTIFICATIONS,
            keyToken,
          )
        ).myNotifications.items,
      (items) => items.some((n) => n.key === 'checkout.key_held'),
      30_000,
      'the key holder’s notification',
    );
    expect(mine.find((n) => n.key === 'checkout.key_held')!.data.batchId).toBe(state.batchId);
    const admins = await eventually(
      async () =>
        (
          await ok<{ myNotifications: { items: { key: string; data: { batchId?: string; succeeded?: number } }[] } }>(
            NOTIFICATIONS,
            tokens.admin,
          )
        ).myNotifications.items,
      (items) => items.some((n) => n.key === 'checkout.batch_completed' && n.data.batchId === state.batchId),
      30_000,
      'the admin’s batch notification',
    );
    expect(
      admins.find((n) => n.key === 'checkout.batch_completed' && n.data.batchId === state.batchId)!.data,
    ).toMatchObject({
      succeeded: COHORT_SIZE - 1,
    });
  });

  it('with the identity step failing, a check-out compensates: the application is pending and the booking approved again', async () => {
    await stack.restart('checkout', { signal: 'SIGTERM', env: { CHECKOUT_INJECT_FAULTS: 'deactivate_account:*' } });
    const token = await stack.login(extra.email, PASSWORD);
    const leaveId = await pendingLeave(token);
    const bookingId = await approvedBooking(token, '18:00', '19:00');

    const { checkOut } = await ok<{ checkOut: { id: string } }>(CHECK_OUT, tokens.admin, {
      ids: [extra.id],
      reason: 'Досрочный выезд',
    });
    const ended = await eventually(
      () => batch(checkOut.id),
      (b) => b.endedAt !== null,
      60_000,
      'the check-out ended',
    );
    expect(ended.items.items[0]).toMatchObject({
      status: 'FAILED',
      step: 'DEACTIVATE_ACCOUNT',
      failureCode: 'CHECKOUT_STEP_REFUSED',
      compensatedSteps: ['CLOSE_SANCTIONS', 'WITHDRAW_LEAVE', 'RELEASE_BOOKINGS'],
    });

    const { leaveApplication } = await ok<{ leaveApplication: { status: string; history: { type: string }[] } }>(
      LEAVE,
      tokens.educator,
      { id: leaveId },
    );
    expect(leaveApplication.status).toBe('PENDING');
    expect(leaveApplication.history.map((h) => h.type).slice(-2)).toEqual(['WITHDRAWN', 'REINSTATED']);
    const { booking } = await ok<{ booking: { status: string } }>(BOOKING, tokens.educator, { id: bookingId });
    expect(booking.status).toBe('APPROVED');
    expect(await userView(extra.id)).toMatchObject({ isActive: true, residence: { roomId: extra.roomId } });
  });
});
