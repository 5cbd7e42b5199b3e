// Decisions against real PostgreSQL: optimistic concurrency of the event store (two concurrent
// decisions: one wins, the other gets CONFLICT), the minor's voice-message rule, no approval of a
// leave that is already over, and who may decide or read an application.
import pg from 'pg';
import { errorCodes, eventually, staff, student, wav } from '@campus/testkit';
import { dataOf, decide, readApplication, submitApplication, uploadDocument } from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';

let h: LeaveHarness;
let admin: pg.Client;
const educator = staff('educator');
const head = staff('educator_head');

beforeAll(async () => {
  h = await startLeaveHarness();
  admin = new pg.Client({ connectionString: h.database.url });
  await admin.connect();
});

afterAll(async () => {
  await admin?.end();
  await h?.stop();
});

async function stream(applicationId: string): Promise<Array<{ version: number; type: string; actor: string }>> {
  const { rows } = await admin.query<{ version: number; type: string; actor: string }>(
    'SELECT version, type, actor_id::text AS actor FROM leave_events WHERE stream_id = $1 ORDER BY version',
    [applicationId],
  );
  return rows;
}

async function outboxTypes(applicationId: string): Promise<string[]> {
  const { rows } = await admin.query<{ type: string }>(
    "SELECT type FROM outbox WHERE payload->>'subject' = $1 ORDER BY seq",
    [applicationId],
  );
  return rows.map((r) => r.type);
}

describe('concurrent decisions', () => {
  test('two decisions made on the same version: one wins, the other gets CONFLICT and leaves no trace', async () => {
    const applicant = student();
    h.identity.add(applicant);
    const { id } = await submitApplication(h, applicant);

    // Hold the event store still (as a long transaction would) so that both commands load version 1
    // and reach their append before either commits: a real race, made certain.
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE leave_events IN SHARE MODE');
    const approving = decide(h, educator, id, 'APPROVE', 'ok');
    const rejecting = decide(h, head, id, 'REJECT', 'No, exams');
    try {
      await eventually(
        async () =>
          (
            await admin.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'leave_events'::regclass",
            )
          ).rows[0]!.n,
        (waiting) => waiting === 2,
        10_000,
        'both decisions to wait on the event store',
      );
    } finally {
      await admin.query('COMMIT');
    }
    const results = await Promise.all([approving, rejecting]);

    const winners = results.filter((r) => r.data?.decideLeaveApplication);
    const losers = results.filter((r) => r.errors?.length);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(errorCodes(losers[0]!)).toEqual(['CONFLICT']);
    expect(losers[0]!.errors![0]!.extensions!.details).toMatchObject({
      applicationId: id,
      expectedVersion: 1,
      rule: 'optimistic_concurrency',
    });

    const winner = winners[0]!.data!.decideLeaveApplication;
    const decision = winner.status === 'APPROVED' ? 'APPROVED' : 'REJECTED';
    const decider = decision === 'APPROVED' ? educator.id : head.id;
    expect(await stream(id)).toEqual([
      { version: 1, type: 'SUBMITTED', actor: applicant.id },
      { version: 2, type: decision, actor: decider },
    ]);
    expect(await outboxTypes(id)).toEqual([
      'campus.leave.application.submitted.v1',
      `campus.leave.application.${decision.toLowerCase()}.v1`,
    ]);
    // the read model shows the winner's decision only
    const read = dataOf(await readApplication(h, educator, id)).leaveApplication!;
    expect(read).toMatchObject({ status: decision, version: 2, decidedBy: { id: decider } });
    expect(read.history.map((e) => e.type)).toEqual(['SUBMITTED', decision]);
  });

  test('of many racing decisions exactly one is recorded; every other one is refused as a conflict', async () => {
    const applicant = student();
    h.identity.add(applicant);
    const { id } = await submitApplication(h, applicant);
    const deciders = Array.from({ length: 8 }, (_, i) => staff(i % 2 ? 'educator' : 'educator_head'));
    const results = await Promise.all(
      deciders.map((d, i) => decide(h, d, id, i % 2 ? 'APPROVE' : 'REJECT', `reason ${i}`)),
    );

    const won = results.flatMap((r, i) => (r.data?.decideLeaveApplication ? [i] : []));
    expect(won).toHaveLength(1);
    const refused = results.filter((r) => !r.data?.decideLeaveApplication).flatMap((r) => errorCodes(r));
    expect(refused).toHaveLength(7);
    // decided on the same version → CONFLICT; loaded after the winner committed → the decision is final
    for (const code of refused) expect(['CONFLICT', 'LEAVE_APPLICATION_FINAL']).toContain(code);

    const events = await stream(id);
    expect(events).toHaveLength(2);
    expect(events[1]!.actor).toBe(deciders[won[0]!]!.id);
    expect((await outboxTypes(id)).length).toBe(2);
  });
});

describe('decision rules through GraphQL', () => {
  test("approving a minor's application needs the parent's voice message; rejecting it does not", async () => {
    const minor = student({ isMinor: true });
    h.identity.add(minor);
    const first = await submitApplication(h, minor);
    const refused = await decide(h, educator, first.id, 'APPROVE');
    expect(errorCodes(refused)).toEqual(['LEAVE_VOICE_MESSAGE_REQUIRED']);
    expect(refused.errors![0]!.extensions!.details).toMatchObject({
      applicationId: first.id,
      requiredDocument: 'voice_message',
    });
    expect(await stream(first.id)).toHaveLength(1);

    expect((await uploadDocument(h, minor, first.id, 'VOICE_MESSAGE', wav(2), 'audio/wav')).status).toBe(201);
    expect(dataOf(await decide(h, educator, first.id, 'APPROVE')).decideLeaveApplication).toMatchObject({
      status: 'APPROVED',
      isMinor: true,
    });

    const second = await submitApplication(h, minor);
    expect(errorCodes(await decide(h, educator, second.id, 'REJECT'))).toEqual(['LEAVE_REJECTION_REASON_REQUIRED']);
    expect(
      dataOf(await decide(h, educator, second.id, 'REJECT', 'Not this weekend')).decideLeaveApplication,
    ).toMatchObject({
      status: 'REJECTED',
      decisionReason: 'Not this weekend',
    });
    // decisions are final
    expect(errorCodes(await decide(h, educator, second.id, 'APPROVE'))).toEqual(['LEAVE_APPLICATION_FINAL']);
  });

  test('an application whose return time has passed cannot be approved (LEAVE_PERIOD_PASSED) but can be rejected', async () => {
    const applicant = student();
    h.identity.add(applicant);
    const stale = await submitApplication(h, applicant);
    const other = await submitApplication(h, applicant);
    const overBy = new Date(stale.returnAt).getTime() - h.clock.now().getTime() + 60_000;
    h.clock.advance(overBy);
    try {
      const refused = await decide(h, educator, stale.id, 'APPROVE', 'ok');
      expect(errorCodes(refused)).toEqual(['LEAVE_PERIOD_PASSED']);
      expect(refused.errors![0]!.extensions!.details).toMatchObject({
        applicationId: stale.id,
        returnAt: new Date(stale.returnAt).toISOString(),
      });
      expect(await stream(stale.id)).toHaveLength(1);
      expect(dataOf(await readApplication(h, educator, stale.id)).leaveApplication).toMatchObject({
        status: 'PENDING',
        decidedBy: null,
      });

      expect(dataOf(await decide(h, head, other.id, 'REJECT', 'Too late')).decideLeaveApplication).toMatchObject({
        status: 'REJECTED',
        decisionReason: 'Too late',
      });
    } finally {
      h.clock.advance(-overBy);
    }
  });

  test('a student can neither decide nor read another student’s application; the admin reads but does not decide', async () => {
    const owner = student();
    const other = student();
    h.identity.add(owner).add(other);
    const { id } = await submitApplication(h, owner);

    for (const who of [owner, other]) {
      const res = await decide(h, who, id, 'APPROVE');
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
      expect(res.errors![0]!.extensions!.details).toMatchObject({ rule: 'only_educators_decide' });
    }
    const adminUser = staff('admin');
    expect(errorCodes(await decide(h, adminUser, id, 'APPROVE'))).toEqual(['FORBIDDEN']);

    const peek = await readApplication(h, other, id);
    expect(errorCodes(peek)).toEqual(['FORBIDDEN']);
    expect(peek.data?.leaveApplication ?? null).toBeNull();
    const list = await h.gql(other, 'query($a: ID!) { leaveApplications(filter: { applicantId: $a }) { total } }', {
      a: owner.id,
    });
    expect(errorCodes(list)).toEqual(['FORBIDDEN']);
    const own = dataOf(
      await h.gql<{ leaveApplications: { total: number; items: { id: string }[] } }>(
        other,
        '{ leaveApplications { total items { id } } }',
      ),
    );
    expect(own.leaveApplications).toEqual({ total: 0, items: [] });

    expect(dataOf(await readApplication(h, owner, id)).leaveApplication).toMatchObject({ id, status: 'PENDING' });
    expect(dataOf(await readApplication(h, adminUser, id)).leaveApplication).toMatchObject({ id, status: 'PENDING' });
    expect(await stream(id)).toHaveLength(1);
  });
});
