// The check-out saga participant over gRPC with a real database: WithdrawPendingForCheckOut
// withdraws a leaving student's pending applications on behalf of the system (once per check-out),
// ReinstateForCheckOut makes exactly those pending again; both idempotent by check-out id, an undo
// arriving first leaves a tombstone, and only the checkout service may call them.
import { randomUUID } from 'node:crypto';
import { leaveService, validateEvent, type LeaveServiceDefinition } from '@campus/contracts';
import { createGrpcClient, type GrpcClient } from '@campus/platform';
import { staff, student } from '@campus/testkit';
import { rebuildProjection } from '../../src/repository/projection.repository';
import {
  dataOf,
  decide,
  readApplication,
  submitApplication,
  withdraw,
  type ApplicationResult,
} from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';
import { allPublished } from '../support/wait';

let h: LeaveHarness;
let checkout: GrpcClient<LeaveServiceDefinition>;
let patrol: GrpcClient<LeaveServiceDefinition>;
const educator = staff('educator');

beforeAll(async () => {
  h = await startLeaveHarness();
  const address = `127.0.0.1:${h.leave.grpcPort}`;
  checkout = createGrpcClient(leaveService, address, { name: 'leave', auth: { service: 'checkout' } });
  patrol = createGrpcClient(leaveService, address, { name: 'leave', auth: { service: 'patrol' } });
});

afterAll(async () => {
  checkout?.$close();
  patrol?.$close();
  await h?.stop();
});

/** A student known to identity, with `pending` pending applications (oldest first). */
async function studentWithPending(pending: number) {
  const user = student();
  h.identity.add(user);
  const applications: ApplicationResult[] = [];
  for (let i = 0; i < pending; i++) applications.push(await submitApplication(h, user, { reason: `Trip ${i}` }));
  return { user, ids: applications.map((a) => a.id) };
}

const read = async (user: ReturnType<typeof student>, id: string) =>
  dataOf(await readApplication(h, user, id)).leaveApplication!;

const eventCount = async (): Promise<number> =>
  Number((await h.leave.internals.pool.query<{ n: string }>('SELECT count(*) AS n FROM leave_events')).rows[0]!.n);

const outboxCount = async (): Promise<number> =>
  Number((await h.leave.internals.pool.query<{ n: string }>('SELECT count(*) AS n FROM outbox')).rows[0]!.n);

/** The `data` of the outbox events of `type` about `applicationId`, in order. */
async function outboxData(type: string, applicationId: string): Promise<Record<string, unknown>[]> {
  const { rows } = await h.leave.internals.pool.query<{ payload: { data: Record<string, unknown> } }>(
    `SELECT payload FROM outbox WHERE type = $1 AND payload->>'subject' = $2 ORDER BY seq`,
    [`campus.leave.application.${type}.v1`, applicationId],
  );
  return rows.map((r) => r.payload.data);
}

const record = (checkoutId: string) => h.leave.internals.db.checkoutWithdrawal.findUnique({ where: { checkoutId } });

describe('WithdrawPendingForCheckOut', () => {
  it('withdraws every pending application of the student, by the system, naming the check-out; a repeat answers the same', async () => {
    const { user, ids } = await studentWithPending(2);
    const approved = await submitApplication(h, user);
    dataOf(await decide(h, educator, approved.id, 'APPROVE'));
    const rejected = await submitApplication(h, user);
    dataOf(await decide(h, educator, rejected.id, 'REJECT', 'Exams'));
    const ownWithdrawal = await submitApplication(h, user);
    dataOf(await withdraw(h, user, ownWithdrawal.id));
    const someoneElse = await studentWithPending(1);
    const checkoutId = randomUUID();

    const first = await checkout.WithdrawPendingForCheckOut({ userId: user.id, checkoutId });
    expect(first).toEqual({ applicationIds: ids });

    for (const id of ids) {
      const application = await read(user, id);
      expect(application).toMatchObject({ status: 'WITHDRAWN', version: 2 });
      expect(application.history.at(-1)).toMatchObject({
        version: 2,
        type: 'WITHDRAWN',
        actor: null,
        data: { checkoutId },
      });
      expect(await outboxData('withdrawn', id)).toEqual([
        { applicationId: id, applicantId: user.id, withdrawnBy: null, checkoutId },
      ]);
    }
    expect((await read(user, approved.id)).status).toBe('APPROVED');
    expect((await read(user, rejected.id)).status).toBe('REJECTED');
    expect((await read(user, ownWithdrawal.id)).history.at(-1)).toMatchObject({ actor: { id: user.id }, data: {} });
    expect((await read(someoneElse.user, someoneElse.ids[0]!)).status).toBe('PENDING');
    expect(await record(checkoutId)).toMatchObject({ studentId: user.id, applicationIds: ids, reinstatedAt: null });

    const [events, outbox] = [await eventCount(), await outboxCount()];
    expect(await checkout.WithdrawPendingForCheckOut({ userId: user.id, checkoutId })).toEqual(first);
    expect([await eventCount(), await outboxCount()]).toEqual([events, outbox]);
  });

  it('answers an empty list for a student with nothing pending', async () => {
    const { user } = await studentWithPending(0);
    const checkoutId = randomUUID();
    expect(await checkout.WithdrawPendingForCheckOut({ userId: user.id, checkoutId })).toEqual({ applicationIds: [] });
    expect(await checkout.ReinstateForCheckOut({ checkoutId })).toEqual({ applicationIds: [] });
  });

  it('a withdrawn application is final for its applicant and educators until the check-out is undone', async () => {
    const { user, ids } = await studentWithPending(1);
    await checkout.WithdrawPendingForCheckOut({ userId: user.id, checkoutId: randomUUID() });
    const approval = await decide(h, educator, ids[0]!, 'APPROVE');
    expect(approval.errors?.[0]?.extensions?.code).toBe('LEAVE_APPLICATION_FINAL');
    const own = await withdraw(h, user, ids[0]!);
    expect(own.errors?.[0]?.extensions?.code).toBe('LEAVE_APPLICATION_FINAL');
  });

  it('concurrent calls of one check-out withdraw once', async () => {
    const { user, ids } = await studentWithPending(3);
    const checkoutId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => checkout.WithdrawPendingForCheckOut({ userId: user.id, checkoutId })),
    );
    for (const answer of answers) expect(answer).toEqual({ applicationIds: ids });
    for (const id of ids) {
      expect(await outboxData('withdrawn', id)).toHaveLength(1);
      expect((await read(user, id)).version).toBe(2);
    }
  });

  it('refuses ids that are not UUIDs with VALIDATION_ERROR', async () => {
    await expect(
      checkout.WithdrawPendingForCheckOut({ userId: 'nobody', checkoutId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(checkout.ReinstateForCheckOut({ checkoutId: 'not-a-uuid' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });
});

describe('ReinstateForCheckOut', () => {
  it('makes what the check-out withdrew pending again, once; repeats of either call change nothing', async () => {
    const { user, ids } = await studentWithPending(2);
    const checkoutId = randomUUID();
    await checkout.WithdrawPendingForCheckOut({ userId: user.id, checkoutId });

    const first = await checkout.ReinstateForCheckOut({ checkoutId });
    expect(first).toEqual({ applicationIds: ids });
    for (const id of ids) {
      const application = await read(user, id);
      expect(application).toMatchObject({ status: 'PENDING', version: 3 });
      expect(application.withdrawnAt).toBeNull();
      expect(application.history.map((e) => [e.type, e.actor])).toEqual([
        ['SUBMITTED', { id: user.id }],
        ['WITHDRAWN', null],
        ['REINSTATED', null],
      ]);
      expect(application.history.at(-1)!.data).toEqual({ checkoutId });
      const [reinstated] = await outboxData('reinstated', id);
      expect(reinstated).toEqual({
        applicationId: id,
        applicantId: user.id,
        checkoutId,
        leaveAt: application.leaveAt,
        returnAt: application.returnAt,
      });
    }
    expect(await record(checkoutId)).toMatchObject({ reinstatedIds: ids, reinstatedAt: expect.any(Date) });

    const [events, outbox] = [await eventCount(), await outboxCount()];
    expect(await checkout.ReinstateForCheckOut({ checkoutId })).toEqual(first);
    // a late repeat of the withdrawal answers what it did then, and withdraws nothing again
    expect(await checkout.WithdrawPendingForCheckOut({ userId: user.id, checkoutId })).toEqual({ applicationIds: ids });
    expect([await eventCount(), await outboxCount()]).toEqual([events, outbox]);

    // pending again for everybody: the educator decides as usual
    expect(dataOf(await decide(h, educator, ids[0]!, 'APPROVE')).decideLeaveApplication.status).toBe('APPROVED');
  });

  it('reinstates only what this check-out withdrew: not what the applicant or another check-out did', async () => {
    const { user, ids } = await studentWithPending(1);
    const checkoutId = randomUUID();
    await checkout.WithdrawPendingForCheckOut({ userId: user.id, checkoutId });
    const later = await submitApplication(h, user); // pending, untouched by that check-out
    const own = await submitApplication(h, user);
    dataOf(await withdraw(h, user, own.id));

    expect(await checkout.ReinstateForCheckOut({ checkoutId: randomUUID() })).toEqual({ applicationIds: [] });
    expect(await checkout.ReinstateForCheckOut({ checkoutId })).toEqual({ applicationIds: ids });
    expect((await read(user, later.id)).version).toBe(1);
    expect((await read(user, own.id)).status).toBe('WITHDRAWN');
  });

  it('an undo before the withdrawal leaves a tombstone: the late withdrawal changes nothing and answers empty', async () => {
    const { user, ids } = await studentWithPending(2);
    const checkoutId = randomUUID();

    expect(await checkout.ReinstateForCheckOut({ checkoutId })).toEqual({ applicationIds: [] });
    expect(await record(checkoutId)).toMatchObject({
      studentId: null,
      applicationIds: [],
      withdrawnAt: null,
      reinstatedAt: expect.any(Date),
    });
    const [events, outbox] = [await eventCount(), await outboxCount()];

    expect(await checkout.WithdrawPendingForCheckOut({ userId: user.id, checkoutId })).toEqual({ applicationIds: [] });
    expect(await checkout.ReinstateForCheckOut({ checkoutId })).toEqual({ applicationIds: [] });
    for (const id of ids) expect(await read(user, id)).toMatchObject({ status: 'PENDING', version: 1 });
    expect([await eventCount(), await outboxCount()]).toEqual([events, outbox]);
  });
});

describe('callers', () => {
  it('refuses every service but checkout with PERMISSION_DENIED (FORBIDDEN), changing nothing', async () => {
    const { user, ids } = await studentWithPending(1);
    const checkoutId = randomUUID();
    await expect(patrol.WithdrawPendingForCheckOut({ userId: user.id, checkoutId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: expect.objectContaining({ caller: 'patrol' }),
    });
    await expect(patrol.ReinstateForCheckOut({ checkoutId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await read(user, ids[0]!)).toMatchObject({ status: 'PENDING', version: 1 });
    expect(await record(checkoutId)).toBeNull();
  });
});

describe('published events and the read model', () => {
  it('the published withdrawn/reinstated events validate against their contracts', async () => {
    await allPublished(h);
    const published = h.observer.messages.filter((m) =>
      ['campus.leave.application.withdrawn.v1', 'campus.leave.application.reinstated.v1'].includes(m.body.type),
    );
    expect(published.some((m) => m.body.type === 'campus.leave.application.reinstated.v1')).toBe(true);
    for (const message of published) {
      expect({ type: message.body.type, ...validateEvent(message.body) }).toEqual({
        type: message.body.type,
        valid: true,
        errors: [],
      });
    }
  });

  it('rebuilding the read model from the events reproduces it (withdrawn by a check-out, reinstated)', async () => {
    const snapshot = async () =>
      (await h.leave.internals.pool.query('SELECT * FROM leave_applications_view ORDER BY id')).rows;
    const before = await snapshot();
    expect(before.some((row: { withdrawn_by_checkout_id: string | null }) => row.withdrawn_by_checkout_id)).toBe(true);
    await rebuildProjection(h.leave.internals.db);
    expect(await snapshot()).toEqual(before);
  });
});
