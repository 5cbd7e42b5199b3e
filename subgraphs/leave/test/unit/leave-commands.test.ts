import { validateEvent } from '@campus/contracts';
import { unavailable, type DomainError } from '@campus/platform';
import { TestClock, authOf, staff, student } from '@campus/testkit';
import { LeaveCommands } from '../../src/services/leave-commands.service';
import { FakeApplicants, InMemoryLeaveStore } from '../support/fakes';

const HOUR = 3_600_000;

function setup() {
  const clock = new TestClock('2026-03-01T10:00:00.000Z');
  const store = new InMemoryLeaveStore();
  const applicants = new FakeApplicants();
  let committed = 0;
  const commands = new LeaveCommands({ store, applicants, clock, onCommitted: () => committed++ });
  const applicant = student({ isMinor: true });
  applicants.add({ id: applicant.id, isActive: true, isMinor: true, residence: applicant.residence });
  const input = {
    leaveAt: new Date(clock.now().getTime() + 24 * HOUR),
    returnAt: new Date(clock.now().getTime() + 48 * HOUR),
    reason: 'Home for the weekend',
    contactPhone: '+79123456789',
  };
  return { clock, store, applicants, commands, applicant, input, committed: () => committed };
}

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected a failure');
}

describe('LeaveCommands', () => {
  test('submit takes the snapshot from identity (asked with the caller token) and commits one event', async () => {
    const { commands, applicants, applicant, input, store, committed } = setup();
    const state = await commands.submit(authOf(applicant), input);

    expect(applicants.calls).toEqual([{ userId: applicant.id, token: `token-of-${applicant.id}` }]);
    expect(state).toMatchObject({ version: 1, status: 'PENDING', isMinor: true, applicantId: applicant.id });
    expect(store.commits).toHaveLength(1);
    const [commit] = store.commits;
    expect(commit).toMatchObject({ streamId: state.id, expectedVersion: 0 });
    expect(commit!.events[0]).toMatchObject({ type: 'SUBMITTED', version: 1, actorId: applicant.id, traceId: null });
    expect(commit!.integrationEvents.map((e) => e.type)).toEqual(['campus.leave.application.submitted.v1']);
    expect(committed()).toBe(1);
  });

  test('a student with maxPendingPerStudent undecided applications gets LEAVE_TOO_MANY_PENDING', async () => {
    const { store, applicants, clock, applicant, input } = setup();
    const limits = { maxDays: 30, maxDaysAhead: 90, maxPendingPerStudent: 2 };
    const commands = new LeaveCommands({ store, applicants, clock, pending: store, limits });
    const first = await commands.submit(authOf(applicant), input);
    await commands.submit(authOf(applicant), input);
    const refused = await failure(commands.submit(authOf(applicant), input));
    expect(refused).toMatchObject({ code: 'LEAVE_TOO_MANY_PENDING', details: { max: 2 } });
    await commands.withdraw(authOf(applicant), first.id); // a decided or withdrawn one no longer counts
    expect((await commands.submit(authOf(applicant), input)).status).toBe('PENDING');
  });

  test('pending applications whose return time has passed no longer count toward maxPendingPerStudent', async () => {
    const { store, applicants, clock, applicant, input } = setup();
    const limits = { maxDays: 30, maxDaysAhead: 90, maxPendingPerStudent: 2 };
    const commands = new LeaveCommands({ store, applicants, clock, pending: store, limits });
    await commands.submit(authOf(applicant), input);
    await commands.submit(authOf(applicant), { ...input, returnAt: new Date(input.returnAt.getTime() + 24 * HOUR) });
    expect((await failure(commands.submit(authOf(applicant), input))).code).toBe('LEAVE_TOO_MANY_PENDING');

    // the first one's return time passes undecided: it is stale, the second one still counts
    clock.set(input.returnAt);
    const later = (h: number) => new Date(clock.now().getTime() + h * HOUR);
    const next = { ...input, leaveAt: later(1), returnAt: later(2) };
    expect((await commands.submit(authOf(applicant), next)).status).toBe('PENDING');
    expect((await failure(commands.submit(authOf(applicant), next))).code).toBe('LEAVE_TOO_MANY_PENDING');
  });

  test('approving once the return time has passed is LEAVE_PERIOD_PASSED and records nothing; rejecting works', async () => {
    const { commands, applicants, applicant, input, store, clock } = setup();
    applicants.add({ id: applicant.id, isActive: true, isMinor: false, residence: applicant.residence });
    const educator = staff('educator');
    const first = await commands.submit(authOf(applicant), input);
    const second = await commands.submit(authOf(applicant), input);
    clock.set(new Date(input.returnAt.getTime() + 1));

    const refused = await failure(commands.decide(authOf(educator), first.id, 'APPROVE', null));
    expect(refused).toMatchObject({
      code: 'LEAVE_PERIOD_PASSED',
      kind: 'CONFLICT',
      details: { applicationId: first.id, returnAt: input.returnAt.toISOString() },
    });
    expect(store.streams.get(first.id)!.map((e) => e.type)).toEqual(['SUBMITTED']);
    expect(await commands.decide(authOf(educator), second.id, 'REJECT', 'Too late')).toMatchObject({
      status: 'REJECTED',
      decisionReason: 'Too late',
    });
  });

  test('staff are refused before identity is asked', async () => {
    const { commands, applicants, input } = setup();
    expect((await failure(commands.submit(authOf(staff()), input))).code).toBe('FORBIDDEN');
    expect(applicants.calls).toHaveLength(0);
  });

  test('an anonymous caller is UNAUTHENTICATED', async () => {
    const { commands, input } = setup();
    expect((await failure(commands.submit(null, input))).code).toBe('UNAUTHENTICATED');
  });

  test('identity being unavailable fails the submission and commits nothing', async () => {
    const { commands, applicants, applicant, input, store } = setup();
    applicants.failure = unavailable('identity down', {}, 'LEAVE_DEPENDENCY_UNAVAILABLE');
    expect((await failure(commands.submit(authOf(applicant), input))).code).toBe('LEAVE_DEPENDENCY_UNAVAILABLE');
    expect(store.commits).toHaveLength(0);
  });

  test('decide, withdraw and documents append to the stream with increasing versions', async () => {
    const { commands, applicant, input, store } = setup();
    const educator = staff('educator');
    const { id } = await commands.submit(authOf(applicant), input);
    const voice = {
      documentId: '0e6f0a44-6d3b-4c8e-9d55-8a1f7b1f0c01',
      kind: 'voice_message' as const,
      contentType: 'audio/wav',
      sizeBytes: 10,
      durationSeconds: 3,
      storageKey: 'k/1.wav',
    };
    await commands.attachDocument({ userId: applicant.id, roles: ['student'] }, id, voice);
    const { removed } = await commands.removeDocument(authOf(educator), id, voice.documentId);
    expect(removed.storageKey).toBe('k/1.wav');
    await commands.attachDocument({ userId: educator.id, roles: ['educator'] }, id, {
      ...voice,
      documentId: '0e6f0a44-6d3b-4c8e-9d55-8a1f7b1f0c02',
    });
    const decided = await commands.decide(authOf(educator), id, 'APPROVE', null);

    expect(decided).toMatchObject({ status: 'APPROVED', version: 5, decidedBy: educator.id });
    expect(store.streams.get(id)!.map((e) => `${e.version}:${e.type}`)).toEqual([
      '1:SUBMITTED',
      '2:DOCUMENT_ATTACHED',
      '3:DOCUMENT_REMOVED',
      '4:DOCUMENT_ATTACHED',
      '5:APPROVED',
    ]);
    for (const event of store.commits.flatMap((c) => c.integrationEvents))
      expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
  });

  test('reject and withdraw', async () => {
    const { commands, applicant, input } = setup();
    const first = await commands.submit(authOf(applicant), input);
    const second = await commands.submit(authOf(applicant), input);
    expect(await commands.decide(authOf(staff()), first.id, 'REJECT', 'Exams on Monday')).toMatchObject({
      status: 'REJECTED',
      decisionReason: 'Exams on Monday',
    });
    expect(await commands.withdraw(authOf(applicant), second.id)).toMatchObject({ status: 'WITHDRAWN' });
  });

  test('an unknown application is LEAVE_NOT_FOUND', async () => {
    const { commands } = setup();
    expect((await failure(commands.withdraw(authOf(student()), '3b0c5c9e-0d7e-4b8f-a3c6-6a1b2c3d4e5f'))).code).toBe(
      'LEAVE_NOT_FOUND',
    );
  });

  test('ensureCanAttach checks the rules without changing anything', async () => {
    const { commands, applicant, input, store } = setup();
    const { id } = await commands.submit(authOf(applicant), input);
    await expect(commands.ensureCanAttach({ userId: applicant.id, roles: ['student'] }, id)).resolves.toMatchObject({
      id,
    });
    expect((await failure(commands.ensureCanAttach({ userId: student().id, roles: ['student'] }, id))).code).toBe(
      'FORBIDDEN',
    );
    expect(store.commits).toHaveLength(1);
  });

  test('a command decided on a stale version is refused (optimistic concurrency)', async () => {
    const { commands, applicant, input, store } = setup();
    const { id } = await commands.submit(authOf(applicant), input);
    // Another command commits between this command's load and its append.
    const load = store.load.bind(store);
    let interfered = false;
    store.load = async (streamId) => {
      const events = await load(streamId);
      if (!interfered) {
        interfered = true;
        await commands.decide(authOf(staff()), id, 'REJECT', 'first');
      }
      return events;
    };
    const lost = await failure(commands.decide(authOf(staff()), id, 'REJECT', 'second'));
    expect(lost).toMatchObject({
      kind: 'CONFLICT',
      code: 'CONFLICT',
      details: { applicationId: id, expectedVersion: 1, rule: 'optimistic_concurrency' },
    });
  });
});
