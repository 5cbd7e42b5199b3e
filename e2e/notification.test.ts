// End-to-end through the router (issue: notifications): identity, leave and TWO notification
// instances as real processes over seeded databases. Tests act like clients: GraphQL through the
// router, the live stream read through the router's proxy (which forwards to the first notification
// instance), while the leave events are consumed by whichever instance RabbitMQ hands them to.
import { randomBytes } from 'node:crypto';
import { openSse, waitFor, type LogLine, type SseStream } from '@campus/testkit';
import { startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

/**
 * How long a pushed event may take before the test gives up waiting. Latency is measured and
 * printed (and benchmarked), never asserted: a loaded CI machine must not turn it into a failure.
 */
const LIVE_WAIT_MS = 15_000;
/** After the first copy, how long we keep listening to prove there is no second one. */
const DUPLICATE_WINDOW_MS = 1_500;
const HOUR = 3_600_000;

const SUBMIT = `mutation Submit($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id } }`;
const DECIDE = `mutation Decide($id: ID!) { decideLeaveApplication(id: $id, decision: APPROVE) { id status } }`;
const UNREAD = '{ unreadNotificationCount }';
const NEWEST = '{ myNotifications(size: 1) { total items { id key title body data read } } }';

interface NotificationView {
  id: string;
  key: string;
  title: string;
  body: string;
  data: { applicationId?: string; applicantId?: string };
  read: boolean;
}

let stack: Stack;
const tokens = { applicant: '', educator: '' };
const streams: SseStream[] = [];
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function ok<T>(
  query: string,
  token: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await stack.graphql<T>(query, { variables, token, headers });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

const unread = async (token: string) =>
  (await ok<{ unreadNotificationCount: number }>(UNREAD, token)).unreadNotificationCount;

/** The applicant asks to leave tomorrow (adult: approving needs no parent's voice message). */
async function submitLeave(n: number): Promise<string> {
  const leaveAt = new Date(Date.now() + 24 * HOUR + n * 10 * 60_000);
  const { submitLeaveApplication } = await ok<{ submitLeaveApplication: { id: string } }>(SUBMIT, tokens.applicant, {
    input: {
      leaveAt: leaveAt.toISOString(),
      returnAt: new Date(leaveAt.getTime() + 3 * HOUR).toISOString(),
      reason: `Кружок робототехники (e2e ${n})`,
      contactPhone: '+79991234567',
    },
  });
  return submitLeaveApplication.id;
}

/** A W3C trace context of our own, so the notification's log lines can be matched to this decision. */
function newTraceparent(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

/** The educator approves; resolves with when the request was sent. */
async function approve(applicationId: string, traceparent: string): Promise<number> {
  const sentAt = Date.now();
  const { decideLeaveApplication } = await ok<{ decideLeaveApplication: { status: string } }>(
    DECIDE,
    tokens.educator,
    { id: applicationId },
    { traceparent },
  );
  expect(decideLeaveApplication.status).toBe('APPROVED');
  return sentAt;
}

const eventsFor = (stream: SseStream, applicationId: string) =>
  stream.events.filter((e) => (JSON.parse(e.data) as NotificationView).data.applicationId === applicationId);

/** Index of the notification instance that logged storing notifications in trace `traceId`. */
function consumerOf(traceId: string): number[] {
  const instances = stack.services.notification!;
  return instances.flatMap((proc, i) =>
    proc.logs
      .filter((l: LogLine) => l.msg === 'notifications stored' && l.trace_id === traceId && l.key === 'leave.approved')
      .map(() => i),
  );
}

async function openStream(headers: Record<string, string>, query = ''): Promise<SseStream> {
  const stream = await openSse(`${stack.routerUrl}/notifications/stream${query}`, headers);
  streams.push(stream);
  return stream;
}

beforeAll(async () => {
  stack = await startStack({
    services: ['identity', 'leave', 'notification'],
    replicas: { notification: 2 },
    env: { notification: { SSE_HEARTBEAT_MS: '1000' } },
  });
  // Liveness is enough for the harness; events need both consumers subscribed (queue declared).
  for (const { http } of stack.ports.notification!) {
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${http}/health/readiness`).catch(() => undefined))?.status === 200,
      'notification readiness',
      60_000, // two instances starting on a loaded machine
    );
  }
  tokens.applicant = await stack.login('student.adult@sirius.local');
  tokens.educator = await stack.login('educator@sirius.local');
});

afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});

afterAll(async () => {
  for (const s of streams.splice(0)) s.close();
  await stack?.stop(); // also removes the stack's own exchanges and queues
});

it('leave submitted → the educators are told (recipients resolved through identity)', async () => {
  const before = await unread(tokens.educator);
  const applicationId = await submitLeave(0);
  await waitFor(async () => (await unread(tokens.educator)) === before + 1, 'the educator’s notification');
  const { myNotifications } = await ok<{ myNotifications: { items: NotificationView[] } }>(NEWEST, tokens.educator);
  expect(myNotifications.items[0]).toMatchObject({
    key: 'leave.submitted',
    title: 'Новое заявление на выход',
    read: false,
  });
  const { me } = await ok<{ me: { id: string } }>('{ me { id } }', tokens.applicant);
  // data is a JSON object, not JSON in a string
  expect(myNotifications.items[0]!.data).toEqual({ applicationId, applicantId: me.id });
  expect(myNotifications.items[0]!.body).toMatch(
    /просит разрешения выйти с .* Причина: Кружок робототехники \(e2e 0\)\.$/,
  );
});

it('an educator approves → the applicant’s unread count rises and the stream through the router gets it, once', async () => {
  const applicationId = await submitLeave(1);
  const before = await unread(tokens.applicant);
  const stream = await openStream({ authorization: `Bearer ${tokens.applicant}` });
  expect(stream.status).toBe(200);
  expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
  await stream.until((s) => s.retryMs !== undefined); // the notification instance holds the stream

  const { traceId, traceparent } = newTraceparent();
  const sentAt = await approve(applicationId, traceparent);
  await stream.until((s) => eventsFor(s, applicationId).length > 0, LIVE_WAIT_MS);
  const latencyMs = stream.events[0]!.receivedAt - sentAt;
  await sleep(DUPLICATE_WINDOW_MS);

  expect(stream.events).toHaveLength(1);
  const pushed = JSON.parse(stream.events[0]!.data) as NotificationView;
  expect(stream.events[0]).toMatchObject({ event: 'notification', id: pushed.id });
  expect(pushed).toMatchObject({ key: 'leave.approved', title: 'Заявление на выход одобрено', read: false });
  expect(pushed.body).toMatch(/^Ваше заявление на выход с .* одобрено\. Не забудьте вернуться вовремя\.$/);
  console.log(`SSE latency (approve request sent → event received through the router): ${latencyMs} ms`);

  expect(await unread(tokens.applicant)).toBe(before + 1);
  const { myNotifications } = await ok<{ myNotifications: { items: NotificationView[] } }>(NEWEST, tokens.applicant);
  expect(myNotifications.items[0]!.id).toBe(pushed.id);

  // The consumer continued the decision's trace (our traceparent → router → leave → outbox →
  // RabbitMQ headers → notification): its log line carries our trace id.
  await waitFor(
    () => consumerOf(traceId).length > 0,
    'the notification log line in the decision’s trace',
    LIVE_WAIT_MS,
  );
  expect(consumerOf(traceId)).toHaveLength(1);
});

it('with two instances consuming, each decision reaches the stream exactly once, whichever instance consumed it', async () => {
  // Submit first, then approve one by one: the approvals alone then alternate between the two
  // competing consumers, so the instance that does NOT hold the stream consumes some of them.
  const applications: string[] = [];
  for (let n = 2; n < 6; n++) applications.push(await submitLeave(n));
  const before = await unread(tokens.applicant);
  const stream = await openStream({ authorization: `Bearer ${tokens.applicant}` });
  await stream.until((s) => s.retryMs !== undefined);

  const consumedBy: number[] = [];
  const latencies: number[] = [];
  for (const applicationId of applications) {
    const { traceId, traceparent } = newTraceparent();
    const sentAt = await approve(applicationId, traceparent);
    await stream.until((s) => eventsFor(s, applicationId).length > 0, LIVE_WAIT_MS);
    latencies.push(eventsFor(stream, applicationId)[0]!.receivedAt - sentAt);
    await sleep(DUPLICATE_WINDOW_MS);
    expect(eventsFor(stream, applicationId)).toHaveLength(1);
    consumedBy.push(
      ...(await waitFor(
        () => (consumerOf(traceId).length ? consumerOf(traceId) : undefined),
        'the consuming instance',
        LIVE_WAIT_MS,
      )),
    );
  }
  console.log(
    `SSE latencies with two instances: ${latencies.join(', ')} ms; consumed by instance(s) ${consumedBy.map((i) => i + 1).join(', ')}`,
  );

  expect(stream.events).toHaveLength(applications.length); // nothing else, no duplicates
  expect(new Set(stream.events.map((e) => e.id)).size).toBe(applications.length);
  expect(consumedBy).toHaveLength(applications.length); // each decision stored by exactly one instance
  expect(new Set(consumedBy)).toEqual(new Set([0, 1])); // both instances consumed, the stream's and the other
  expect(await unread(tokens.applicant)).toBe(before + applications.length);
});

it('opens with a stream ticket through the router, keeps the idle stream alive with heartbeats, refuses the anonymous', async () => {
  const { createNotificationStreamTicket: ticket } = await ok<{ createNotificationStreamTicket: string }>(
    'mutation { createNotificationStreamTicket }',
    tokens.applicant,
  );
  const stream = await openStream({}, `?ticket=${encodeURIComponent(ticket)}`);
  expect(stream.status).toBe(200);
  await stream.until((s) => s.comments.filter((c) => c === 'heartbeat').length >= 2, LIVE_WAIT_MS);
  expect(stream.ended).toBe(false);

  const reused = await openStream({}, `?ticket=${encodeURIComponent(ticket)}`);
  expect(reused.status).toBe(401);
  expect(reused.error).toMatchObject({ error_code: 'NOTIF_STREAM_TICKET_INVALID' });
  const anonymous = await openStream({});
  expect(anonymous.status).toBe(401);
  expect(anonymous.error).toMatchObject({ error_code: 'UNAUTHENTICATED' });
});

it('a field the caller may not read is null with its FORBIDDEN error, and the user around it still arrives', async () => {
  const { me } = await ok<{ me: { id: string } }>('{ me { id } }', tokens.applicant);
  // An educator may read a student's leave applications, not their notifications.
  const res = await stack.graphql<{
    user: { id: string; fullName: string; leaveApplications: unknown[] | null; notifications: unknown };
  }>('query ($id: ID!) { user(id: $id) { id fullName leaveApplications(size: 1) { id } notifications { total } } }', {
    variables: { id: me.id },
    token: tokens.educator,
  });
  expect(res.data?.user).toMatchObject({ id: me.id, fullName: expect.any(String), notifications: null });
  expect(res.data?.user.leaveApplications).toHaveLength(1);
  expect(res.errors).toEqual([
    expect.objectContaining({
      path: ['user', 'notifications'],
      extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
    }),
  ]);
});
