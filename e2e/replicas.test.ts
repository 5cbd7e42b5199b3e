// End-to-end through the router with TWO replicas of every service that relays an outbox, consumes
// events, runs scheduler jobs or drives sagas (issue: deployment past one machine). One stack, the
// stories in sequence; the router talks to the first replica, but both replicas' relays, consumers,
// scheduler loops and saga runners compete for the same rows. Every effect is asserted to happen
// exactly once against the services' databases, the events on the stack's exchange and the logs:
// - outbox relays: concurrent leave submissions and decisions, patrols started and completed;
// - the notification consumer: each event stored by one replica, each push reaching a stream once;
// - the scheduler: coworking night reminders fired every second by both replicas (one per booking
//   and firing);
// - the check-out orchestrator: a cohort checked out with both replicas ticking every second (each
//   step run once per saga, one batch.completed);
// - the scheduler again: a duty deadline passing with the sweep firing every second on both
//   replicas (one overdue transition, one sanction per resident, one event of each).
// At the end, across the whole run: no event id published twice, every outbox row published and
// seen once, and the replicas' publish counters adding up to the rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { localDate, zonedInstant } from '@campus/platform';
import { EventObserver, eventually, openSse, type ObservedMessage, type SseStream } from '@campus/testkit';
import { startStack, type ServiceName, type Stack } from './support/stack';

jest.setTimeout(600_000);

const CAMPUS_TZ = 'Europe/Moscow';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LEAVES = 12;
const PATROL_DAYS = [1, 2, 3];
const COHORT_SIZE = 12;
const LEAVING_BY = '2026-12-20';
const PASSWORD = 'replicas-e2e-2026';
const STEPS = ['release_bookings', 'withdraw_leave', 'close_sanctions', 'deactivate_account', 'finish'];

/** Every service with a relay, a consumer, scheduler jobs or an orchestrator, run twice. */
const REPLICATED = ['leave', 'patrol', 'duty', 'coworking', 'notification', 'checkout'] as const;
/** The services with an outbox (identity publishes nothing). */
const PUBLISHERS = ['leave', 'patrol', 'duty', 'coworking', 'checkout'] as const;
type Publisher = (typeof PUBLISHERS)[number];

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
const tomorrowAt = (hhmm: string) => zonedInstant(localDate(new Date(Date.now() + DAY), CAMPUS_TZ), hhmm, CAMPUS_TZ);

/**
 * The duty deadline (23:00 in production) is a campus time DEADLINE_AHEAD_MS after the first duty
 * replica is spawned, the same for both (chosen once): the stack starts (its 14 processes took
 * 95 s in all on a loaded 2-core machine), the duties of today are set up, the other stories run,
 * and the deadline passes while both replicas sweep every second.
 */
const DEADLINE_AHEAD_MS = 130_000;
let DEADLINE: Date | undefined;
let TODAY = '';
function deadline(): Date {
  if (!DEADLINE) {
    DEADLINE = new Date(Math.ceil((Date.now() + DEADLINE_AHEAD_MS) / 1_000) * 1_000);
    TODAY = campusDate(DEADLINE);
  }
  return DEADLINE;
}

const SUBMIT = `mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id } }`;
const DECIDE = `mutation Decide($id: ID!) { decideLeaveApplication(id: $id, decision: APPROVE) { id status } }`;
const START_PATROL = `mutation Start($building: String!, $entrance: Int!, $date: Date!) {
  startPatrol(building: $building, entrance: $entrance, date: $date) { id entries { id } } }`;
const MARK = `mutation Mark($entryId: ID!, $present: Boolean!, $reason: String) {
  markPatrolEntry(entryId: $entryId, present: $present, reason: $reason) { id } }`;
const COMPLETE_PATROL = `mutation Complete($id: ID!) { completePatrol(id: $id) { id status } }`;
const CREATE_COWORKING = `mutation Create($input: CreateCoworkingInput!) { createCoworking(input: $input) { id } }`;
const REQUEST_BOOKING = `mutation Request($input: RequestBookingInput!) { requestBooking(input: $input) { id } }`;
const BOOKING_STEP = (name: string) =>
  `mutation Step($input: BookingStepInput!) { ${name}(input: $input) { id status } }`;
const GENERATE = `mutation Generate($input: GenerateDutyRosterInput!) {
  generateDutyRoster(input: $input) { schedules { id date version room { id } } } }`;
const MOVE = `mutation Move($input: MoveDutyInput!) { moveDuty(input: $input) { id date version room { id } } }`;
const CAMPUS = `{ campus { code entrances { rooms { number capacity residents { id } } } } }`;
const IMPORT = `mutation Import($csv: String!) { importStudents(csv: $csv) { errors { row message } users { id email } } }`;
const COHORT = `mutation Cohort($filter: CheckOutCohortFilter, $reason: String!) {
  checkOutCohort(filter: $filter, reason: $reason) { id total } }`;
const BATCH = `query Batch($id: ID!) { checkOutBatch(id: $id) { id total succeeded failed inProgress endedAt } }`;

interface DutyRow {
  id: string;
  date: string;
  version: number;
  room: { id: string };
}
interface BatchView {
  total: number;
  succeeded: number;
  failed: number;
  inProgress: number;
  endedAt: string | null;
}

let stack: Stack;
let observer: EventObserver;
const db = {} as Record<Publisher | 'notification', pg.Client>;
const tokens = { educator: '', student: '', head: '', patrol: '', admin: '' };
/** Outbox rows that existed before the observer was bound (none expected; never counted as missed). */
const before = new Map<Publisher, Set<string>>();
/** Today's duties set up in beforeAll (their deadline passes in the duty story). */
const dutiesToday: string[] = [];
const streams: SseStream[] = [];

async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await stack.graphql<T>(query, { variables, token });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

async function rows<T extends pg.QueryResultRow>(
  name: Publisher | 'notification',
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  return (await db[name].query<T>(text, values)).rows;
}

/** Events seen on the exchange of one type, optionally about one subject. */
const seen = (type: string, subject?: string): ObservedMessage[] =>
  observer.messages.filter((m) => m.body.type === type && (subject === undefined || m.body.subject === subject));

/** How often each value occurs more than once (empty: no duplicates). */
function duplicates(values: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, n]) => n > 1));
}

/** Log lines with message `msg` of every replica of `name`, tagged with the replica's index. */
function logsOf(name: ServiceName, msg: string): (Record<string, unknown> & { replica: number })[] {
  return stack.services[name]!.flatMap((proc, replica) =>
    proc.logs.filter((l) => l.msg === msg).map((l) => ({ ...l, replica })),
  );
}

/** campus_outbox_published_total of each replica of `name` (its /metrics). */
async function publishedByReplica(name: Publisher): Promise<number[]> {
  return Promise.all(
    stack.ports[name]!.map(async ({ http }) => {
      const text = await (await fetch(`http://127.0.0.1:${http}/metrics`)).text();
      const line = text.split('\n').find((l) => /^campus_outbox_published_total(\{[^}]*\})? /.test(l));
      return line ? Number(line.split(' ').at(-1)) : 0;
    }),
  );
}

/** Waits until every outbox row of `name` is published; returns the rows (id, type, subject) in seq order. */
async function allPublished(name: Publisher) {
  return eventually(
    () =>
      rows<{ id: string; type: string; subject: string | null; published: boolean }>(
        name,
        `SELECT id::text, type, payload->>'subject' AS subject, published_at IS NOT NULL AS published
           FROM outbox ORDER BY seq`,
      ),
    (all) => all.every((r) => r.published),
    60_000,
    `every ${name} outbox row published`,
  );
}

/** The replica (index) that stored the notifications of each event, from the consumers' logs. */
function storedBy(): Map<string, { replicas: number[]; recipients: number[] }> {
  const byEvent = new Map<string, { replicas: number[]; recipients: number[] }>();
  for (const line of logsOf('notification', 'notifications stored')) {
    const entry = byEvent.get(String(line.eventId)) ?? { replicas: [], recipients: [] };
    entry.replicas.push(line.replica);
    entry.recipients.push(Number(line.recipients));
    byEvent.set(String(line.eventId), entry);
  }
  return byEvent;
}

/** Waits until the consumers stored the notifications of each of `eventIds`; the count of rows per event. */
async function notificationsOf(eventIds: readonly string[]): Promise<Map<string, number>> {
  await eventually(
    () => storedBy(),
    (stored) => eventIds.every((id) => stored.has(id)),
    60_000,
    'the notifications of the events stored',
  );
  const counted = await rows<{ event_id: string; n: number }>(
    'notification',
    'SELECT event_id, count(*)::int AS n FROM notifications WHERE event_id = ANY($1) GROUP BY event_id',
    [eventIds],
  );
  const result = new Map(eventIds.map((id) => [id, 0]));
  for (const r of counted) result.set(r.event_id, r.n);
  return result;
}

beforeAll(async () => {
  const t0 = Date.now();
  stack = await startStack({
    services: ['identity', ...REPLICATED],
    replicas: Object.fromEntries(REPLICATED.map((name) => [name, 2])),
    env: {
      leave: { LEAVE_MAX_PENDING_PER_STUDENT: '50' },
      duty: () => ({
        CAMPUS_TIMEZONE: CAMPUS_TZ,
        DUTY_DEADLINE_TIME: campusTime(deadline()),
        // A roster counts today while the morning reminder is ahead: at the deadline, today stays plannable.
        DUTY_MORNING_REMINDER_TIME: campusTime(deadline()),
        DUTY_SWEEP_CRON: '* * * * * *',
      }),
      // The night is the whole day and a reminder fires every second (production: 00:00–06:00,
      // every 30 minutes), on both replicas.
      coworking: {
        CAMPUS_TIMEZONE: CAMPUS_TZ,
        COWORKING_NIGHT_REMINDER_CRON: '* * * * * *',
        COWORKING_NIGHT_FROM: '00:00',
        COWORKING_NIGHT_UNTIL: '24:00',
      },
      // One saga at a time per replica and a tick every second: the second replica's ticks find
      // sagas the first has not claimed yet. The lease (20 s) outlives every step here.
      checkout: { CHECKOUT_CONCURRENCY: '1', CHECKOUT_TICK_CRON: '* * * * * *' },
    },
  });
  // Readiness, not liveness: consumers subscribed, schedulers started, on every replica.
  for (const name of REPLICATED) {
    for (const { http } of stack.ports[name]!) {
      await eventually(
        async () => (await fetch(`http://127.0.0.1:${http}/health/readiness`).catch(() => undefined))?.status,
        (status) => status === 200,
        90_000,
        `${name} readiness on port ${http}`,
      );
    }
  }
  console.log(`stack of ${REPLICATED.length * 2 + 2} processes ready in ${Date.now() - t0} ms`);

  observer = await new EventObserver(stack.amqpExchange).start();
  for (const name of PUBLISHERS) {
    db[name] = new pg.Client({ connectionString: stack.databases[name]!.url });
    await db[name].connect();
    before.set(name, new Set((await rows<{ id: string }>(name, 'SELECT id::text FROM outbox')).map((r) => r.id)));
  }
  db.notification = new pg.Client({ connectionString: stack.databases.notification!.url });
  await db.notification.connect();

  const [educator, student, head, patrol, admin] = await Promise.all(
    ['educator', 'student.adult', 'head', 'patrol', 'admin'].map((n) => stack.login(`${n}@sirius.local`)),
  );
  Object.assign(tokens, { educator, student, head, patrol, admin });

  // Today's duties of three rooms of 8/1 (whatever the roster gave today, plus moved ones).
  while (campusDate(new Date()) !== TODAY) await sleep(500); // the deadline may fall after midnight
  const { generateDutyRoster } = await ok<{ generateDutyRoster: { schedules: DutyRow[] } }>(GENERATE, tokens.head, {
    input: { building: '8', entrance: 1, month: TODAY.slice(0, 7) },
  });
  const rooms = [...new Set(generateDutyRoster.schedules.map((s) => s.room.id))].slice(0, 3);
  for (const roomId of rooms) {
    const ofRoom = generateDutyRoster.schedules.filter((s) => s.room.id === roomId);
    const today = ofRoom.find((s) => s.date === TODAY);
    if (today) dutiesToday.push(today.id);
    else {
      const first = ofRoom[0]!;
      const { moveDuty } = await ok<{ moveDuty: DutyRow }>(MOVE, tokens.head, {
        input: { scheduleId: first.id, date: TODAY, version: first.version },
      });
      dutiesToday.push(moveDuty.id);
    }
  }
  const left = deadline().getTime() - Date.now();
  console.log(`duties of today set up; the deadline passes in ${left} ms`);
  if (left < 10_000) throw new Error(`the stack started too slowly: the duty deadline is ${left} ms away`);
}, 400_000);

afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});

afterAll(async () => {
  for (const s of streams.splice(0)) s.close();
  await Promise.all(Object.values(db).map((c) => c.end().catch(() => undefined)));
  await stack?.stop(); // removes the exchange, so the observer's own removal comes second
  await observer?.stop();
});

describe('two replicas of every relay, consumer, scheduler and orchestrator', () => {
  it('outbox relays and consumers: concurrent leave submissions and approvals, each event published, stored and pushed once', async () => {
    const applicantStream = await openSse(`${stack.routerUrl}/notifications/stream`, {
      authorization: `Bearer ${tokens.student}`,
    });
    const educatorStream = await openSse(`${stack.routerUrl}/notifications/stream`, {
      authorization: `Bearer ${tokens.educator}`,
    });
    streams.push(applicantStream, educatorStream);
    for (const s of streams) await s.until((x) => x.retryMs !== undefined, 15_000);

    // All at once: the commits, and so the rows both relays compete for, pile up together.
    const ids = await Promise.all(
      Array.from({ length: LEAVES }, async (_, n) => {
        const leaveAt = new Date(Date.now() + 2 * DAY + n * HOUR);
        const { submitLeaveApplication } = await ok<{ submitLeaveApplication: { id: string } }>(
          SUBMIT,
          tokens.student,
          {
            input: {
              leaveAt: leaveAt.toISOString(),
              returnAt: new Date(leaveAt.getTime() + 2 * HOUR).toISOString(),
              reason: `Репетиция оркестра (replicas e2e ${n})`,
              contactPhone: '+79991234567',
            },
          },
        );
        return submitLeaveApplication.id;
      }),
    );
    await Promise.all(ids.map((id) => ok(DECIDE, tokens.educator, { id })));

    const leaveRows = await allPublished('leave');
    await observer.waitFor(
      () => ids.every((id) => seen('campus.leave.application.approved.v1', id).length > 0),
      30_000,
    );
    await observer.flush();
    for (const id of ids) {
      expect(seen('campus.leave.application.submitted.v1', id)).toHaveLength(1);
      expect(seen('campus.leave.application.approved.v1', id)).toHaveLength(1);
    }
    const published = await publishedByReplica('leave');
    console.log(`leave relays: rows published per replica ${published.join(' + ')} = ${leaveRows.length} rows`);
    expect(published.reduce((a, b) => a + b, 0)).toBe(leaveRows.length);

    // Stored once per recipient: the applicant once per approval, each educator once per submission.
    const submitted = ids.map((id) => seen('campus.leave.application.submitted.v1', id)[0]!.body.id);
    const approved = ids.map((id) => seen('campus.leave.application.approved.v1', id)[0]!.body.id);
    const counts = await notificationsOf([...submitted, ...approved]);
    for (const eventId of approved) expect(counts.get(eventId)).toBe(1);
    const educators = counts.get(submitted[0]!)!;
    expect(educators).toBeGreaterThan(0);
    for (const eventId of submitted) expect(counts.get(eventId)).toBe(educators);
    const stored = storedBy();
    for (const eventId of [...submitted, ...approved]) expect(stored.get(eventId)!.replicas).toHaveLength(1);
    const consumers = [...submitted, ...approved].map((id) => stored.get(id)!.replicas[0]!);
    console.log(
      `notification consumers: ${consumers.filter((r) => r === 0).length} events stored by replica 1, ${consumers.filter((r) => r === 1).length} by replica 2`,
    );
    expect(new Set(consumers)).toEqual(new Set([0, 1]));

    // Pushed once: the streams (held by the first replica) get each notification once, whichever
    // replica consumed the event.
    const about = (stream: SseStream, key: string) =>
      stream.events
        .map((e) => JSON.parse(e.data) as { id: string; key: string; data: { applicationId?: string } })
        .filter((n) => n.key === key && ids.includes(n.data.applicationId ?? ''));
    await applicantStream.until((s) => about(s, 'leave.approved').length >= LEAVES, 30_000);
    await educatorStream.until((s) => about(s, 'leave.submitted').length >= LEAVES, 30_000);
    await sleep(1_500); // a second copy would follow within this
    for (const [stream, key] of [
      [applicantStream, 'leave.approved'],
      [educatorStream, 'leave.submitted'],
    ] as const) {
      const pushed = about(stream, key);
      expect(pushed).toHaveLength(LEAVES);
      expect(new Set(pushed.map((n) => n.id)).size).toBe(LEAVES);
      expect(new Set(pushed.map((n) => n.data.applicationId))).toEqual(new Set(ids));
    }
  });

  it('outbox relays: patrols started and completed, each event published once', async () => {
    const patrols: string[] = [];
    for (const daysAgo of PATROL_DAYS) {
      const date = campusDate(new Date(Date.now() - daysAgo * DAY));
      const { startPatrol } = await ok<{ startPatrol: { id: string; entries: { id: string }[] } }>(
        START_PATROL,
        tokens.patrol,
        { building: '8', entrance: 1, date },
      );
      const [absent, ...present] = startPatrol.entries;
      if (absent) await ok(MARK, tokens.patrol, { entryId: absent.id, present: false, reason: 'На олимпиаде' });
      await Promise.all(present.map((e) => ok(MARK, tokens.patrol, { entryId: e.id, present: true })));
      await ok(COMPLETE_PATROL, tokens.patrol, { id: startPatrol.id });
      patrols.push(startPatrol.id);
    }
    const patrolRows = await allPublished('patrol');
    await observer.waitFor(
      () => patrols.every((id) => seen('campus.patrol.patrol.completed.v1', id).length > 0),
      30_000,
    );
    await observer.flush();
    for (const id of patrols) {
      expect(seen('campus.patrol.patrol.started.v1', id)).toHaveLength(1);
      expect(seen('campus.patrol.patrol.completed.v1', id)).toHaveLength(1);
    }
    const published = await publishedByReplica('patrol');
    console.log(`patrol relays: rows published per replica ${published.join(' + ')} = ${patrolRows.length} rows`);
    expect(published.reduce((a, b) => a + b, 0)).toBe(patrolRows.length);

    // Each absentee report stored once, for the same staff each time.
    const completed = patrols.map((id) => seen('campus.patrol.patrol.completed.v1', id)[0]!.body.id);
    const counts = await notificationsOf(completed);
    const stored = storedBy();
    for (const eventId of completed) {
      expect(stored.get(eventId)!.replicas).toHaveLength(1);
      expect(counts.get(eventId)).toBe(stored.get(eventId)!.recipients[0]);
    }
  });

  it('scheduler: night reminders fired every second by both replicas, once per booking and firing', async () => {
    const { createCoworking } = await ok<{ createCoworking: { id: string } }>(CREATE_COWORKING, tokens.educator, {
      input: { building: '8', name: `Коворкинг реплик ${randomBytes(3).toString('hex')}`, capacity: 4 },
    });
    const { requestBooking } = await ok<{ requestBooking: { id: string } }>(REQUEST_BOOKING, tokens.student, {
      input: {
        coworkingId: createCoworking.id,
        startsAt: tomorrowAt('10:00').toISOString(),
        endsAt: tomorrowAt('12:00').toISOString(),
        purpose: 'Подготовка к олимпиаде',
      },
    });
    const bookingId = requestBooking.id;
    const step = (name: string, token = tokens.educator) => ok(BOOKING_STEP(name), token, { input: { bookingId } });
    await step('approveBooking');
    await step('handOverKey');

    const reminded = () =>
      rows<{ n: number }>('coworking', 'SELECT night_reminder_count AS n FROM bookings WHERE id = $1', [bookingId]);
    await eventually(reminded, ([b]) => (b?.n ?? 0) >= 5, 60_000, 'five night reminders');
    await step('requestKeyReturn');
    await step('returnKey', tokens.student); // no reminder after this
    await step('completeBooking');

    const [{ n: count }] = (await reminded()) as [{ n: number }];
    const firings = await rows<{ due_at: Date }>(
      'coworking',
      'SELECT due_at FROM night_reminders WHERE booking_id = $1 ORDER BY due_at',
      [bookingId],
    );
    expect(firings).toHaveLength(count);

    await allPublished('coworking');
    const type = 'campus.coworking.booking.night_reminder.v1';
    const ofBooking = () =>
      observer.messages.filter(
        (m) => m.body.type === type && (m.body.data as { bookingId?: string }).bookingId === bookingId,
      );
    await observer.waitFor(() => ofBooking().length >= count, 30_000);
    await observer.flush();
    const events = ofBooking().map((m) => m.body.data as { at: string; nightReminderCount: number });
    expect(events).toHaveLength(count);
    expect(events.map((e) => e.at).sort()).toEqual(firings.map((f) => f.due_at.toISOString()));
    expect(events.map((e) => e.nightReminderCount).sort((a, b) => a - b)).toEqual(
      Array.from({ length: count }, (_, i) => i + 1),
    );

    // The firings were run by both replicas, each by one (a run logs after its commits: waited for).
    const sentBy = (r: number) =>
      logsOf('coworking', 'night reminders')
        .filter((l) => l.replica === r)
        .reduce((sum, l) => sum + Number(l.sent), 0);
    await eventually(
      () => sentBy(0) + sentBy(1),
      (n) => n >= count,
      10_000,
      'the night reminder runs logged',
    );
    console.log(`night reminders: ${count} firings, sent by replica 1: ${sentBy(0)}, replica 2: ${sentBy(1)}`);
    expect(sentBy(0) + sentBy(1)).toBe(count);
    expect(duplicates(logsOf('coworking', 'night reminders').map((l) => String(l.dueAt)))).toEqual({});

    const eventIds = ofBooking().map((m) => m.body.id);
    const counts = await notificationsOf(eventIds);
    for (const eventId of eventIds) expect(counts.get(eventId)).toBe(1);
    const [{ n: notified }] = (await rows<{ n: number }>(
      'notification',
      `SELECT count(*)::int AS n FROM notifications WHERE key = 'coworking.night_reminder' AND data->>'bookingId' = $1`,
      [bookingId],
    )) as [{ n: number }];
    expect(notified).toBe(count);
  });

  it('saga orchestrator: a cohort checked out with both replicas ticking every second: each step run once per saga, one batch.completed', async () => {
    const { campus } = await ok<{
      campus: { code: string; entrances: { rooms: { number: string; capacity: number; residents: unknown[] }[] }[] }[];
    }>(CAMPUS, tokens.admin);
    const places = campus
      .find((b) => b.code === '9')!
      .entrances.flatMap((e) => e.rooms)
      .flatMap((r) => Array<string>(Math.max(0, r.capacity - r.residents.length)).fill(r.number));
    expect(places.length).toBeGreaterThanOrEqual(COHORT_SIZE);
    const tag = randomBytes(3).toString('hex');
    const csv = [
      'email,lastName,firstName,building,room,checkOutDate,password',
      ...places
        .slice(0, COHORT_SIZE)
        .map((room, i) => `replicas.${tag}.${i}@sirius.local,Выпускник${i},Пётр,9,${room},${LEAVING_BY},${PASSWORD}`),
    ].join('\n');
    const { importStudents } = await ok<{ importStudents: { errors: unknown[]; users: { id: string }[] } }>(
      IMPORT,
      tokens.admin,
      { csv },
    );
    expect(importStudents.errors).toEqual([]);

    const started = Date.now();
    const { checkOutCohort: requested } = await ok<{ checkOutCohort: { id: string; total: number } }>(
      COHORT,
      tokens.admin,
      { filter: { building: '9', checkOutDateTo: LEAVING_BY }, reason: 'Конец смены (реплики)' },
    );
    expect(requested.total).toBe(COHORT_SIZE);
    const batchId = requested.id;
    const ended = await eventually(
      async () => (await ok<{ checkOutBatch: BatchView }>(BATCH, tokens.admin, { id: batchId })).checkOutBatch,
      (b) => b.endedAt !== null,
      180_000,
      'the batch ended',
    );
    console.log(`check-out of ${COHORT_SIZE} students took ${Date.now() - started} ms`);
    expect(ended).toMatchObject({ total: COHORT_SIZE, succeeded: COHORT_SIZE, failed: 0, inProgress: 0 });

    // Every saga: the four steps and finish, each run once (a re-run would need a lease expiry).
    const sagas = await rows<{ id: string; status: string; steps: string[]; actions: string[]; outcomes: string[] }>(
      'checkout',
      `SELECT s.id::text, s.status::text,
              array_agg(r.step ORDER BY r.id) AS steps, array_agg(r.action ORDER BY r.id) AS actions,
              array_agg(r.outcome ORDER BY r.id) AS outcomes
         FROM checkout_sagas s JOIN checkout_step_runs r ON r.saga_id = s.id
        WHERE s.batch_id = $1 GROUP BY s.id`,
      [batchId],
    );
    expect(sagas).toHaveLength(COHORT_SIZE);
    for (const saga of sagas) {
      expect(saga.status).toBe('succeeded');
      expect(saga.actions.every((a) => a === 'do')).toBe(true);
      // Each step done once, in order (a call that timed out under load may have been retried:
      // an 'unavailable' run before its 'done' is a retry, not a second effect).
      expect(saga.steps.filter((_, i) => saga.outcomes[i] === 'done')).toEqual(STEPS);
    }

    await allPublished('checkout');
    await observer.waitFor(() => seen('campus.checkout.batch.completed.v1', batchId).length > 0, 30_000);
    await observer.flush();
    expect(seen('campus.checkout.batch.requested.v1', batchId)).toHaveLength(1);
    expect(seen('campus.checkout.batch.completed.v1', batchId)).toHaveLength(1);
    const checkedOut = seen('campus.checkout.student.checked_out.v1').filter(
      (m) => (m.body.data as { batchId: string }).batchId === batchId,
    );
    expect(checkedOut.map((m) => m.body.subject).sort()).toEqual(sagas.map((s) => s.id).sort());

    // Each saga ended by one replica, both replicas drove some, none was taken over.
    const endedBy = await eventually(
      () => logsOf('checkout', 'checkout: saga succeeded').filter((l) => l.batchId === batchId),
      (lines) => lines.length >= COHORT_SIZE,
      10_000,
      'every saga’s end logged',
    );
    expect(endedBy.map((l) => l.checkoutId).sort()).toEqual(sagas.map((s) => s.id).sort());
    const byReplica = [0, 1].map((r) => endedBy.filter((l) => l.replica === r).length);
    const published = await publishedByReplica('checkout');
    console.log(
      `sagas ended by replica 1: ${byReplica[0]}, replica 2: ${byReplica[1]}; checkout rows published per replica ${published.join(' + ')}`,
    );
    // Which replica drove how many is timing (reported above); that none ran a saga twice is not.
    expect(byReplica[0]! + byReplica[1]!).toBe(COHORT_SIZE);
    expect(logsOf('checkout', 'checkout: saga taken over by another runner')).toEqual([]);

    const completedEvent = seen('campus.checkout.batch.completed.v1', batchId)[0]!.body.id;
    const counts = await notificationsOf([completedEvent]);
    expect(counts.get(completedEvent)).toBe(1);
  });

  it('scheduler: a duty deadline passes with both replicas sweeping every second: one overdue, one sanction per resident', async () => {
    const wait = deadline().getTime() - Date.now();
    console.log(`waiting ${Math.max(0, wait)} ms for the duty deadline`);
    await sleep(Math.max(0, wait));
    const overdue = await eventually(
      () =>
        rows<{ id: string; status: string }>(
          'duty',
          `SELECT id::text, status::text FROM duty_schedules WHERE deadline_at <= now()`,
        ),
      (all) => all.length > 0 && all.every((s) => s.status !== 'pending'),
      60_000,
      'the duties past their deadline swept',
    );
    expect(overdue.map((s) => s.id)).toEqual(expect.arrayContaining(dutiesToday));
    expect(overdue.every((s) => s.status === 'overdue')).toBe(true);

    await allPublished('duty');
    await observer.waitFor(
      () => overdue.every((s) => seen('campus.duty.schedule.overdue.v1', s.id).length > 0),
      30_000,
    );
    await observer.flush();
    let sanctionTotal = 0;
    const eventIds: string[] = [];
    for (const schedule of overdue) {
      const events = seen('campus.duty.schedule.overdue.v1', schedule.id);
      expect(events).toHaveLength(1);
      const data = events[0]!.body.data as { residentIds: string[]; sanctionIds: string[] };
      const sanctions = await rows<{ id: string; user_id: string }>(
        'duty',
        'SELECT id::text, user_id::text FROM sanctions WHERE schedule_id = $1',
        [schedule.id],
      );
      expect(sanctions.map((s) => s.user_id).sort()).toEqual([...new Set(data.residentIds)].sort());
      expect([...data.sanctionIds].sort()).toEqual(sanctions.map((s) => s.id).sort());
      for (const sanction of sanctions) {
        const created = seen('campus.duty.sanction.created.v1').filter(
          (m) => (m.body.data as { sanctionId: string }).sanctionId === sanction.id,
        );
        expect(created).toHaveLength(1);
        eventIds.push(created[0]!.body.id);
      }
      eventIds.push(events[0]!.body.id);
      sanctionTotal += sanctions.length;
    }
    expect(sanctionTotal).toBeGreaterThan(0);
    // Reminders, due when the duties became today's, also once per duty and kind.
    const reminders = seen('campus.duty.schedule.reminder_due.v1').map(
      (m) => `${m.body.subject}/${(m.body.data as { when: string }).when}`,
    );
    expect(duplicates(reminders)).toEqual({});

    // Each overdue transition by one sweep on one replica: the runs' own counts add up (a run logs
    // after its commits: waited for).
    const sum = (key: 'overdue' | 'sanctions', replica: number) =>
      logsOf('duty', 'duty sweep')
        .filter((l) => l.replica === replica)
        .reduce((n, l) => n + Number(l[key] ?? 0), 0);
    await eventually(
      () => sum('overdue', 0) + sum('overdue', 1),
      (n) => n >= overdue.length,
      10_000,
      'the sweeps logged',
    );
    console.log(
      `duty sweeps: ${overdue.length} duties overdue (replica 1: ${sum('overdue', 0)}, replica 2: ${sum('overdue', 1)}), ` +
        `${sanctionTotal} sanctions (replica 1: ${sum('sanctions', 0)}, replica 2: ${sum('sanctions', 1)})`,
    );
    expect(sum('overdue', 0) + sum('overdue', 1)).toBe(overdue.length);
    expect(sum('sanctions', 0) + sum('sanctions', 1)).toBe(sanctionTotal);

    // One duty.overdue and one duty.sanction notification per resident and duty.
    const counts = await notificationsOf(eventIds);
    const stored = storedBy();
    for (const eventId of eventIds) {
      expect(stored.get(eventId)!.replicas).toHaveLength(1);
      expect(counts.get(eventId)).toBe(stored.get(eventId)!.recipients[0]);
    }
    const perResident = await rows<{ user_id: string; key: string; schedule: string; n: number }>(
      'notification',
      `SELECT user_id::text, key, data->>'scheduleId' AS schedule, count(*)::int AS n FROM notifications
        WHERE key IN ('duty.overdue', 'duty.sanction') AND data->>'scheduleId' = ANY($1)
        GROUP BY user_id, key, data->>'scheduleId'`,
      [overdue.map((s) => s.id)],
    );
    expect(perResident.filter((r) => r.key === 'duty.sanction')).toHaveLength(sanctionTotal);
    expect(perResident.filter((r) => r.n !== 1)).toEqual([]);
  });

  it('the whole run: no event published twice, every outbox row published and seen once, the relays’ counters add up', async () => {
    const rowsBy = new Map<Publisher, Awaited<ReturnType<typeof allPublished>>>();
    for (const name of PUBLISHERS) rowsBy.set(name, await allPublished(name));
    await observer.flush();
    const observedIds = observer.messages.map((m) => m.body.id);
    expect(duplicates(observedIds)).toEqual({});
    const observed = new Set(observedIds);

    const report: string[] = [];
    for (const name of PUBLISHERS) {
      const outbox = rowsBy.get(name)!;
      const fresh = outbox.filter((r) => !before.get(name)!.has(r.id));
      expect(fresh.filter((r) => !observed.has(r.id)).map((r) => `${r.type} ${r.id}`)).toEqual([]);
      const published = await publishedByReplica(name);
      expect(published.reduce((a, b) => a + b, 0)).toBe(outbox.length);
      // Two relays give no order across rows (each relay keeps its own batch's order): reported.
      const position = new Map(observedIds.map((id, i) => [id, i]));
      let inversions = 0;
      const lastBySubject = new Map<string, number>();
      for (const row of fresh) {
        if (!row.subject) continue;
        const at = position.get(row.id)!;
        if ((lastBySubject.get(row.subject) ?? -1) > at) inversions++;
        lastBySubject.set(row.subject, Math.max(at, lastBySubject.get(row.subject) ?? -1));
      }
      report.push(`${name}: ${outbox.length} rows (replicas ${published.join('+')}), ${inversions} out of order`);
    }
    console.log(`outbox relays over the run — ${report.join('; ')}`);

    // The consumer: no event's notifications stored twice, the rows as many as the recipients logged.
    const stored = storedBy();
    const twice = [...stored].filter(([, s]) => s.replicas.length > 1).map(([id]) => id);
    expect(twice).toEqual([]);
    const counted = await rows<{ event_id: string; n: number }>(
      'notification',
      'SELECT event_id, count(*)::int AS n FROM notifications GROUP BY event_id',
    );
    const mismatched = counted.filter((r) => stored.has(r.event_id) && stored.get(r.event_id)!.recipients[0] !== r.n);
    expect(mismatched).toEqual([]);
    const skipped = [
      ...logsOf('notification', 'event already processed; skipped'),
      ...logsOf('notification', 'event processed concurrently by another instance; skipped'),
    ];
    console.log(
      `notification consumers: ${stored.size} events stored, ${skipped.length} redeliveries skipped by the inbox`,
    );
  });
});
