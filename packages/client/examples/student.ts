// A student's app in a few lines, with nothing but the SDK: sign in, list my leave applications,
// then print live notifications as they arrive (Ctrl-C to stop). Against a running stack (npm start):
//   npx tsx packages/client/examples/student.ts          (CAMPUS_URL=http://localhost:4000 by default)
// Every operation travels as its trusted-document id, so it also runs against a router with
// ONLY_PERSISTED_OPERATIONS=true.
import {
  CampusClient,
  MyLeaveApplicationsDocument,
  type LeaveApplicationSummaryFragment,
  type NotificationStreamEvent,
  type NotificationStreamOptions,
  type Session,
} from '../src';

export const STUDENT = { email: 'student.adult@sirius.local', password: process.env.DEMO_PASSWORD ?? 'sirius2026' };

export async function signIn(
  client: CampusClient,
  email = STUDENT.email,
  password = STUDENT.password,
): Promise<Session> {
  return client.signIn(email, password);
}

/** The signed-in student's applications, newest first. */
export async function listApplications(client: CampusClient): Promise<LeaveApplicationSummaryFragment[]> {
  const { me } = await client.request(MyLeaveApplicationsDocument, { size: 20 });
  return me?.leaveApplications ?? [];
}

/**
 * Calls `onEvent` for each live notification until the signal aborts or the stream's credentials
 * expire; resolves when the stream ends. By default the access token travels in the Authorization
 * header; auth: 'ticket' opens it with a single-use ticket instead, as a browser's EventSource must.
 */
export async function listenToNotifications(
  client: CampusClient,
  onEvent: (event: NotificationStreamEvent) => void,
  options: NotificationStreamOptions = {},
): Promise<void> {
  for await (const event of client.notifications(options)) onEvent(event);
}

async function main(): Promise<void> {
  const client = new CampusClient({ url: process.env.CAMPUS_URL ?? 'http://localhost:4000' });
  const session = await signIn(client);
  console.log(`signed in as ${session.user.fullName} (${session.user.roles.join(', ')})`);
  const applications = await listApplications(client);
  console.log(`${applications.length} leave application(s):`);
  for (const a of applications) console.log(`  ${a.status.padEnd(9)} ${a.leaveAt} → ${a.returnAt}  ${a.reason ?? ''}`);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  await listenToNotifications(
    client,
    (event) => {
      if (event.type === 'notification') console.log(`  ${event.notification.title}: ${event.notification.body}`);
      else console.log(`  stream ended: ${event.reason}`);
    },
    { signal: stop.signal, onOpen: () => console.log('listening to live notifications (Ctrl-C to stop)…') },
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
