// The notification service in-process against real PostgreSQL and RabbitMQ, with identity as a
// real gRPC test double: events → notifications (idempotent, retried, parked, replayed), the
// GraphQL and gRPC APIs, and the live stream with two instances running.
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import pino from 'pino';
import { notificationService } from '@campus/contracts';
import {
  Metrics,
  cloudEvent,
  consumerQueues,
  createGrpcClient,
  listParked,
  replayParked,
  type CloudEvent,
} from '@campus/platform';
import {
  createTestDatabase,
  graphqlRequest,
  openSse,
  serviceTestEnv,
  startIdentityDouble,
  testAmqpUrl,
  testTokens,
  testUser,
  uniqueBrokerNames,
  waitFor,
  type IdentityDouble,
  type SseStream,
  type TestDatabase,
  type TestTokens,
  type TestUser,
} from '@campus/testkit';
import { startNotification, type RunningNotification } from '../../src/app';
import { loadNotificationConfig, type NotificationConfig } from '../../src/config';
import { LEAVE_APPROVED, LEAVE_SUBMITTED, PATROL_COMPLETED } from '../support/events';

jest.setTimeout(60_000);

const AMQP = testAmqpUrl();
const broker = uniqueBrokerNames('notification');
const { exchange, queue } = broker;
const liveExchange = broker.name('campus.notifications.live');
const RETRY_DELAYS = [100, 300];

const student = testUser({
  lastName: 'Иванов',
  firstName: 'Иван',
  roles: ['student'],
  residence: { building: '8', entrance: 2, floor: 3, room: '301' },
  isMinor: true,
});
const otherStudent = testUser({ lastName: 'Петров', firstName: 'Пётр', roles: ['student'] });
const educator = testUser({ lastName: 'Смирнова', firstName: 'Анна', roles: ['educator'] });
const headOf82 = testUser({
  lastName: 'Кузнецов',
  firstName: 'Олег',
  roles: ['educator_head'],
  entrances: [{ building: '8', entrance: 2 }],
});
const headOf91 = testUser({
  lastName: 'Орлова',
  firstName: 'Мария',
  roles: ['educator_head'],
  entrances: [{ building: '9', entrance: 1 }],
});
const admin = testUser({ lastName: 'Дежурный', firstName: 'Сергей', roles: ['admin'] });

let db: TestDatabase;
let identity: IdentityDouble;
let kit: TestTokens;
let a: RunningNotification;
let b: RunningNotification;
const metrics = { a: new Metrics('notification'), b: new Metrics('notification') };
let connection: ChannelModel;
let publisher: ConfirmChannel;
const tokens = new Map<string, string>();
const streams: SseStream[] = [];

const token = (user: TestUser) => tokens.get(user.id)!;
const url = (instance: RunningNotification, path: string) => `http://127.0.0.1:${instance.httpPort}${path}`;
const gql = <T = Record<string, unknown>>(
  query: string,
  user: TestUser | null,
  variables: Record<string, unknown> = {},
  instance = a,
) => graphqlRequest<T>(url(instance, '/graphql'), query, { variables, ...(user ? { token: token(user) } : {}) });

function publish(routingKey: string, content: CloudEvent | Buffer): Promise<void> {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(JSON.stringify(content));
  return new Promise((resolve, reject) =>
    publisher.publish(
      exchange,
      routingKey,
      body,
      {
        persistent: true,
        contentType: 'application/cloudevents+json',
        ...(Buffer.isBuffer(content) ? {} : { messageId: content.id, type: content.type }),
      },
      (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
    ),
  );
}

const approved = (applicant = student) =>
  cloudEvent({
    source: '/campus/leave',
    type: LEAVE_APPROVED,
    subject: randomUUID(),
    data: {
      applicationId: randomUUID(),
      applicantId: applicant.id,
      decidedBy: educator.id,
      leaveAt: '2026-11-25T15:00:00.000Z',
      returnAt: '2026-11-25T19:00:00.000Z',
      isMinor: applicant.isMinor,
      residence: applicant.residence,
    },
  });

const unread = async (user: TestUser): Promise<number> => {
  const res = await gql<{ unreadNotificationCount: number }>('{ unreadNotificationCount }', user);
  return res.data!.unreadNotificationCount;
};

interface NotificationItem {
  id: string;
  key: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}
const LIST = `query List($unreadOnly: Boolean, $page: Int, $size: Int) {
  myNotifications(unreadOnly: $unreadOnly, page: $page, size: $size) { total page size pages items { id key title body data read readAt createdAt } }
}`;
const list = async (user: TestUser, variables: Record<string, unknown> = {}) =>
  (await gql<{ myNotifications: { total: number; items: NotificationItem[] } }>(LIST, user, variables)).data!
    .myNotifications;

/** Sum of a labelled counter on the given instances (default: both). */
async function counterTotal(name: string, of: Metrics[] = [metrics.a, metrics.b]): Promise<number> {
  let total = 0;
  for (const m of of) {
    const metric = await m.registry.getSingleMetric(name)?.get();
    total += (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
  }
  return total;
}

async function stream(
  instance: RunningNotification,
  user: TestUser,
  headers: Record<string, string> = {},
): Promise<SseStream> {
  const s = await openSse(url(instance, '/notifications/stream'), {
    authorization: `Bearer ${token(user)}`,
    ...headers,
  });
  streams.push(s);
  return s;
}

function config(): NotificationConfig {
  return loadNotificationConfig({
    ...serviceTestEnv({ databaseUrl: db.url, exchange, amqpUrl: AMQP, poolSize: 4 }),
    IDENTITY_GRPC_URL: identity.address,
    NOTIFICATION_QUEUE: queue,
    NOTIFICATION_LIVE_EXCHANGE: liveExchange,
    NOTIFICATION_RETRY_DELAYS_MS: RETRY_DELAYS.join(','),
    // Every event asks the identity double, so its failures (and its changing staff) show at once;
    // the directory cache has unit tests of its own.
    NOTIFICATION_DIRECTORY_CACHE_SECONDS: '0',
    SSE_HEARTBEAT_MS: '250',
  });
}

beforeAll(async () => {
  db = await createTestDatabase('notification');
  identity = await startIdentityDouble([student, otherStudent, educator, headOf82, headOf91, admin]);
  kit = await testTokens();
  for (const user of identity.users) tokens.set(user.id, await kit.tokenFor(user));
  const logger = pino({ level: 'silent' });
  a = await startNotification(config(), { logger, metrics: metrics.a, tokenVerifier: kit.verifier });
  b = await startNotification(config(), { logger, metrics: metrics.b, tokenVerifier: kit.verifier });
  await Promise.all([a.ready(), b.ready()]);
  connection = await amqp.connect(AMQP);
  publisher = await connection.createConfirmChannel();
});

afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});

afterAll(async () => {
  for (const s of streams.splice(0)) s.close();
  await Promise.all([a?.close(), b?.close()]);
  await identity?.stop();
  if (connection) {
    const channel = await connection.createChannel();
    const { main, retries, parked } = consumerQueues(queue, RETRY_DELAYS);
    for (const q of [main, ...retries, parked]) await channel.deleteQueue(q).catch(() => undefined);
    await channel.deleteExchange(exchange).catch(() => undefined);
    await channel.deleteExchange(liveExchange).catch(() => undefined);
    await connection.close();
  }
  await db?.drop();
});

describe('events become notifications', () => {
  it('the same event delivered twice → one notification', async () => {
    const before = await unread(otherStudent);
    const consumedBefore = await counterTotal('campus_consumer_consumed_total');
    const e = approved(otherStudent);
    await publish(e.type, e);
    await publish(e.type, e);
    await waitFor(
      async () => (await counterTotal('campus_consumer_consumed_total')) - consumedBefore === 2,
      'both copies consumed',
    );
    expect(await unread(otherStudent)).toBe(before + 1);
    const { items } = await list(otherStudent);
    expect(items.filter((n) => n.data.applicationId === e.data.applicationId)).toHaveLength(1);
    expect(items[0]).toMatchObject({
      key: 'leave.approved',
      title: 'Заявление на выход одобрено',
      read: false,
      readAt: null,
    });
    expect(items[0]!.body).toBe(
      'Ваше заявление на выход с 25 ноября в 18:00 до 25 ноября в 22:00 одобрено. Не забудьте вернуться вовремя.',
    );
  });

  it('leave submitted → the educators covering the applicant’s entrance, naming the applicant', async () => {
    const e = cloudEvent({
      source: '/campus/leave',
      type: LEAVE_SUBMITTED,
      data: {
        applicationId: randomUUID(),
        applicantId: student.id,
        leaveAt: '2026-11-26T15:00:00.000Z',
        returnAt: '2026-11-26T18:00:00.000Z',
        reason: 'Музыкальная школа',
        contactPhone: '+79001234567',
        isMinor: true,
        residence: student.residence,
      },
    });
    const before = await Promise.all([educator, headOf82, headOf91].map(unread));
    await publish(e.type, e);
    await waitFor(async () => (await unread(headOf82)) === before[1]! + 1, 'the entrance head’s notification');
    await waitFor(async () => (await unread(educator)) === before[0]! + 1, 'the educator’s notification');
    expect(await unread(headOf91)).toBe(before[2]);
    const [latest] = (await list(educator)).items;
    expect(latest!.title).toBe('Новое заявление на выход');
    expect(latest!.body).toMatch(/^Иванов Иван \(корпус 8, подъезд 2, комната 301\) просит разрешения выйти/);
  });

  it('patrol completed with absentees → admins and the entrance’s educators, not the one who completed it', async () => {
    const patrol = (absent: unknown[]) =>
      cloudEvent({
        source: '/campus/patrol',
        type: PATROL_COMPLETED,
        data: {
          patrolId: randomUUID(),
          date: '2026-11-25',
          building: '8',
          entrance: 2,
          completedBy: educator.id,
          total: 2,
          present: 2 - absent.length,
          absent,
        },
      });
    const before = await Promise.all([admin, educator, headOf82, headOf91].map(unread));
    await publish(PATROL_COMPLETED, patrol([])); // nobody absent: nobody told
    await publish(
      PATROL_COMPLETED,
      patrol([
        {
          studentId: student.id,
          fullName: 'Иванов Иван',
          room: '301',
          reason: 'Заявление на выход',
          leaveApplicationId: randomUUID(),
        },
      ]),
    );
    await waitFor(async () => (await unread(admin)) === before[0]! + 1, 'the admin’s notification');
    await waitFor(async () => (await unread(headOf82)) === before[2]! + 1, 'the entrance head’s notification');
    expect(await unread(admin)).toBe(before[0]! + 1);
    expect(await unread(educator)).toBe(before[1]); // completed it
    expect(await unread(headOf91)).toBe(before[3]);
    expect((await list(admin)).items[0]!.title).toBe('Обход завершён: 1 отсутствующий');
  });
});

describe('failures', () => {
  it('identity failing → retried, then parked with the reason; replay delivers it', async () => {
    identity.down = true;
    const submitted = cloudEvent({
      source: '/campus/leave',
      type: LEAVE_SUBMITTED,
      data: {
        applicationId: randomUUID(),
        applicantId: student.id,
        leaveAt: '2026-11-27T15:00:00.000Z',
        returnAt: '2026-11-27T18:00:00.000Z',
        reason: 'Кино',
        contactPhone: '89001234567',
        isMinor: true,
        residence: student.residence,
      },
    });
    const headBefore = await unread(headOf82);
    await publish(submitted.type, submitted);
    const parked = await waitFor(
      async () => {
        const l = await listParked(connection, queue);
        return l.messages.find((m) => m.eventId === submitted.id);
      },
      'the event to be parked',
      20_000,
    );
    expect(parked.retryCount).toBe(RETRY_DELAYS.length);
    expect(parked.reason).toMatch(/identity service is unavailable|identity is down/);
    expect(await unread(headOf82)).toBe(headBefore);

    identity.down = false;
    const result = await replayParked(connection, queue, { ids: [submitted.id] });
    expect(result.replayed).toHaveLength(1);
    await waitFor(async () => (await unread(headOf82)) === headBefore + 1, 'the replayed notification');
  });

  it('malformed messages are parked at once', async () => {
    const parkedBefore = await counterTotal('campus_consumer_parked_total');
    const invalid = approved();
    delete (invalid.data as Record<string, unknown>).applicantId;
    const unknownVersion = { ...approved(), type: 'campus.leave.application.approved.v9' };
    await publish(LEAVE_APPROVED, Buffer.from('not json at all'));
    await publish(LEAVE_APPROVED, invalid);
    await publish(LEAVE_APPROVED, unknownVersion);
    await waitFor(
      async () => (await counterTotal('campus_consumer_parked_total')) - parkedBefore === 3,
      'three parked messages',
    );
    const messages = await waitFor(async () => {
      const listing = await listParked(connection, queue);
      return listing.total === 3 ? listing.messages : undefined; // the earlier test replayed its one
    }, 'the parking queue to hold them');
    const reasons = new Map(messages.map((m) => [m.eventId, m]));
    expect(reasons.get(invalid.id)).toMatchObject({ retryCount: 0 });
    expect(reasons.get(invalid.id)!.reason).toContain("must have required property 'applicantId'");
    expect(reasons.get(unknownVersion.id)!.reason).toContain('unknown event type campus.leave.application.approved.v9');
    expect(messages.some((m) => m.reason === 'malformed: the body is not valid JSON')).toBe(true);
  });
});

describe('live stream', () => {
  it('pushes a new notification within a second, exactly once per stream, with two instances', async () => {
    const onA = await stream(a, student);
    const onB = await stream(b, student);
    const elsewhere = await stream(a, otherStudent);
    expect(onA.status).toBe(200);
    expect(onA.headers['content-type']).toMatch(/^text\/event-stream/);
    await onA.until((c) => c.retryMs !== undefined);

    // Several events: the two instances compete for them, yet every stream gets each one once.
    const consumed = async () =>
      Promise.all([
        counterTotal('campus_consumer_consumed_total', [metrics.a]),
        counterTotal('campus_consumer_consumed_total', [metrics.b]),
      ]);
    const [byA, byB] = await consumed();
    const events = [approved(student), approved(student), approved(student), approved(student)];
    const sentAt = Date.now();
    for (const e of events) await publish(e.type, e);
    for (const s of [onA, onB]) await s.until((c) => c.events.length >= events.length, 5_000);
    await new Promise((r) => setTimeout(r, 500)); // any duplicate would have arrived by now

    for (const s of [onA, onB]) {
      expect(s.events).toHaveLength(events.length);
      const applications = s.events.map((ev) => (JSON.parse(ev.data) as NotificationItem).data.applicationId);
      expect(new Set(applications)).toEqual(new Set(events.map((e) => e.data.applicationId)));
      expect(s.events.every((ev) => ev.event === 'notification' && ev.id === JSON.parse(ev.data).id)).toBe(true);
    }
    expect(onA.events[0]!.receivedAt - sentAt).toBeLessThan(1_000);
    expect(JSON.parse(onA.events[0]!.data)).toMatchObject({
      key: 'leave.approved',
      read: false,
      title: 'Заявление на выход одобрено',
    });
    expect(elsewhere.events).toHaveLength(0);
    // Both instances consumed some (competing consumers, round robin): streams on A got events
    // that B stored and the other way round, so the fan-out was exercised.
    const [afterA, afterB] = await consumed();
    expect(afterA - byA).toBeGreaterThan(0);
    expect(afterB - byB).toBeGreaterThan(0);
    expect(afterA - byA + (afterB - byB)).toBe(events.length);
  });

  it('catches a reconnecting client up from Last-Event-ID', async () => {
    const first = await stream(a, student);
    // One at a time, so arrival order is creation order (two instances store concurrently).
    for (let n = 1; n <= 3; n++) {
      const e = approved(student);
      await publish(e.type, e);
      await first.until((c) => c.events.length === n);
    }
    first.close();
    const again = await stream(b, student, { 'last-event-id': first.events[0]!.id! });
    await again.until((c) => c.events.length === 2);
    expect(again.events.map((e) => e.id)).toEqual(first.events.slice(1).map((e) => e.id));
  });

  it('ends a stream when its access token expires, saying so', async () => {
    const shortLived = await openSse(url(a, '/notifications/stream'), {
      authorization: `Bearer ${await kit.tokenFor(student, { expires: '2s' })}`,
    });
    streams.push(shortLived);
    expect(shortLived.status).toBe(200);
    await shortLived.until((c) => c.ended, 5_000);
    expect(shortLived.events.map((e) => e.event)).toEqual(['expired']);
  });

  it('ends a stream opened with a ticket when the token that created the ticket expires', async () => {
    const res = await graphqlRequest<{ createNotificationStreamTicket: string }>(
      url(a, '/graphql'),
      'mutation { createNotificationStreamTicket }',
      { token: await kit.tokenFor(student, { expires: '3s' }) },
    );
    const ticket = res.data!.createNotificationStreamTicket;
    const withTicket = await openSse(url(b, `/notifications/stream?ticket=${ticket}`));
    streams.push(withTicket);
    expect(withTicket.status).toBe(200);
    await withTicket.until((c) => c.ended, 6_000);
    expect(withTicket.events.map((e) => e.event)).toEqual(['expired']);

    const reused = await openSse(url(a, `/notifications/stream?ticket=${ticket}`));
    expect(reused.status).toBe(401);
    expect(reused.error).toMatchObject({ error_code: 'NOTIF_STREAM_TICKET_INVALID', details: { reason: 'used' } });
  });

  it('tells a used ticket, an expired one and one never issued apart (details.reason)', async () => {
    const ticketFor = async (expires?: string) =>
      (
        await graphqlRequest<{ createNotificationStreamTicket: string }>(
          url(a, '/graphql'),
          'mutation { createNotificationStreamTicket }',
          { token: await kit.tokenFor(student, expires ? { expires } : {}) },
        )
      ).data!.createNotificationStreamTicket;
    const refusal = async (ticket: string) => {
      const s = await openSse(url(b, `/notifications/stream?ticket=${ticket}`));
      return { status: s.status, error: s.error };
    };
    const refused = (reason: string) => ({
      status: 401,
      error: expect.objectContaining({ error_code: 'NOTIF_STREAM_TICKET_INVALID', details: { reason } }),
    });

    const once = await ticketFor();
    const first = await openSse(url(a, `/notifications/stream?ticket=${once}`));
    streams.push(first);
    expect(first.status).toBe(200);
    // Twice more, on either instance: used, not unknown.
    expect(await refusal(once)).toEqual(refused('used'));
    expect(await refusal(once)).toEqual(refused('used'));

    // The token that asked for it expires before the ticket is presented: expired, and then used up.
    const late = await ticketFor('1s');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await refusal(late)).toEqual(refused('expired'));
    expect(await refusal(late)).toEqual(refused('used'));

    expect(await refusal('A'.repeat(43))).toEqual(refused('unknown'));
  });

  it('counts every open in the request metrics: "ok" as it opens (not when it ends), refusals by their code', async () => {
    /** campus_requests_total and the duration histogram's count of stream opens with this outcome, on A. */
    const opens = async (outcome: string) => {
      const labels = { transport: 'http', operation: 'GET /notifications/stream', outcome };
      const matching = async (name: string, metricName = name) =>
        ((await metrics.a.registry.getSingleMetric(name)?.get())?.values ?? [])
          .filter((v) => (('metricName' in v ? v.metricName : undefined) ?? name) === metricName)
          .filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value))
          .reduce((sum, v) => sum + v.value, 0);
      return {
        requests: await matching('campus_requests_total'),
        timed: await matching('campus_request_duration_seconds', 'campus_request_duration_seconds_count'),
      };
    };
    const ok = await opens('ok');
    const refused = await opens('UNAUTHENTICATED');

    const open = await stream(a, otherStudent);
    expect(open.status).toBe(200);
    // Recorded while the stream is still open: the duration is the time to open it.
    await waitFor(async () => (await opens('ok')).requests === ok.requests + 1, 'the open counted');
    expect(await opens('ok')).toEqual({ requests: ok.requests + 1, timed: ok.timed + 1 });

    expect((await openSse(url(a, '/notifications/stream'))).status).toBe(401);
    expect((await openSse(url(a, '/notifications/stream'), { authorization: 'Bearer not.a.jwt' })).status).toBe(401);
    expect(await opens('UNAUTHENTICATED')).toEqual({ requests: refused.requests + 2, timed: refused.timed + 2 });
    expect((await opens('ok')).requests).toBe(ok.requests + 1);
  });

  it('refuses HEAD instead of opening an endless stream', async () => {
    const res = await fetch(url(a, '/notifications/stream'), {
      method: 'HEAD',
      headers: { authorization: `Bearer ${token(student)}` },
    });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
  });

  it('sends heartbeats while idle', async () => {
    const s = await stream(a, educator);
    await s.until((c) => c.comments.includes('heartbeat'), 2_000);
  });

  it('opens with a single-use ticket (for EventSource) and refuses anonymous or bad credentials', async () => {
    const ticketRes = await gql<{ createNotificationStreamTicket: string }>(
      'mutation { createNotificationStreamTicket }',
      student,
    );
    const ticket = ticketRes.data!.createNotificationStreamTicket;
    const withTicket = await openSse(url(b, `/notifications/stream?ticket=${ticket}`));
    streams.push(withTicket);
    expect(withTicket.status).toBe(200);
    const e = approved(student);
    await publish(e.type, e);
    await withTicket.until((c) =>
      c.events.some((ev) => (JSON.parse(ev.data) as NotificationItem).data.applicationId === e.data.applicationId),
    );

    const reused = await openSse(url(a, `/notifications/stream?ticket=${ticket}`));
    expect(reused.status).toBe(401);
    expect(reused.error).toMatchObject({ error_code: 'NOTIF_STREAM_TICKET_INVALID', details: { reason: 'used' } });
    const anonymous = await openSse(url(a, '/notifications/stream'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.error).toEqual({ error_code: 'UNAUTHENTICATED', message: expect.any(String), details: {} });
    const badToken = await openSse(url(a, '/notifications/stream'), { authorization: 'Bearer not.a.jwt' });
    expect(badToken.status).toBe(401);
    expect((await gql('mutation { createNotificationStreamTicket }', null)).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('GraphQL API', () => {
  const entity = `query($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on User { id notifications(size: 1) { total items { id } } } }
  }`;

  it('marks read, one by one and all at once', async () => {
    const e = approved(otherStudent);
    const before = await unread(otherStudent);
    await publish(e.type, e);
    await waitFor(async () => (await unread(otherStudent)) === before + 1, 'a new notification');
    const [newest] = (await list(otherStudent, { unreadOnly: true })).items;
    const marked = await gql<{ markNotificationsRead: { markedCount: number; unreadCount: number } }>(
      'mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { markedCount unreadCount } }',
      otherStudent,
      { ids: [newest!.id] },
    );
    expect(marked.data!.markNotificationsRead).toEqual({ markedCount: 1, unreadCount: before });
    expect((await list(otherStudent)).items.find((n) => n.id === newest!.id)).toMatchObject({
      read: true,
      readAt: expect.any(String),
    });

    // Someone else's id is silently not theirs to mark.
    const foreign = await gql<{ markNotificationsRead: { markedCount: number } }>(
      'mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { markedCount } }',
      student,
      { ids: [newest!.id] },
    );
    expect(foreign.data!.markNotificationsRead.markedCount).toBe(0);
    const invalid = await gql('mutation { markNotificationsRead(ids: ["x"]) { markedCount } }', student);
    expect(invalid.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');

    const all = await gql<{ markAllNotificationsRead: { markedCount: number; unreadCount: number } }>(
      'mutation { markAllNotificationsRead { markedCount unreadCount } }',
      otherStudent,
    );
    expect(all.data!.markAllNotificationsRead).toEqual({ markedCount: before, unreadCount: 0 });
    expect(await unread(otherStudent)).toBe(0);
  });

  it('User.notifications: the user themself only', async () => {
    const mine = await gql<{ _entities: Array<{ id: string; notifications: { total: number } }> }>(entity, student, {
      representations: [{ __typename: 'User', id: student.id }],
    });
    expect(mine.data!._entities[0]!.notifications.total).toBeGreaterThan(0);
    // Forbidden for anybody else: the field is null with its error, and the user itself survives.
    const theirs = await gql<{ _entities: Array<{ id: string; notifications: null }> }>(entity, otherStudent, {
      representations: [{ __typename: 'User', id: student.id }],
    });
    expect(theirs.data!._entities).toEqual([{ id: student.id, notifications: null }]);
    expect(theirs.errors?.[0]).toMatchObject({
      path: ['_entities', 0, 'notifications'],
      extensions: { code: 'FORBIDDEN' },
    });
    const anonymous = await gql('{ unreadNotificationCount }', null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('pages and validates paging', async () => {
    const page = await gql<{ myNotifications: { total: number; size: number; pages: number; items: unknown[] } }>(
      LIST,
      student,
      { page: 1, size: 2 },
    );
    expect(page.data!.myNotifications).toMatchObject({
      size: 2,
      pages: Math.ceil(page.data!.myNotifications.total / 2),
    });
    expect(page.data!.myNotifications.items).toHaveLength(2);
    expect((await gql(LIST, student, { size: 500 })).errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
  });
});

describe('gRPC API and health', () => {
  it('counts and lists a user’s notifications', async () => {
    const client = createGrpcClient(notificationService, `127.0.0.1:${b.grpcPort}`, { name: 'notification' });
    try {
      const { count } = await client.CountUnread({ userId: student.id });
      expect(count).toBe(await unread(student));
      const listed = await client.ListForUser({ userId: student.id, unreadOnly: true, size: 3 });
      expect(listed.notifications).toHaveLength(Math.min(3, count));
      expect(listed).toMatchObject({ total: count, page: 1, size: 3 });
      expect(listed.notifications[0]!.readAt).toBeNull();
      expect(JSON.parse(listed.notifications[0]!.dataJson)).toHaveProperty('applicationId');
      await expect(client.CountUnread({ userId: 'nope' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    } finally {
      client.$close();
    }
  });

  it('is ready with its database, broker and subscriptions', async () => {
    const res = await fetch(url(a, '/health/readiness'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { database: 'up', broker: 'up', consumer: 'up' } });
  });
});
