// campus.leave.v1.LeaveService/GetApprovedLeaves over the wire, with a real gRPC client (the one
// generated from proto/ by @grpc/grpc-js), against the leave service on a real database.
import * as grpc from '@grpc/grpc-js';
import { fromTimestamp, leaveService, toTimestamp, type ApprovedLeaveOutput } from '@campus/contracts';
import { SERVICE_AUTH_METADATA, signServiceToken } from '@campus/platform';
import { staff, student, testServiceAuthSecret, type TestUser } from '@campus/testkit';
import { dataOf, decide, submitApplication, withdraw } from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';

const HOUR = 3_600_000;

let h: LeaveHarness;
let client: grpc.Client;
const educator = staff('educator');
/** The patrol's evening: every period below is placed relative to it. */
const AT = new Date(Math.ceil((Date.now() + 30 * HOUR) / 1000) * 1000 + 123);

interface Response {
  leaves: ApprovedLeaveOutput[];
}

async function getApprovedLeaves(request: {
  at?: { seconds: string; nanos: number };
  userIds: string[];
  allStudents?: boolean;
}): Promise<Response> {
  // The service token patrol sends: leave's gRPC server refuses calls without one.
  const metadata = new grpc.Metadata();
  const token = await signServiceToken({ secret: testServiceAuthSecret(), service: 'patrol', audience: 'leave' });
  metadata.set(SERVICE_AUTH_METADATA, token);
  return new Promise((resolve, reject) => {
    const method = leaveService.GetApprovedLeaves;
    client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      metadata,
      { deadline: Date.now() + 5_000 },
      (error, response) => (error ? reject(error) : resolve(response as Response)),
    );
  });
}

async function statusOf(promise: Promise<unknown>): Promise<{ code: grpc.status; details: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as grpc.ServiceError;
    return { code: e.code, details: e.details };
  }
  throw new Error('expected the call to fail');
}

/** Submits `user`'s application for [AT + fromH, AT + toH) and brings it to `status`. */
async function leave(
  user: TestUser,
  fromH: number,
  toH: number,
  status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'WITHDRAWN',
  reason = 'Home',
) {
  const app = await submitApplication(h, user, {
    leaveAt: new Date(AT.getTime() + fromH * HOUR).toISOString(),
    returnAt: new Date(AT.getTime() + toH * HOUR).toISOString(),
    reason,
  });
  if (status === 'APPROVED') dataOf(await decide(h, educator, app.id, 'APPROVE'));
  if (status === 'REJECTED') dataOf(await decide(h, educator, app.id, 'REJECT', 'No'));
  if (status === 'WITHDRAWN') dataOf(await withdraw(h, user, app.id));
  return app;
}

const s = {
  overnight: student(),
  later: student(),
  back: student(),
  leaving: student(),
  pending: student(),
  rejected: student(),
  withdrawn: student(),
  notAsked: student(),
};
const apps: Record<string, { id: string; leaveAt: string; returnAt: string }> = {};

beforeAll(async () => {
  h = await startLeaveHarness();
  for (const user of Object.values(s)) h.identity.add(user);
  // left the day before, returns the day after: covered, although the leave did not start that day
  apps.overnight = await leave(s.overnight, -20, 20, 'APPROVED', 'Olympiad in Moscow');
  apps.overnightNext = await leave(s.overnight, 24, 30, 'APPROVED'); // the same student's next trip: not now
  apps.later = await leave(s.later, 1, 5, 'APPROVED'); // starts after `at`
  apps.back = await leave(s.back, -10, 0, 'APPROVED'); // returned exactly at `at`: not covered
  apps.leaving = await leave(s.leaving, 0, 12, 'APPROVED', 'Concert'); // leaves exactly at `at`: covered
  apps.pending = await leave(s.pending, -5, 5, 'PENDING');
  apps.rejected = await leave(s.rejected, -5, 5, 'REJECTED');
  apps.withdrawn = await leave(s.withdrawn, -5, 5, 'WITHDRAWN');
  apps.notAsked = await leave(s.notAsked, -5, 5, 'APPROVED'); // covered, but not among the user ids asked about
  client = new (grpc.makeGenericClientConstructor(leaveService, 'LeaveService'))(
    `127.0.0.1:${h.leave.grpcPort}`,
    grpc.credentials.createInsecure(),
  );
});

afterAll(async () => {
  client?.close();
  await h?.stop();
});

test('answers the approved applications of the given students whose period covers the instant', async () => {
  const asked = [s.overnight, s.later, s.back, s.leaving, s.pending, s.rejected, s.withdrawn].map((u) => u.id);
  const unknown = '0b7e3d4c-1f2a-4b5c-8d9e-0a1b2c3d4e5f';
  const { leaves } = await getApprovedLeaves({ at: toTimestamp(AT), userIds: [...asked, unknown, s.overnight.id] });

  const byStudent = Object.fromEntries(leaves.map((l) => [l.studentId, l]));
  expect(Object.keys(byStudent).sort()).toEqual([s.overnight.id, s.leaving.id].sort());
  expect(leaves).toHaveLength(2);
  expect(byStudent[s.overnight.id]).toMatchObject({ applicationId: apps.overnight!.id, reason: 'Olympiad in Moscow' });
  expect(byStudent[s.leaving.id]).toMatchObject({ applicationId: apps.leaving!.id, reason: 'Concert' });
  for (const [student, app] of [
    [s.overnight, apps.overnight!],
    [s.leaving, apps.leaving!],
  ] as const) {
    expect(fromTimestamp(byStudent[student.id]!.leaveAt)?.toISOString()).toBe(app.leaveAt);
    expect(fromTimestamp(byStudent[student.id]!.returnAt)?.toISOString()).toBe(app.returnAt);
  }
});

test('a student is covered for the whole period and no longer', async () => {
  const ask = async (offsetMs: number) =>
    (
      await getApprovedLeaves({ at: toTimestamp(new Date(AT.getTime() + offsetMs)), userIds: [s.back.id, s.later.id] })
    ).leaves.map((l) => l.applicationId);
  expect(await ask(-1)).toEqual([apps.back!.id]); // the last millisecond before return
  expect(await ask(0)).toEqual([]);
  expect(await ask(1 * HOUR)).toEqual([apps.later!.id]);
  expect(await ask(5 * HOUR)).toEqual([]);
});

test('with all_students, answers every student’s covering leaves (user ids ignored)', async () => {
  const { leaves } = await getApprovedLeaves({ at: toTimestamp(AT), userIds: [s.later.id], allStudents: true });
  expect(leaves.map((l) => l.applicationId).sort()).toEqual(
    [apps.overnight!.id, apps.leaving!.id, apps.notAsked!.id].sort(),
  );
});

test('an empty list of students gets an empty answer', async () => {
  expect(await getApprovedLeaves({ at: toTimestamp(AT), userIds: [] })).toEqual({ leaves: [] });
});

test('refuses malformed requests with INVALID_ARGUMENT', async () => {
  expect(await statusOf(getApprovedLeaves({ userIds: [s.overnight.id] }))).toMatchObject({
    code: grpc.status.INVALID_ARGUMENT,
  });
  expect(await statusOf(getApprovedLeaves({ at: toTimestamp(AT), userIds: ['not-a-uuid'] }))).toMatchObject({
    code: grpc.status.INVALID_ARGUMENT,
  });
  const tooMany = Array.from({ length: 1001 }, () => s.overnight.id);
  expect(await statusOf(getApprovedLeaves({ at: toTimestamp(AT), userIds: tooMany }))).toMatchObject({
    code: grpc.status.INVALID_ARGUMENT,
  });
});
