// The check-out saga's definition, given/when/then: the runner with in-memory state and scripted
// participants. Every step failing (refused, or down past its deadline), every compensation
// failing once then succeeding, a compensation refused or down past its deadline, a finish whose
// answer was lost, a crash mid-step, two runners.
import { randomUUID } from 'node:crypto';
import { validateEvent } from '@campus/contracts';
import { conflict, createLogger, forbidden, unauthenticated } from '@campus/platform';
import { authOf, staff, TestClock } from '@campus/testkit';
import { STEPS, type Saga, type StepName } from '../../src/domain/records';
import { refusalFailure, type SagaPolicy } from '../../src/domain/saga';
import { CheckoutRequests } from '../../src/services/checkout-requests.service';
import { SagaRunner } from '../../src/services/saga-runner.service';
import { aStudent, InMemorySagaStore, InMemoryStudents, ScriptedParticipants } from '../support/fakes';

const POLICY: SagaPolicy = {
  stepTimeoutMs: 10_000,
  sagaTimeoutMs: 600_000,
  compensationTimeoutMs: 60_000,
  retryBaseMs: 1_000,
  retryMaxMs: 4_000,
};
const admin = staff('admin');
const logger = createLogger('checkout-test', 'silent');

interface World {
  clock: TestClock;
  store: InMemorySagaStore;
  participants: ScriptedParticipants;
  runner: SagaRunner;
  requests: CheckoutRequests;
  studentIds: string[];
  batchId: string;
  saga(studentId?: string): Saga;
  /** Drains, then lets time pass (retries come due), until every saga ended or `rounds` ran out. */
  runToEnd(rounds?: number): Promise<void>;
  eventTypes(): string[];
}

async function given(students = 1, setup: (p: ScriptedParticipants) => void = () => undefined): Promise<World> {
  const clock = new TestClock('2026-06-30T10:00:00.000Z');
  const store = new InMemorySagaStore();
  const participants = new ScriptedParticipants();
  setup(participants);
  const directory = new InMemoryStudents(Array.from({ length: students }, () => aStudent({ id: randomUUID() })));
  const runner = new SagaRunner({
    store,
    participants,
    clock,
    policy: POLICY,
    logger,
    concurrency: 3,
    leaseMs: 30_000,
  });
  const requests = new CheckoutRequests({ store, students: directory, clock, policy: POLICY });
  const studentIds = directory.students.map((s) => s.id);
  const batch = await requests.checkOut(authOf(admin), { userIds: studentIds, reason: 'End of the June session' });
  const sagaOf = (id: string) => [...store.sagasById.values()].find((s) => s.studentId === id)!;
  return {
    clock,
    store,
    participants,
    runner,
    requests,
    studentIds,
    batchId: batch.id,
    saga: (id = studentIds[0]!) => sagaOf(id),
    async runToEnd(rounds = 60) {
      for (let i = 0; i < rounds; i++) {
        await runner.drain();
        if ([...store.sagasById.values()].every((s) => s.status === 'succeeded' || s.status === 'failed')) return;
        clock.advance(1_000);
      }
    },
    eventTypes: () => store.events.map((e) => e.type),
  };
}

const forward = (steps: readonly string[]) => steps.map((s) => `do:${s}`);
const backward = (steps: readonly string[]) => [...steps].reverse().map((s) => `undo:${s}`);
const before = (step: StepName) => STEPS.slice(0, STEPS.indexOf(step));

describe('a check-out whose every step succeeds', () => {
  it('runs the steps in order, then finish, and ends SUCCEEDED with its events', async () => {
    const w = await given(1);
    await w.runToEnd();
    expect(w.participants.of(w.studentIds[0]!)).toEqual([...forward(STEPS), 'do:finish']);
    expect(w.saga()).toMatchObject({ status: 'succeeded', done: [...STEPS], compensated: [], failure: null });
    expect(w.eventTypes()).toEqual([
      'campus.checkout.batch.requested.v1',
      'campus.checkout.student.checked_out.v1',
      'campus.checkout.batch.completed.v1',
    ]);
  });

  it('retries a step that is briefly down and still succeeds', async () => {
    const w = await given(1, (p) => p.script('do:withdraw_leave', 'unavailable', 'unavailable'));
    await w.runToEnd();
    expect(w.saga().status).toBe('succeeded');
    expect(w.participants.of(w.studentIds[0]!).filter((c) => c === 'do:withdraw_leave')).toHaveLength(3);
    expect(w.store.runs.filter((r) => r.step === 'withdraw_leave').map((r) => r.outcome)).toEqual([
      'unavailable',
      'unavailable',
      'done',
    ]);
  });
});

describe.each(STEPS)('when step %s is refused', (step) => {
  it('undoes the steps done before it, in reverse, and ends FAILED with CHECKOUT_STEP_REFUSED', async () => {
    const w = await given(1, (p) => p.script(`do:${step}`, 'refused'));
    await w.runToEnd();
    const done = before(step);
    expect(w.participants.of(w.studentIds[0]!)).toEqual([...forward(done), `do:${step}`, ...backward(done)]);
    expect(w.saga()).toMatchObject({
      status: 'failed',
      done,
      compensated: [...done].reverse(),
      failure: { step, code: 'CHECKOUT_STEP_REFUSED', details: { participantCode: 'PARTICIPANT_REFUSED' } },
    });
    expect(w.eventTypes()).toEqual([
      'campus.checkout.batch.requested.v1',
      'campus.checkout.student.check_out_failed.v1',
      'campus.checkout.batch.completed.v1',
    ]);
  });
});

describe.each(STEPS)('when step %s stays down past its deadline', (step) => {
  it('undoes it too (its effect is unknown) and the steps before it, and ends FAILED with CHECKOUT_STEP_TIMED_OUT', async () => {
    const w = await given(1, (p) => p.script(`do:${step}`, ...Array<'unavailable'>(50).fill('unavailable')));
    await w.runToEnd(120);
    const done = before(step);
    const calls = w.participants.of(w.studentIds[0]!);
    expect(calls.filter((c) => c === `do:${step}`).length).toBeGreaterThan(2);
    expect(calls.slice(-done.length - 1)).toEqual(backward([...done, step]));
    expect(w.saga()).toMatchObject({
      status: 'failed',
      compensated: [...done, step].reverse(),
      failure: { step, code: 'CHECKOUT_STEP_TIMED_OUT' },
    });
    // It gave up once the step had failed for stepTimeoutMs, not before.
    const attempts = w.store.runs.filter((r) => r.step === step && r.action === 'do');
    const span = attempts.at(-1)!.startedAt.getTime() - attempts[0]!.startedAt.getTime();
    expect(span).toBeGreaterThanOrEqual(POLICY.stepTimeoutMs);
  });
});

describe('when finish (identity releasing the held room) stays down', () => {
  it('undoes every step', async () => {
    const w = await given(1, (p) => p.script('do:finish', ...Array<'unavailable'>(50).fill('unavailable')));
    await w.runToEnd(120);
    expect(w.saga()).toMatchObject({
      status: 'failed',
      compensated: [...STEPS].reverse(),
      failure: { step: 'finish' },
    });
  });
});

describe.each(STEPS.slice(0, 3))('when the compensation of %s fails once', (step) => {
  it('retries it and the check-out still ends FAILED with every step undone', async () => {
    const w = await given(1, (p) => p.script('do:deactivate_account', 'refused').script(`undo:${step}`, 'unavailable'));
    await w.runToEnd();
    const calls = w.participants.of(w.studentIds[0]!);
    expect(calls.filter((c) => c === `undo:${step}`)).toHaveLength(2);
    expect(w.saga()).toMatchObject({
      status: 'failed',
      compensated: ['close_sanctions', 'withdraw_leave', 'release_bookings'],
    });
    // In reverse order: none started before the one after it in the saga was undone.
    expect([...new Set(calls.filter((c) => c.startsWith('undo:')))]).toEqual([
      'undo:close_sanctions',
      'undo:withdraw_leave',
      'undo:release_bookings',
    ]);
  });
});

describe('when the compensation of deactivate_account fails once (finish timed out)', () => {
  it('retries it and undoes everything', async () => {
    const w = await given(1, (p) =>
      p
        .script('do:finish', ...Array<'unavailable'>(50).fill('unavailable'))
        .script('undo:deactivate_account', 'unavailable'),
    );
    await w.runToEnd(120);
    expect(w.participants.of(w.studentIds[0]!).filter((c) => c === 'undo:deactivate_account')).toHaveLength(2);
    expect(w.saga()).toMatchObject({ status: 'failed', compensated: [...STEPS].reverse() });
  });
});

const INCOMPLETE = 'CHECKOUT_COMPENSATION_INCOMPLETE';
const finishedInIdentity = () =>
  conflict('Check-out has finished; it cannot be undone', { checkoutId: 'x' }, 'AUTH_CHECKOUT_FINISHED');
const ended = (w: World) => w.saga().status === 'succeeded' || w.saga().status === 'failed';

describe('a compensation a participant refuses', () => {
  it('ends the saga FAILED with CHECKOUT_COMPENSATION_INCOMPLETE naming the step, tries no later undo, and frees the student', async () => {
    const refusal = conflict('Cannot reinstate', { applicationId: 'a1' }, 'LEAVE_CANNOT_REINSTATE');
    const w = await given(1, (p) => p.script('do:close_sanctions', 'refused').script('undo:withdraw_leave', refusal));
    await w.runToEnd();
    const id = w.studentIds[0]!;
    // Refused once: never retried, and release_bookings (undone after it) is left alone.
    expect(w.participants.of(id)).toEqual([
      ...forward(before('close_sanctions')),
      'do:close_sanctions',
      'undo:withdraw_leave',
    ]);
    const saga = w.saga();
    expect(saga).toMatchObject({
      status: 'failed',
      compensated: [],
      toCompensate: ['withdraw_leave', 'release_bookings'],
      lastError: 'LEAVE_CANNOT_REINSTATE: Cannot reinstate',
      failure: {
        step: 'close_sanctions',
        code: INCOMPLETE,
        details: {
          participantCode: 'LEAVE_CANNOT_REINSTATE',
          compensationStep: 'withdraw_leave',
          notCompensated: ['withdraw_leave', 'release_bookings'],
          cause: { code: 'CHECKOUT_STEP_REFUSED' },
        },
      },
    });
    expect(saga.endedAt).toEqual(w.clock.now());
    expect(saga.failure!.reason).toContain('Compensation incomplete: leave refused to undo withdraw_leave');
    expect(saga.failure!.reason).toContain('not undone: withdraw_leave, release_bookings');
    expect(w.eventTypes()).toEqual([
      'campus.checkout.batch.requested.v1',
      'campus.checkout.student.check_out_failed.v1',
      'campus.checkout.batch.completed.v1',
    ]);
    const failed = w.store.events[1]!;
    expect(failed.data).toMatchObject({
      failureCode: INCOMPLETE,
      participantCode: 'LEAVE_CANNOT_REINSTATE',
      compensated: [],
    });
    for (const e of w.store.events) expect(validateEvent(e)).toEqual({ valid: true, errors: [] });
    // No longer the student's active check-out: a new one starts.
    const again = await w.requests.checkOut(authOf(admin), { userIds: [id], reason: 'After the operator fixed leave' });
    expect(again.total).toBe(1);
  });

  it.each([
    ['UNAUTHENTICATED', unauthenticated('Service token rejected')],
    ['FORBIDDEN', forbidden('checkout may not call this')],
  ])(
    'retries a compensation refused with %s (this service refused, not the undo) and completes it',
    async (_, error) => {
      const w = await given(1, (p) => p.script('do:close_sanctions', 'refused').script('undo:withdraw_leave', error));
      await w.runToEnd();
      expect(w.participants.of(w.studentIds[0]!).filter((c) => c === 'undo:withdraw_leave')).toHaveLength(2);
      expect(w.saga()).toMatchObject({ status: 'failed', compensated: ['withdraw_leave', 'release_bookings'] });
      expect(w.saga().failure!.code).toBe('CHECKOUT_STEP_REFUSED');
    },
  );
});

describe('a compensation whose participant stays down', () => {
  it('retries it until CHECKOUT_COMPENSATION_TIMEOUT_SECONDS from its first failure, then ends FAILED with CHECKOUT_COMPENSATION_INCOMPLETE', async () => {
    const w = await given(1, (p) =>
      p
        .script('do:close_sanctions', 'refused')
        .script('undo:withdraw_leave', ...Array<'unavailable'>(500).fill('unavailable')),
    );
    for (let i = 0; i < 200 && !ended(w); i++) {
      await w.runner.drain();
      w.clock.advance(1_000);
    }
    const saga = w.saga();
    expect(saga).toMatchObject({
      status: 'failed',
      compensated: [],
      toCompensate: ['withdraw_leave', 'release_bookings'],
      failure: {
        code: INCOMPLETE,
        details: { participantCode: 'UNAVAILABLE', compensationStep: 'withdraw_leave' },
      },
    });
    expect(saga.failure!.reason).toContain('did not undo withdraw_leave within 60 s');
    const undos = w.store.runs.filter((r) => r.action === 'undo');
    expect(undos.length).toBeGreaterThan(2);
    const span = undos.at(-1)!.startedAt.getTime() - undos[0]!.startedAt.getTime();
    expect(span).toBeGreaterThanOrEqual(POLICY.compensationTimeoutMs);
    expect(span).toBeLessThan(POLICY.compensationTimeoutMs + POLICY.retryMaxMs + 2_000);
    expect(w.participants.of(w.studentIds[0]!)).not.toContain('undo:release_bookings');
  });

  it('counts the deadline of each compensation from its own first failure', async () => {
    // withdraw_leave is down for about 40 s, then release_bookings too: neither alone passes 60 s.
    const downFor40s = Array<'unavailable'>(12).fill('unavailable');
    const w = await given(1, (p) =>
      p
        .script('do:close_sanctions', 'refused')
        .script('undo:withdraw_leave', ...downFor40s)
        .script('undo:release_bookings', ...downFor40s),
    );
    for (let i = 0; i < 200 && !ended(w); i++) {
      await w.runner.drain();
      w.clock.advance(1_000);
    }
    const undos = w.store.runs.filter((r) => r.action === 'undo');
    expect(undos.at(-1)!.startedAt.getTime() - undos[0]!.startedAt.getTime()).toBeGreaterThan(
      POLICY.compensationTimeoutMs,
    );
    expect(w.saga()).toMatchObject({ status: 'failed', compensated: ['withdraw_leave', 'release_bookings'] });
    expect(w.saga().failure!.code).toBe('CHECKOUT_STEP_REFUSED');
  });
});

describe('finish committed in identity but its answer was lost (the saga timed out and compensates)', () => {
  it('ends SUCCEEDED when identity answers the undo with AUTH_CHECKOUT_FINISHED, undoing nothing else', async () => {
    const w = await given(1, (p) =>
      p
        .script('do:finish', ...Array<'unavailable'>(50).fill('unavailable'))
        .script('undo:deactivate_account', finishedInIdentity()),
    );
    await w.runToEnd(120);
    const calls = w.participants.of(w.studentIds[0]!);
    expect(calls.filter((c) => c.startsWith('undo:'))).toEqual(['undo:deactivate_account']);
    expect(w.saga()).toMatchObject({
      status: 'succeeded',
      done: [...STEPS],
      compensated: [],
      toCompensate: [],
      failure: null,
      lastError: null,
    });
    expect(w.saga().endedAt).not.toBeNull();
    expect(w.eventTypes()).toEqual([
      'campus.checkout.batch.requested.v1',
      'campus.checkout.student.checked_out.v1',
      'campus.checkout.batch.completed.v1',
    ]);
    expect(w.store.events[2]!.data).toMatchObject({ succeeded: 1, failed: 0 });
    for (const e of w.store.events) expect(validateEvent(e)).toEqual({ valid: true, errors: [] });
  });

  it('but a saga that never reached finish takes AUTH_CHECKOUT_FINISHED as an incomplete compensation', async () => {
    // The forward part failed at deactivate_account (timed out): identity cannot have finished it.
    const w = await given(1, (p) =>
      p
        .script('do:deactivate_account', ...Array<'unavailable'>(50).fill('unavailable'))
        .script('undo:deactivate_account', finishedInIdentity()),
    );
    await w.runToEnd(120);
    expect(w.saga()).toMatchObject({
      status: 'failed',
      compensated: [],
      failure: { step: 'deactivate_account', code: INCOMPLETE, details: { participantCode: 'AUTH_CHECKOUT_FINISHED' } },
    });
  });
});

describe('a participant call that fails unexpectedly (not a participant error)', () => {
  it('keeps the raw message out of lastError, the step log and failureReason, and logs it', async () => {
    const secret = 'connect ECONNREFUSED 10.3.0.7:50053 (pool db-internal-7)';
    const errorLog = jest.spyOn(logger, 'error');
    try {
      const w = await given(1, (p) =>
        p.script('do:close_sanctions', ...Array.from({ length: 50 }, () => new Error(secret))),
      );
      await w.runner.drain();
      expect(w.saga()).toMatchObject({
        status: 'running',
        step: 'close_sanctions',
        lastError: 'INTERNAL_ERROR: duty failed unexpectedly (do close_sanctions)',
      });
      await w.runToEnd(120);
      const saga = w.saga();
      expect(saga).toMatchObject({
        status: 'failed',
        failure: { code: 'CHECKOUT_STEP_TIMED_OUT', step: 'close_sanctions' },
      });
      expect(saga.failure!.reason).toContain('duty failed unexpectedly');
      const exposed = [saga.failure!.reason, saga.lastError, ...w.store.runs.map((r) => r.message)].join('\n');
      expect(exposed).not.toContain('ECONNREFUSED');
      expect(JSON.stringify(w.store.events)).not.toContain('ECONNREFUSED');
      const logged = errorLog.mock.calls.find(([fields]) => (fields as { err?: unknown }).err instanceof Error);
      expect(logged).toBeDefined();
      expect((logged![0] as { err: Error }).err.message).toBe(secret);
      expect(logged![0]).toMatchObject({ checkoutId: saga.id, step: 'close_sanctions', action: 'do' });
    } finally {
      errorLog.mockRestore();
    }
  });
});

describe('a held coworking key', () => {
  it('stops the check-out with CHECKOUT_KEY_HELD naming the coworking, and nothing else is done', async () => {
    const keyHeld = conflict(
      'The student holds the key',
      { coworkingName: 'Orbit', coworkingId: 'c1' },
      'COWRK_KEY_HELD',
    );
    const w = await given(1, (p) => p.script('do:release_bookings', keyHeld));
    await w.runToEnd();
    expect(w.participants.of(w.studentIds[0]!)).toEqual(['do:release_bookings']);
    expect(w.saga()).toMatchObject({
      status: 'failed',
      compensated: [],
      failure: { step: 'release_bookings', code: 'CHECKOUT_KEY_HELD', details: { coworkingName: 'Orbit' } },
    });
    expect(w.saga().failure!.reason).toContain('Orbit');
    const failed = w.store.events.find((e) => e.type === 'campus.checkout.student.check_out_failed.v1');
    expect(failed?.data).toMatchObject({ failureCode: 'CHECKOUT_KEY_HELD', coworkingName: 'Orbit' });
    expect(failed?.data).not.toHaveProperty('keyReturnUnconfirmed');
  });

  it('tells in its event that a key said returned waits for an educator (keyReturnUnconfirmed)', async () => {
    const saidBack = conflict(
      'The key is said to be back',
      { coworkingName: 'Orbit', coworkingId: 'c1', status: 'key_returned' },
      'COWRK_KEY_HELD',
    );
    const w = await given(1, (p) => p.script('do:release_bookings', saidBack));
    await w.runToEnd();
    const failed = w.store.events.find((e) => e.type === 'campus.checkout.student.check_out_failed.v1');
    expect(failed?.data).toMatchObject({
      failureCode: 'CHECKOUT_KEY_HELD',
      coworkingName: 'Orbit',
      keyReturnUnconfirmed: true,
    });
    expect(validateEvent(failed!)).toEqual({ valid: true, errors: [] });
  });

  it('words the failure by the booking status: a key said returned waits for an educator to confirm it', () => {
    const held = (status: string) =>
      refusalFailure('release_bookings', {
        code: 'COWRK_KEY_HELD',
        message: 'refused',
        details: { coworkingName: 'Orbit', status },
      });
    expect(held('key_taken')).toMatchObject({
      code: 'CHECKOUT_KEY_HELD',
      reason: 'The student holds the key of Orbit; it must come back before the check-out',
    });
    const returned = held('key_returned');
    expect(returned).toMatchObject({
      code: 'CHECKOUT_KEY_HELD',
      details: { coworkingName: 'Orbit', status: 'key_returned', participantCode: 'COWRK_KEY_HELD' },
    });
    expect(returned.reason).toBe(
      'The student says the key of Orbit is back; an educator must confirm its return (complete the booking) before the check-out',
    );
    expect(returned.reason).not.toContain('must come back');
  });
});

describe('a batch', () => {
  it('ends each saga on its own: one failure undoes only that student, batch.completed comes once with the counts', async () => {
    const w = await given(5);
    const unlucky = w.studentIds[2]!;
    w.participants.run = ((run) => async (action, saga) => {
      if (saga.studentId === unlucky && action.kind === 'do' && action.step === 'close_sanctions') {
        w.participants.calls.push(`do:close_sanctions:${unlucky}`);
        throw conflict('no', {}, 'DUTY_SOMETHING');
      }
      return run(action, saga);
    })(w.participants.run.bind(w.participants));
    await w.runToEnd();
    const statuses = w.studentIds.map((id) => w.saga(id).status);
    expect(statuses.filter((s) => s === 'succeeded')).toHaveLength(4);
    expect(w.saga(unlucky).status).toBe('failed');
    const completed = w.store.events.filter((e) => e.type === 'campus.checkout.batch.completed.v1');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.data).toMatchObject({ total: 5, succeeded: 4, failed: 1 });
  });
});

describe('a runner that dies in the middle of a step', () => {
  it('leaves the saga to another runner once its lease passes; the step runs again and the saga ends the same', async () => {
    const w = await given(1);
    // Runner A claims the saga and dies before saving anything.
    const [claimed] = await w.store.claimDue(w.clock.now(), 1, new Date(w.clock.now().getTime() + 30_000));
    expect(claimed).toBeDefined();
    const other = new SagaRunner({
      store: w.store,
      participants: w.participants,
      clock: w.clock,
      policy: POLICY,
      logger,
      concurrency: 1,
      leaseMs: 30_000,
    });
    await other.drain();
    expect(w.participants.calls).toEqual([]); // still A's
    w.clock.advance(30_001);
    await other.drain();
    expect(w.saga()).toMatchObject({ status: 'succeeded' });
  });

  it('never lets a late save of a taken-over saga overwrite the newer state', async () => {
    const w = await given(1);
    const [stale] = await w.store.claimDue(w.clock.now(), 1, new Date(w.clock.now().getTime() + 1));
    w.clock.advance(10);
    await w.runToEnd();
    expect(w.saga().status).toBe('succeeded');
    const lost = await w.runner.runSaga(stale!).then(() => w.saga());
    expect(lost.status).toBe('succeeded');
    expect(w.store.events.filter((e) => e.type === 'campus.checkout.student.checked_out.v1')).toHaveLength(1);
  });
});

describe('two runners on one store', () => {
  it('never run one saga at once: every step of every saga once', async () => {
    const w = await given(12);
    const second = new SagaRunner({
      store: w.store,
      participants: w.participants,
      clock: w.clock,
      policy: POLICY,
      logger,
      concurrency: 3,
      leaseMs: 30_000,
    });
    await Promise.all([w.runner.drain(), second.drain()]);
    for (const id of w.studentIds) expect(w.participants.of(id)).toEqual([...forward(STEPS), 'do:finish']);
  });
});
