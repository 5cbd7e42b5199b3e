// The orchestrator on real PostgreSQL and RabbitMQ with scripted participants: the API, the stored
// saga state, the events in the outbox (each checked against its JSON Schema), compensations that
// cannot complete, takeover after a crash, two replicas, the scheduler's tick.
import { randomUUID } from 'node:crypto';
import { conflict, createGrpcClient } from '@campus/platform';
import { checkoutService, validateEvent } from '@campus/contracts';
import { errorCodes, eventually, staff, student } from '@campus/testkit';
import { SagaRunner } from '../../src/services/saga-runner.service';
import { PrismaSagaStore } from '../../src/repository/sagas.repository';
import { aStudent, InMemoryStudents, ScriptedParticipants } from '../support/fakes';
import { startCheckoutHarness, type CheckoutHarness } from '../support/harness';
import { createLogger } from '@campus/platform';

const CHECK_OUT = `mutation($ids: [ID!]!, $reason: String!) { checkOut(userIds: $ids, reason: $reason) { id total } }`;
const BATCH = `query($id: ID!) { checkOutBatch(id: $id) {
  id total succeeded failed inProgress reason requestedBy { id } endedAt
  items(size: 100) { total items { checkoutId student { id } studentName room status step doneSteps compensatedSteps failureCode failureReason } } } }`;

const admin = staff('admin');
const head = staff('educator_head', { entrances: [{ building: '8', entrance: 1 }] });
const students = Array.from({ length: 24 }, (_, i) =>
  aStudent({
    id: randomUUID(),
    fullName: `Student ${String(i).padStart(2, '0')}`,
    room: { building: '8', entrance: i < 20 ? 1 : 2, room: `30${i % 9}` },
    entrance: { building: '8', entrance: i < 20 ? 1 : 2 },
  }),
);
// Cohorts of their own (building 9 and 10), so that no other test's students match their filters.
const cohortStudent = (building: string, entrance: number, i: number) =>
  aStudent({
    id: randomUUID(),
    fullName: `Cohort ${building}-${entrance} ${i}`,
    room: { building, entrance, room: `10${i}` },
    entrance: { building, entrance },
  });
const building9 = [
  ...Array.from({ length: 4 }, (_, i) => cohortStudent('9', 1, i)),
  ...Array.from({ length: 2 }, (_, i) => cohortStudent('9', 2, i)),
];
const building10 = Array.from({ length: 5 }, (_, i) => cohortStudent('10', 1, i));
const directory = new InMemoryStudents([
  ...students,
  ...building9,
  ...building10,
  { ...aStudent({ id: randomUUID() }), isStudent: false },
]);
const staffMember = directory.students.at(-1)!;

let h: CheckoutHarness;
let participants: ScriptedParticipants;

beforeAll(async () => {
  participants = new ScriptedParticipants();
  h = await startCheckoutHarness({ deps: { participants, students: directory } });
});
afterAll(async () => h?.stop());

const outboxTypes = async (): Promise<string[]> =>
  (await h.checkout.internals.db.outboxEvent.findMany({ orderBy: { seq: 'asc' } })).map((e) => e.type);
/** The outbox's events (as the relay will publish them) about these check-outs or batches. */
async function outboxOf(ids: readonly string[]) {
  const rows = await h.checkout.internals.db.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
  return rows.map((r) => r.payload as { type: string; subject: string }).filter((e) => ids.includes(e.subject));
}

async function checkOut(ids: string[], as = admin) {
  const res = await h.gql<{ checkOut: { id: string; total: number } }>(as, CHECK_OUT, {
    ids,
    reason: 'End of session',
  });
  return res;
}

describe('checkOut through GraphQL', () => {
  it('runs one saga per student to SUCCEEDED and reports the batch, with its events in the outbox', async () => {
    const ids = students.slice(0, 3).map((s) => s.id);
    const res = await checkOut(ids);
    expect(res.errors).toBeUndefined();
    const batchId = res.data!.checkOut.id;
    await h.checkout.internals.runner.drain();
    const batch = await h.gql<{
      checkOutBatch: Record<string, unknown> & { items: { items: Record<string, unknown>[] } };
    }>(admin, BATCH, { id: batchId });
    expect(batch.errors).toBeUndefined();
    expect(batch.data!.checkOutBatch).toMatchObject({
      total: 3,
      succeeded: 3,
      failed: 0,
      inProgress: 0,
      requestedBy: { id: admin.id },
    });
    expect(batch.data!.checkOutBatch.endedAt).not.toBeNull();
    expect(batch.data!.checkOutBatch.items.items.map((i) => i.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(batch.data!.checkOutBatch.items.items[0]).toMatchObject({
      studentName: 'Student 00',
      room: '8-1-300',
      step: 'FINISH',
      doneSteps: ['RELEASE_BOOKINGS', 'WITHDRAW_LEAVE', 'CLOSE_SANCTIONS', 'DEACTIVATE_ACCOUNT'],
      compensatedSteps: [],
      failureCode: null,
    });
    const types = await outboxTypes();
    expect(types.filter((t) => t === 'campus.checkout.student.checked_out.v1')).toHaveLength(3);
    expect(types.filter((t) => t === 'campus.checkout.batch.completed.v1')).toHaveLength(1);
    const sagaIds = (await h.checkout.internals.db.checkoutSaga.findMany({ where: { batchId } })).map((s) => s.id);
    const events = await outboxOf([batchId, ...sagaIds]);
    expect(events.map((e) => e.type).sort()).toEqual([
      'campus.checkout.batch.completed.v1',
      'campus.checkout.batch.requested.v1',
      ...Array<string>(3).fill('campus.checkout.student.checked_out.v1'),
    ]);
    for (const e of events) expect(validateEvent(e)).toEqual({ valid: true, errors: [] });
    // The step log: five calls per student, each once.
    expect(await h.checkout.internals.db.checkoutStepRun.count({ where: { saga: { batchId } } })).toBe(15);
  });

  it('refuses callers who may not, ids that are not active students, and an empty list, starting nothing', async () => {
    const before = await h.checkout.internals.db.checkoutSaga.count();
    expect(errorCodes(await h.gql(null, CHECK_OUT, { ids: [students[5]!.id], reason: 'x' }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect(errorCodes(await checkOut([students[5]!.id], staff('educator')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await checkOut([students[5]!.id], student()))).toEqual(['FORBIDDEN']);
    const outside = await checkOut([students[5]!.id, students[21]!.id], head);
    expect(errorCodes(outside)).toEqual(['FORBIDDEN']);
    expect(outside.errors![0]!.extensions!.details).toMatchObject({ outside: 1, userIds: [students[21]!.id] });
    const unknown = randomUUID();
    const missing = await checkOut([students[5]!.id, unknown, staffMember.id]);
    expect(errorCodes(missing)).toEqual(['CHECKOUT_STUDENTS_NOT_FOUND']);
    expect(missing.errors![0]!.extensions!.details).toEqual({ userIds: [unknown, staffMember.id] });
    expect(errorCodes(await checkOut([]))).toEqual(['VALIDATION_ERROR']);
    expect(errorCodes(await h.gql(admin, CHECK_OUT, { ids: [students[5]!.id], reason: '   ' }))).toEqual([
      'VALIDATION_ERROR',
    ]);
    expect(await h.checkout.internals.db.checkoutSaga.count()).toBe(before);
  });

  it('lets an educator_head check out the students of their entrance', async () => {
    const res = await checkOut([students[6]!.id], head);
    expect(res.errors).toBeUndefined();
    await h.checkout.internals.runner.drain();
  });

  it('refuses a second batch naming a student whose check-out still runs, also when both arrive at once', async () => {
    participants.script('do:release_bookings', 'unavailable');
    const first = await checkOut([students[7]!.id]);
    expect(first.errors).toBeUndefined();
    // The first attempt failed (down): the saga waits for its retry, still running.
    await h.checkout.internals.runner.drain();
    expect(errorCodes(await checkOut([students[7]!.id, students[8]!.id]))).toEqual(['CHECKOUT_ALREADY_RUNNING']);
    const racing = await Promise.all([checkOut([students[9]!.id]), checkOut([students[9]!.id])]);
    expect(racing.map((r) => (r.errors ? errorCodes(r)[0] : 'ok')).sort()).toEqual(['CHECKOUT_ALREADY_RUNNING', 'ok']);
    h.clock.advance(1_000);
    await h.checkout.internals.runner.drain();
  });

  it('answers a check-out over gRPC (GetCheckOut), NOT_FOUND for an unknown id', async () => {
    const saga = await h.checkout.internals.db.checkoutSaga.findFirstOrThrow({ where: { studentId: students[0]!.id } });
    const client = createGrpcClient(checkoutService, `127.0.0.1:${h.checkout.grpcPort}`, { name: 'checkout' });
    try {
      expect(await client.GetCheckOut({ checkoutId: saga.id })).toMatchObject({
        studentId: students[0]!.id,
        status: 'succeeded',
        step: 'finish',
      });
      await expect(client.GetCheckOut({ checkoutId: randomUUID() })).rejects.toMatchObject({
        code: 'CHECKOUT_NOT_FOUND',
      });
    } finally {
      client.$close();
    }
  });
});

describe('checkOutCohort with students whose check-out is still in progress', () => {
  const COHORT = `mutation($filter: CheckOutCohortFilter, $everyone: Boolean, $reason: String!) {
    checkOutCohort(filter: $filter, everyone: $everyone, reason: $reason) { id total inProgress skippedRunning { id } } }`;
  type CohortBatch = { id: string; total: number; inProgress: number; skippedRunning: { id: string }[] };
  const checkOutCohort = (filter: Record<string, unknown> | null, as = admin, everyone?: boolean | null) =>
    h.gql<{ checkOutCohort: CohortBatch }>(as, COHORT, { filter, reason: 'End of session', everyone });
  const sagasOf = (studentId: string) => h.checkout.internals.db.checkoutSaga.findMany({ where: { studentId } });
  /** Lets retries come due until none of these students has a check-out in progress. */
  async function settle(ids: string[]) {
    for (let round = 0; round < 30; round++) {
      await h.checkout.internals.runner.drain();
      const active = await h.checkout.internals.db.checkoutSaga.count({
        where: { studentId: { in: ids }, status: { in: ['running', 'compensating'] } },
      });
      if (!active) return;
      h.clock.advance(1_000);
    }
    throw new Error('the check-outs did not settle');
  }
  // Whatever a test left in progress ends before the next one (the harness and participants are shared).
  afterEach(() => settle([...building9, ...building10].map((s) => s.id)));

  it('refuses a filter naming no field unless everyone is true, starting nothing (no whole campus by accident)', async () => {
    const cohort = jest.spyOn(directory, 'cohort');
    const batchesBefore = await h.checkout.internals.db.checkoutBatch.count();
    try {
      for (const [filter, everyone] of [
        [null, undefined],
        [{}, undefined],
        [{ building: null, entrance: null, checkOutDateTo: null }, false],
        [null, null],
      ] as const) {
        const res = await checkOutCohort(filter, admin, everyone);
        expect(errorCodes(res)).toEqual(['VALIDATION_ERROR']);
        expect(res.errors![0]!.extensions!.details).toEqual({
          fields: { filter: 'name a building, entrance, floor, room or checkOutDateTo, or pass everyone: true' },
        });
      }
      // everyone: true is the whole campus; a filter with it is contradictory.
      const both = await checkOutCohort({ building: '9' }, admin, true);
      expect(errorCodes(both)).toEqual(['VALIDATION_ERROR']);
      expect(both.errors![0]!.extensions!.details).toMatchObject({ fields: { everyone: expect.any(String) } });
      expect(cohort).not.toHaveBeenCalled();
      expect(await h.checkout.internals.db.checkoutBatch.count()).toBe(batchesBefore);
    } finally {
      cohort.mockRestore();
    }
  });

  it('checks out every active student with everyone: true and no filter', async () => {
    const graduate = cohortStudent('11', 1, 0);
    // The directory answers the whole campus with one student of its own, so no other test's are taken.
    const cohort = jest.spyOn(directory, 'cohort').mockResolvedValueOnce([graduate]);
    try {
      const res = await checkOutCohort(null, admin, true);
      expect(res.errors).toBeUndefined();
      expect(res.data!.checkOutCohort).toMatchObject({ total: 1, skippedRunning: [] });
      expect(cohort).toHaveBeenCalledWith({});
      const stored = await h.checkout.internals.db.checkoutBatch.findUniqueOrThrow({
        where: { id: res.data!.checkOutCohort.id },
      });
      expect(stored.cohort).toEqual({});
      expect((await sagasOf(graduate.id)).map((s) => s.batchId)).toEqual([res.data!.checkOutCohort.id]);
      await settle([graduate.id]);
    } finally {
      cohort.mockRestore();
    }
  });

  it('starts the others and names the one whose check-out is being undone (compensation retrying) in skippedRunning', async () => {
    const [stuck, ...others] = building9.slice(0, 4).map((s) => s.id) as [string, ...string[]];
    // Duty refuses the stuck student's check-out; leave is down while its withdrawal is undone, so the
    // compensation keeps retrying (well within its deadline) and identity still shows them an active student.
    participants.script('do:close_sanctions', 'refused');
    participants.script('undo:withdraw_leave', 'unavailable', 'unavailable', 'unavailable');
    const first = await checkOut([stuck]);
    expect(first.errors).toBeUndefined();
    await h.checkout.internals.runner.drain();
    expect((await sagasOf(stuck)).map((s) => s.status)).toEqual(['compensating']);

    const res = await checkOutCohort({ building: '9', entrance: 1 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.checkOutCohort).toMatchObject({ total: 3, inProgress: 3, skippedRunning: [{ id: stuck }] });
    const batchId = res.data!.checkOutCohort.id;
    // The skipped student keeps their one saga; the others got one each, in the new batch.
    expect(await sagasOf(stuck)).toHaveLength(1);
    for (const id of others) expect((await sagasOf(id)).map((s) => s.batchId)).toEqual([batchId]);
    const requested = (
      await h.checkout.internals.db.outboxEvent.findMany({ where: { type: 'campus.checkout.batch.requested.v1' } })
    ).find((e) => (e.payload as { data: { batchId: string } }).data.batchId === batchId);
    expect((requested!.payload as { data: { total: number } }).data.total).toBe(3);

    await h.checkout.internals.runner.drain();
    const batch = await h.gql<{
      checkOutBatch: { total: number; succeeded: number; inProgress: number; skippedRunning: { id: string }[] };
    }>(
      admin,
      `query($id: ID!) { checkOutBatch(id: $id) { total succeeded inProgress endedAt skippedRunning { id } } }`,
      {
        id: batchId,
      },
    );
    expect(batch.errors).toBeUndefined();
    expect(batch.data!.checkOutBatch).toMatchObject({
      total: 3,
      succeeded: 3,
      inProgress: 0,
      skippedRunning: [{ id: stuck }],
    });
    expect((await sagasOf(stuck)).map((s) => s.status)).toEqual(['compensating']);

    // Once leave is back the compensation ends FAILED, and the student can be checked out again.
    await settle([stuck]);
    expect((await sagasOf(stuck)).map((s) => s.status)).toEqual(['failed']);
    expect((await checkOut([stuck])).errors).toBeUndefined();
  });

  it('answers CHECKOUT_ALREADY_RUNNING naming them when every selected student has a check-out in progress, starting nothing', async () => {
    const ids = building9.slice(4).map((s) => s.id);
    participants.script('do:release_bookings', 'unavailable', 'unavailable');
    expect((await checkOut(ids)).errors).toBeUndefined();
    await h.checkout.internals.runner.drain(); // both first attempts failed: running, waiting for a retry
    const batchesBefore = await h.checkout.internals.db.checkoutBatch.count();

    const res = await checkOutCohort({ building: '9', entrance: 2 });
    expect(errorCodes(res)).toEqual(['CHECKOUT_ALREADY_RUNNING']);
    expect((res.errors![0]!.extensions!.details as { userIds: string[] }).userIds.sort()).toEqual([...ids].sort());
    expect(await h.checkout.internals.db.checkoutBatch.count()).toBe(batchesBefore);
    for (const id of ids) expect(await sagasOf(id)).toHaveLength(1);
  });

  it('never starts two check-outs of one student when two cohort requests arrive at once', async () => {
    const ids = building10.map((s) => s.id);
    participants.script('do:release_bookings', ...ids.map(() => 'unavailable' as const));
    const racing = await Promise.all([
      checkOutCohort({ building: '10' }),
      checkOutCohort({ building: '10' }),
      checkOutCohort({ building: '10', entrance: 1 }),
    ]);
    for (const id of ids) expect(await sagasOf(id)).toHaveLength(1);
    const started = racing.filter((r) => !r.errors).map((r) => r.data!.checkOutCohort);
    expect(started.reduce((n, b) => n + b.total, 0)).toBe(ids.length);
    for (const batch of started) expect(batch.total + batch.skippedRunning.length).toBe(ids.length);
    for (const r of racing.filter((r) => r.errors)) expect(errorCodes(r)).toEqual(['CHECKOUT_ALREADY_RUNNING']);
  });
});

describe('crashes and replicas', () => {
  const store = () => new PrismaSagaStore(h.checkout.internals.db);
  const logger = createLogger('checkout-test', 'silent');
  const runner = (p: ScriptedParticipants) =>
    new SagaRunner({
      store: store(),
      participants: p,
      clock: h.clock,
      policy: h.config.policy,
      logger,
      concurrency: 4,
      leaseMs: 20_000,
    });

  it('a saga claimed by an orchestrator that died is resumed by another after the lease, to the same outcome', async () => {
    participants.script('do:release_bookings', 'unavailable');
    const res = await checkOut([students[10]!.id]);
    const batchId = res.data!.checkOut.id;
    await h.checkout.internals.runner.drain(); // its first attempt failed: the saga waits for a retry
    h.clock.advance(1_000);
    // Another orchestrator claims it and dies before saving anything.
    expect(await store().claimDue(h.clock.now(), 100, new Date(h.clock.now().getTime() + 20_000))).toHaveLength(1);
    const after = new ScriptedParticipants();
    await runner(after).drain();
    expect(after.calls).toEqual([]);
    h.clock.advance(20_001);
    await runner(after).drain();
    expect(after.of(students[10]!.id)).toEqual([
      'do:release_bookings',
      'do:withdraw_leave',
      'do:close_sanctions',
      'do:deactivate_account',
      'do:finish',
    ]);
    const saga = await h.checkout.internals.db.checkoutSaga.findFirstOrThrow({ where: { batchId } });
    expect(saga.status).toBe('succeeded');
  });

  it('two orchestrators draining one database run every step of every saga once', async () => {
    const ids = students.slice(11, 20).map((s) => s.id);
    const p1 = new ScriptedParticipants();
    const p2 = new ScriptedParticipants();
    // The request's own kick races with them too.
    const res = await checkOut(ids);
    const batchId = res.data!.checkOut.id;
    await Promise.all([runner(p1).drain(), runner(p2).drain(), h.checkout.internals.runner.drain()]);
    const all = [...p1.calls, ...p2.calls, ...participants.calls.filter((c) => ids.some((id) => c.endsWith(id)))];
    for (const id of ids)
      expect(all.filter((c) => c.endsWith(id)).map((c) => c.split(':').slice(0, 2).join(':'))).toEqual([
        'do:release_bookings',
        'do:withdraw_leave',
        'do:close_sanctions',
        'do:deactivate_account',
        'do:finish',
      ]);
    const batch = await h.gql<{ checkOutBatch: { succeeded: number } }>(admin, BATCH, { id: batchId });
    expect(batch.data!.checkOutBatch.succeeded).toBe(9);
    const completed = (
      await h.checkout.internals.db.outboxEvent.findMany({ where: { type: 'campus.checkout.batch.completed.v1' } })
    ).filter((e) => (e.payload as { data: { batchId: string } }).data.batchId === batchId);
    expect(completed).toHaveLength(1);
  });
});

describe('compensations that cannot complete', () => {
  const sagaOf = (studentId: string) =>
    h.checkout.internals.db.checkoutSaga.findFirstOrThrow({ where: { studentId }, orderBy: { createdAt: 'desc' } });

  it('a refused undo ends the saga FAILED with CHECKOUT_COMPENSATION_INCOMPLETE, and the student can be checked out again', async () => {
    const id = students[20]!.id;
    participants.script('do:close_sanctions', 'refused');
    participants.script('undo:withdraw_leave', conflict('Cannot reinstate', {}, 'LEAVE_CANNOT_REINSTATE'));
    const res = await checkOut([id]);
    expect(res.errors).toBeUndefined();
    const batchId = res.data!.checkOut.id;
    await h.checkout.internals.runner.drain();
    const saga = await sagaOf(id);
    expect(saga).toMatchObject({
      status: 'failed',
      failureStep: 'close_sanctions',
      failureCode: 'CHECKOUT_COMPENSATION_INCOMPLETE',
      compensated: [],
      toCompensate: ['withdraw_leave', 'release_bookings'],
      failureDetails: {
        participantCode: 'LEAVE_CANNOT_REINSTATE',
        compensationStep: 'withdraw_leave',
        notCompensated: ['withdraw_leave', 'release_bookings'],
      },
    });
    expect(saga.failureReason).toContain('leave refused to undo withdraw_leave');
    expect(saga.endedAt).not.toBeNull();
    const batch = await h.gql<{
      checkOutBatch: { failed: number; inProgress: number; items: { items: Record<string, unknown>[] } };
    }>(admin, BATCH, { id: batchId });
    expect(batch.data!.checkOutBatch).toMatchObject({ failed: 1, inProgress: 0 });
    expect(batch.data!.checkOutBatch.items.items[0]).toMatchObject({
      status: 'FAILED',
      failureCode: 'CHECKOUT_COMPENSATION_INCOMPLETE',
      compensatedSteps: [],
    });
    const events = await outboxOf([batchId, saga.id]);
    expect(events.map((e) => e.type)).toEqual([
      'campus.checkout.batch.requested.v1',
      'campus.checkout.student.check_out_failed.v1',
      'campus.checkout.batch.completed.v1',
    ]);
    for (const e of events) expect(validateEvent(e)).toEqual({ valid: true, errors: [] });

    // The one-active-check-out index no longer holds the student.
    const again = await checkOut([id]);
    expect(again.errors).toBeUndefined();
    await h.checkout.internals.runner.drain();
    // by its batch: on the test clock both sagas share createdAt, so "the newest" is either of them
    const second = await h.checkout.internals.db.checkoutSaga.findFirstOrThrow({
      where: { studentId: id, batchId: again.data!.checkOut.id },
    });
    expect(second.status).toBe('succeeded');
  });

  it('a finish whose answer came after the deadline: identity refusing the undo as finished ends it SUCCEEDED', async () => {
    const id = students[21]!.id;
    participants.script('do:finish', 'unavailable', 'unavailable');
    participants.script(
      'undo:deactivate_account',
      conflict('Check-out has finished; it cannot be undone', {}, 'AUTH_CHECKOUT_FINISHED'),
    );
    const res = await checkOut([id]);
    expect(res.errors).toBeUndefined();
    const batchId = res.data!.checkOut.id;
    await h.checkout.internals.runner.drain(); // finish failed once: waiting for a retry
    expect((await sagaOf(id)).status).toBe('running');
    h.clock.advance(h.config.policy.sagaTimeoutMs + 1_000); // past the check-out's deadline
    await h.checkout.internals.runner.drain();
    const saga = await sagaOf(id);
    expect(saga).toMatchObject({
      status: 'succeeded',
      step: 'finish',
      compensated: [],
      toCompensate: [],
      failureCode: null,
      lastError: null,
    });
    const events = await outboxOf([batchId, saga.id]);
    expect(events.map((e) => e.type)).toEqual([
      'campus.checkout.batch.requested.v1',
      'campus.checkout.student.checked_out.v1',
      'campus.checkout.batch.completed.v1',
    ]);
    for (const e of events) expect(validateEvent(e)).toEqual({ valid: true, errors: [] });
  });
});

describe('the outbox', () => {
  it('holds only events that fit their JSON Schema (packages/contracts/events)', async () => {
    const rows = await h.checkout.internals.db.outboxEvent.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows)
      expect({ type: row.type, ...validateEvent(row.payload) }).toEqual({ type: row.type, valid: true, errors: [] });
  });
});

describe('the scheduler tick', () => {
  it('drives sagas whose retry came due, without anyone calling drain', async () => {
    const scripted = new ScriptedParticipants().script('do:withdraw_leave', 'unavailable');
    const ticking = await startCheckoutHarness({
      deps: { participants: scripted, students: directory, scheduler: undefined },
      env: { CHECKOUT_TICK_CRON: '* * * * * *' },
    });
    try {
      const res = await ticking.gql<{ checkOut: { id: string } }>(admin, CHECK_OUT, {
        ids: [students[22]!.id],
        reason: 'x',
      });
      expect(res.errors).toBeUndefined();
      await eventually(
        async () => scripted.calls.length,
        (n) => n >= 2,
        15_000,
        'first attempts',
      );
      ticking.clock.advance(5_000);
      const saga = await eventually(
        () =>
          ticking.checkout.internals.db.checkoutSaga.findFirstOrThrow({ where: { batchId: res.data!.checkOut.id } }),
        (s) => s.status === 'succeeded',
        20_000,
        'the tick resumes the saga',
      );
      expect(saga.doneSteps).toHaveLength(4);
    } finally {
      await ticking.stop();
    }
  });
});
