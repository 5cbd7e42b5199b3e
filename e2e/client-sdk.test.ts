// End-to-end (issue 15): the generated client SDK against a real stack (identity, leave,
// notification) behind a router that runs trusted documents only (ONLY_PERSISTED_OPERATIONS=true).
// The example's own functions (packages/client/examples/student.ts) sign in, list the student's
// applications and listen to live notifications; an educator's decision arrives on the stream.
import {
  CampusClient,
  CampusError,
  DecideLeaveApplicationDocument,
  MeDocument,
  StudentHomeDocument,
  SubmitLeaveApplicationDocument,
  type NotificationStreamEvent,
} from '../packages/client/src';
import { listApplications, listenToNotifications, signIn } from '../packages/client/examples/student';
import { eventually } from '@campus/testkit';
import { DEMO_PASSWORD, startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

const HOUR = 3_600_000;
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    services: ['identity', 'leave', 'notification'],
    env: { router: { ONLY_PERSISTED_OPERATIONS: 'true' } },
  });
});

afterAll(async () => {
  await stack?.stop();
});

it('signs in, lists the applications and hears the decision live, with trusted documents only', async () => {
  const student = new CampusClient({ url: stack.routerUrl });
  const educator = new CampusClient({ url: stack.routerUrl });
  const session = await signIn(student);
  expect(session.user.roles).toContain('STUDENT');
  await signIn(educator, 'educator@sirius.local', DEMO_PASSWORD);

  const events: NotificationStreamEvent[] = [];
  const stop = new AbortController();
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  // A ticket, as a browser's EventSource must: the ticket mutation is a trusted document too.
  const listening = listenToNotifications(student, (event) => events.push(event), {
    auth: 'ticket',
    signal: stop.signal,
    onOpen: opened,
  });
  await open;

  const leaveAt = new Date(Date.now() + 24 * HOUR);
  const { submitLeaveApplication: submitted } = await student.request(SubmitLeaveApplicationDocument, {
    input: {
      leaveAt: leaveAt.toISOString(),
      returnAt: new Date(leaveAt.getTime() + 3 * HOUR).toISOString(),
      reason: 'Музыкальная школа (SDK e2e)',
      contactPhone: '+79991234567',
    },
  });
  expect(submitted.status).toBe('PENDING');
  expect((await listApplications(student)).map((a) => [a.id, a.status])).toContainEqual([submitted.id, 'PENDING']);

  const { decideLeaveApplication } = await educator.request(DecideLeaveApplicationDocument, {
    id: submitted.id,
    decision: 'APPROVE',
  });
  expect(decideLeaveApplication.status).toBe('APPROVED');

  const heard = await eventually(
    () => events.find((e) => e.type === 'notification' && e.notification.key === 'leave.approved'),
    (e) => e !== undefined,
    15_000,
    'the leave.approved notification on the stream',
  );
  if (heard?.type !== 'notification') throw new Error('no notification heard');
  // data is a JSON object (GraphQL's JSONObject), on the stream as in GraphQL
  expect(heard.notification.data).toMatchObject({ applicationId: submitted.id });
  expect(heard.notification.read).toBe(false);
  stop.abort();
  await listening;

  expect((await listApplications(student)).find((a) => a.id === submitted.id)?.status).toBe('APPROVED');

  // The home screen in one request, by id: the same application and notification.
  const home = await student.request(StudentHomeDocument, {});
  expect(home.me?.leaveApplications?.map((a) => a.id)).toContain(submitted.id);
  expect(home.me?.notifications?.items.map((n) => n.id)).toContain(heard.notification.id);
  expect(home.unreadNotificationCount).toBeGreaterThanOrEqual(1);
});

it('is refused PERSISTED_QUERY_NOT_ALLOWED when it sends a document in full to this router', async () => {
  const client = new CampusClient({ url: stack.routerUrl, send: 'document' });
  await signIn(new CampusClient({ url: stack.routerUrl })).then((s) => (client.accessToken = s.accessToken));
  const refusal = await client.request(MeDocument).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(CampusError);
  expect(refusal).toMatchObject({ code: 'PERSISTED_QUERY_NOT_ALLOWED', status: 400 });
});
