import { DomainError } from '@campus/platform';
import { TestClock, authOf, staff, student } from '@campus/testkit';
import { concurrentModification } from '../../src/domain/errors';
import { CheckoutParticipant } from '../../src/services/checkout-participant.service';
import { LeaveCommands } from '../../src/services/leave-commands.service';
import { FakeApplicants, InMemoryCheckoutStore, InMemoryLeaveStore } from '../support/fakes';

// The check-out participant's rules over in-memory ports: idempotency by check-out id, the
// tombstone, and a student's or educator's command slipping in between a call's read and append.

const HOUR = 3_600_000;
const CHECKOUT = '8c3b1f4d-5e60-4182-9dce-3f4a5b6c7d8e';

function setup() {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  const leave = new InMemoryLeaveStore();
  const applicants = new FakeApplicants();
  const commands = new LeaveCommands({ store: leave, applicants, clock });
  const store = new InMemoryCheckoutStore(leave);
  let woken = 0;
  const participant = new CheckoutParticipant({ store, clock, onCommitted: () => woken++ });
  const applicant = student();
  applicants.add({ id: applicant.id, isActive: true, isMinor: false, residence: applicant.residence });
  const submit = async () => {
    clock.advance(1000);
    return commands.submit(authOf(applicant), {
      leaveAt: new Date(clock.now().getTime() + 24 * HOUR),
      returnAt: new Date(clock.now().getTime() + 48 * HOUR),
      reason: 'Home',
      contactPhone: '+79123456789',
    });
  };
  return { clock, leave, commands, store, participant, applicant, submit, woken: () => woken };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a failure');
}

describe('CheckoutParticipant', () => {
  test('withdraws the pending applications with no actor, once; the undo reinstates them, once', async () => {
    const { leave, participant, applicant, submit, woken } = setup();
    const [a, b] = [await submit(), await submit()];
    const input = { userId: applicant.id, checkoutId: CHECKOUT };

    expect(await participant.withdrawPending(input)).toEqual([a.id, b.id]);
    expect(leave.streams.get(a.id)!.at(-1)).toMatchObject({
      type: 'WITHDRAWN',
      actorId: null,
      data: { checkoutId: CHECKOUT },
    });
    expect(await participant.withdrawPending(input)).toEqual([a.id, b.id]);
    expect(leave.streams.get(a.id)).toHaveLength(2);
    expect(woken()).toBe(1);

    expect(await participant.reinstate({ checkoutId: CHECKOUT })).toEqual([a.id, b.id]);
    expect(await participant.reinstate({ checkoutId: CHECKOUT })).toEqual([a.id, b.id]);
    expect(leave.views.get(b.id)).toMatchObject({ status: 'PENDING', withdrawnByCheckoutId: null, version: 3 });
    expect(leave.streams.get(b.id)!.at(-1)).toMatchObject({ type: 'REINSTATED', actorId: null });
    expect(woken()).toBe(2);
  });

  test('an undo first leaves a tombstone; the late withdrawal then does nothing', async () => {
    const { leave, participant, store, applicant, submit, woken } = setup();
    const pending = await submit();
    expect(await participant.reinstate({ checkoutId: CHECKOUT })).toEqual([]);
    expect(store.records.get(CHECKOUT)).toMatchObject({ studentId: null, withdrawnAt: null });
    expect(await participant.withdrawPending({ userId: applicant.id, checkoutId: CHECKOUT })).toEqual([]);
    expect(leave.views.get(pending.id)).toMatchObject({ status: 'PENDING', version: 1 });
    expect(woken()).toBe(0);
  });

  test("an educator's decision between the read and the append: the call runs again and leaves the decided one", async () => {
    const { commands, participant, store, applicant, submit } = setup();
    const [decided, other] = [await submit(), await submit()];
    store.beforeCommit = async () => {
      store.beforeCommit = undefined; // once
      await commands.decide(authOf(staff('educator')), decided.id, 'APPROVE');
    };

    expect(await participant.withdrawPending({ userId: applicant.id, checkoutId: CHECKOUT })).toEqual([other.id]);
    expect(store.transactions).toBe(2);
    expect(store.leave.views.get(decided.id)).toMatchObject({ status: 'APPROVED', version: 2 });
    expect(store.records.get(CHECKOUT)).toMatchObject({ withdrawnIds: [other.id] });
  });

  test('losing the race every time: retryable UNAVAILABLE after the attempts, nothing recorded', async () => {
    const { participant, store, applicant, submit } = setup();
    const pending = await submit();
    store.beforeCommit = async (commit) => {
      throw concurrentModification(commit.streamId, commit.expectedVersion);
    };

    const error = await failure(participant.withdrawPending({ userId: applicant.id, checkoutId: CHECKOUT }));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'UNAVAILABLE', details: { retryable: true } });
    expect(store.transactions).toBe(3);
    expect(store.records.size).toBe(0);
    expect(store.leave.views.get(pending.id)).toMatchObject({ status: 'PENDING', version: 1 });
  });

  test('other failures are not retried', async () => {
    const { participant, store, applicant, submit } = setup();
    await submit();
    store.beforeCommit = async () => {
      throw new Error('disk full');
    };
    expect((await failure(participant.withdrawPending({ userId: applicant.id, checkoutId: CHECKOUT }))).message).toBe(
      'disk full',
    );
    expect(store.transactions).toBe(1);
  });
});
