import type { DomainError } from '@campus/platform';
import { DEFAULT_LEAVE_LIMITS } from '../../src/domain/limits';
import {
  approve,
  attachDocument,
  evolve,
  foldEvents,
  recordEvents,
  reinstateAfterCheckOut,
  reject,
  removeDocument,
  submit,
  withdraw,
  withdrawForCheckOut,
  type AttachDocumentCommand,
  type LeaveApplicationState,
  type LeaveEvent,
  type RecordedEvent,
  type SubmitCommand,
} from '../../src/domain/leave-application';
import { MAX_DOCUMENTS_PER_APPLICATION } from '../../src/domain/documents';
import type { Actor } from '../../src/domain/policy';

// Given events / when command / then events (or then the rule's error code).

const APP = '0b9d3a52-7c1e-4f5a-9b62-2f6f7e0c1a01';
const STUDENT = '5f0e8c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b';
const OTHER_STUDENT = '6a1f9d2b-3c4e-4f60-9bac-1d2e3f4a5b6c';
const EDUCATOR = '7b2a0e3c-4d5f-4071-8cbd-2e3f4a5b6c7d';
const NOW = new Date('2026-03-01T10:00:00.000Z');
const LEAVE_AT = '2026-03-02T15:00:00.000Z';
const RETURN_AT = '2026-03-04T18:00:00.000Z';
const RESIDENCE = { building: '8', entrance: 1, floor: 3, room: '301' };

const student: Actor = { userId: STUDENT, roles: ['student'] };
const otherStudent: Actor = { userId: OTHER_STUDENT, roles: ['student'] };
const educator: Actor = { userId: EDUCATOR, roles: ['educator'] };
const educatorHead: Actor = { userId: EDUCATOR, roles: ['educator_head'] };
const admin: Actor = { userId: EDUCATOR, roles: ['admin'] };

const submitted = (data: Partial<Extract<LeaveEvent, { type: 'SUBMITTED' }>['data']> = {}): LeaveEvent => ({
  type: 'SUBMITTED',
  data: {
    applicantId: STUDENT,
    leaveAt: LEAVE_AT,
    returnAt: RETURN_AT,
    reason: 'Family visit',
    contactPhone: '+79123456789',
    isMinor: false,
    residence: RESIDENCE,
    ...data,
  },
});
const minorSubmitted = () => submitted({ isMinor: true });

const document = (kind: AttachDocumentCommand['kind'], documentId: string): AttachDocumentCommand => ({
  documentId,
  kind,
  contentType: kind === 'voice_message' ? 'audio/wav' : 'application/pdf',
  sizeBytes: 1000,
  durationSeconds: kind === 'voice_message' ? 30 : null,
  storageKey: `applications/${APP}/${documentId}.bin`,
});
const attached = (
  kind: AttachDocumentCommand['kind'],
  documentId = `d0000000-0000-4000-8000-00000000000${kind.length % 10}`,
): LeaveEvent => ({
  type: 'DOCUMENT_ATTACHED',
  data: document(kind, documentId),
});
const approved: LeaveEvent = { type: 'APPROVED', data: { comment: null } };
const rejected: LeaveEvent = { type: 'REJECTED', data: { reason: 'Exams' } };
const withdrawn: LeaveEvent = { type: 'WITHDRAWN', data: {} };
const CHECKOUT = '8c3b1f4d-5e60-4182-9dce-3f4a5b6c7d8e';
const OTHER_CHECKOUT = '9d4c2a5e-6f71-4293-8edf-4a5b6c7d8e9f';
const withdrawnBy = (checkoutId: string): LeaveEvent => ({ type: 'WITHDRAWN', data: { checkoutId } });
const reinstatedBy = (checkoutId: string): LeaveEvent => ({ type: 'REINSTATED', data: { checkoutId } });

/** Who records `event` in these streams: the system (no actor) for a check-out's steps. */
function actorOfEvent(event: LeaveEvent): string | null {
  if (event.type === 'REINSTATED' || (event.type === 'WITHDRAWN' && event.data.checkoutId)) return null;
  return event.type === 'APPROVED' || event.type === 'REJECTED' ? EDUCATOR : STUDENT;
}

function record(events: LeaveEvent[]): RecordedEvent[] {
  return events.map(
    (event, i) =>
      // A null actor goes only with the system's events (actorOfEvent), which the type cannot see.
      ({
        ...event,
        streamId: APP,
        version: i + 1,
        actorId: actorOfEvent(event),
        occurredAt: new Date(NOW.getTime() - (events.length - i) * 60_000),
        traceId: null,
      }) as RecordedEvent,
  );
}

function given(...events: LeaveEvent[]) {
  const state = foldEvents(record(events))!;
  return {
    state,
    when(command: (state: LeaveApplicationState) => LeaveEvent[]) {
      return {
        then: (expected: LeaveEvent[]) => expect(command(state)).toEqual(expected),
        thenFails: (code: string) => expectFailure(() => command(state), code),
      };
    },
  };
}

function expectFailure(fn: () => unknown, code: string): DomainError {
  try {
    fn();
  } catch (error) {
    expect((error as DomainError).code).toBe(code);
    return error as DomainError;
  }
  throw new Error(`expected ${code}, but the command succeeded`);
}

const ctx = (actor: Actor) => ({ actor, now: NOW });

describe('submit', () => {
  const command = (overrides: Partial<SubmitCommand> = {}): SubmitCommand => ({
    applicant: { id: STUDENT, isActive: true, isMinor: true, residence: RESIDENCE },
    leaveAt: new Date(LEAVE_AT),
    returnAt: new Date(RETURN_AT),
    reason: '  Family visit ',
    contactPhone: '8 (912) 345-67-89',
    limits: DEFAULT_LEAVE_LIMITS,
    pendingOfApplicant: 0,
    ...overrides,
  });

  test('a student submits: one SUBMITTED with the identity snapshot, a trimmed reason and a normalised phone', () => {
    expect(submit(command(), ctx(student))).toEqual([submitted({ isMinor: true })]);
  });

  test('isMinor and residence come from the snapshot, not from the caller', () => {
    const [event] = submit(
      command({ applicant: { id: STUDENT, isActive: true, isMinor: false, residence: null } }),
      ctx(student),
    );
    expect(event).toEqual(submitted({ isMinor: false, residence: null }));
  });

  test('staff cannot submit', () => {
    expectFailure(() => submit(command(), ctx(educator)), 'FORBIDDEN');
  });

  test('a student cannot submit for someone else', () => {
    expectFailure(() => submit(command(), ctx(otherStudent)), 'FORBIDDEN');
  });

  test('an inactive account cannot submit', () => {
    expectFailure(
      () =>
        submit(command({ applicant: { id: STUDENT, isActive: false, isMinor: false, residence: null } }), ctx(student)),
      'LEAVE_APPLICANT_INACTIVE',
    );
  });

  test('the return must be after the leave', () => {
    expectFailure(() => submit(command({ returnAt: new Date(LEAVE_AT) }), ctx(student)), 'LEAVE_INVALID_PERIOD');
    expectFailure(
      () => submit(command({ returnAt: new Date('2026-03-02T14:00:00Z') }), ctx(student)),
      'LEAVE_INVALID_PERIOD',
    );
  });

  test('the leave must be in the future', () => {
    expectFailure(() => submit(command({ leaveAt: new Date(NOW) }), ctx(student)), 'LEAVE_PERIOD_IN_PAST');
    expectFailure(
      () => submit(command({ leaveAt: new Date('2026-02-28T10:00:00Z') }), ctx(student)),
      'LEAVE_PERIOD_IN_PAST',
    );
  });

  test('a reason is required', () => {
    expectFailure(() => submit(command({ reason: '   ' }), ctx(student)), 'LEAVE_REASON_REQUIRED');
  });

  test('the contact phone must be Russian', () => {
    expectFailure(() => submit(command({ contactPhone: '+1 415 555 0100 12' }), ctx(student)), 'LEAVE_INVALID_PHONE');
  });

  test('a leave lasts at most limits.maxDays', () => {
    const limits = { maxDays: 2, maxDaysAhead: 90, maxPendingPerStudent: 5 };
    const leaveAt = new Date(LEAVE_AT);
    const twoDays = new Date(leaveAt.getTime() + 2 * 86_400_000);
    expect(submit(command({ limits, returnAt: twoDays }), ctx(student))).toHaveLength(1);
    const error = expectFailure(
      () => submit(command({ limits, returnAt: new Date(twoDays.getTime() + 1000) }), ctx(student)),
      'LEAVE_PERIOD_TOO_LONG',
    );
    expect(error.details).toMatchObject({ maxDays: 2 });
  });

  test('a leave starts at most limits.maxDaysAhead days from now', () => {
    const limits = { maxDays: 30, maxDaysAhead: 10, maxPendingPerStudent: 5 };
    const at = (days: number, extraMs = 0) => new Date(NOW.getTime() + days * 86_400_000 + extraMs);
    expect(submit(command({ limits, leaveAt: at(10), returnAt: at(11) }), ctx(student))).toHaveLength(1);
    const error = expectFailure(
      () => submit(command({ limits, leaveAt: at(10, 1000), returnAt: at(11) }), ctx(student)),
      'LEAVE_PERIOD_TOO_FAR',
    );
    expect(error.details).toMatchObject({ maxDaysAhead: 10, fields: { leaveAt: 'at most 10 days from now' } });
  });

  test('a student has at most limits.maxPendingPerStudent undecided applications', () => {
    const limits = { maxDays: 30, maxDaysAhead: 90, maxPendingPerStudent: 2 };
    expect(submit(command({ limits, pendingOfApplicant: 1 }), ctx(student))).toHaveLength(1);
    const error = expectFailure(
      () => submit(command({ limits, pendingOfApplicant: 2 }), ctx(student)),
      'LEAVE_TOO_MANY_PENDING',
    );
    expect(error.details).toMatchObject({ max: 2 });
  });
});

describe('attach a document', () => {
  const voice = document('voice_message', 'a1000000-0000-4000-8000-000000000001');

  test('the applicant attaches while pending', () => {
    given(submitted())
      .when((s) => attachDocument(s, voice, ctx(student)))
      .then([{ type: 'DOCUMENT_ATTACHED', data: voice }]);
  });

  test('an educator (or educator head) attaches while pending', () => {
    given(submitted())
      .when((s) => attachDocument(s, voice, ctx(educator)))
      .then([{ type: 'DOCUMENT_ATTACHED', data: voice }]);
    given(submitted())
      .when((s) => attachDocument(s, voice, ctx(educatorHead)))
      .then([{ type: 'DOCUMENT_ATTACHED', data: voice }]);
  });

  test('another student or the administrator may not', () => {
    given(submitted())
      .when((s) => attachDocument(s, voice, ctx(otherStudent)))
      .thenFails('FORBIDDEN');
    given(submitted())
      .when((s) => attachDocument(s, voice, ctx(admin)))
      .thenFails('FORBIDDEN');
  });

  test('not after a decision or a withdrawal', () => {
    given(submitted(), approved)
      .when((s) => attachDocument(s, voice, ctx(student)))
      .thenFails('LEAVE_APPLICATION_FINAL');
    given(submitted(), rejected)
      .when((s) => attachDocument(s, voice, ctx(educator)))
      .thenFails('LEAVE_APPLICATION_FINAL');
    given(submitted(), withdrawn)
      .when((s) => attachDocument(s, voice, ctx(student)))
      .thenFails('LEAVE_APPLICATION_FINAL');
  });

  test(`at most ${MAX_DOCUMENTS_PER_APPLICATION} documents`, () => {
    const many = Array.from({ length: MAX_DOCUMENTS_PER_APPLICATION }, (_, i) =>
      attached('parent_letter', `b1000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`),
    );
    given(submitted(), ...many)
      .when((s) => attachDocument(s, voice, ctx(student)))
      .thenFails('LEAVE_TOO_MANY_DOCUMENTS');
  });

  test('the limits of the kind apply', () => {
    given(submitted())
      .when((s) => attachDocument(s, { ...voice, sizeBytes: 5 * 1024 * 1024 + 1 }, ctx(student)))
      .thenFails('LEAVE_DOCUMENT_TOO_LARGE');
    given(submitted())
      .when((s) => attachDocument(s, { ...voice, durationSeconds: 121 }, ctx(student)))
      .thenFails('LEAVE_VOICE_MESSAGE_TOO_LONG');
    given(submitted())
      .when((s) => attachDocument(s, { ...voice, contentType: 'image/png' }, ctx(student)))
      .thenFails('LEAVE_DOCUMENT_TYPE_NOT_ALLOWED');
  });
});

describe('remove a document', () => {
  const DOC = 'c1000000-0000-4000-8000-000000000001';

  test('the applicant or an educator removes an attached document while pending', () => {
    given(submitted(), attached('parent_letter', DOC))
      .when((s) => removeDocument(s, DOC, ctx(student)))
      .then([{ type: 'DOCUMENT_REMOVED', data: { documentId: DOC } }]);
    given(submitted(), attached('parent_letter', DOC))
      .when((s) => removeDocument(s, DOC, ctx(educator)))
      .then([{ type: 'DOCUMENT_REMOVED', data: { documentId: DOC } }]);
  });

  test('a document that is not attached (or was removed) cannot be removed', () => {
    given(submitted())
      .when((s) => removeDocument(s, DOC, ctx(student)))
      .thenFails('LEAVE_DOCUMENT_NOT_FOUND');
    given(submitted(), attached('parent_letter', DOC), { type: 'DOCUMENT_REMOVED', data: { documentId: DOC } })
      .when((s) => removeDocument(s, DOC, ctx(student)))
      .thenFails('LEAVE_DOCUMENT_NOT_FOUND');
  });

  test('another student may not; nothing changes after a decision', () => {
    given(submitted(), attached('parent_letter', DOC))
      .when((s) => removeDocument(s, DOC, ctx(otherStudent)))
      .thenFails('FORBIDDEN');
    given(submitted(), attached('parent_letter', DOC), approved)
      .when((s) => removeDocument(s, DOC, ctx(student)))
      .thenFails('LEAVE_APPLICATION_FINAL');
  });
});

describe('approve', () => {
  test("an educator approves an adult's application", () => {
    given(submitted())
      .when((s) => approve(s, null, ctx(educator)))
      .then([approved]);
    given(submitted())
      .when((s) => approve(s, '  ok, take care ', ctx(educatorHead)))
      .then([{ type: 'APPROVED', data: { comment: 'ok, take care' } }]);
  });

  test("a minor's application needs a voice message", () => {
    given(minorSubmitted())
      .when((s) => approve(s, null, ctx(educator)))
      .thenFails('LEAVE_VOICE_MESSAGE_REQUIRED');
    given(minorSubmitted(), attached('parent_letter'))
      .when((s) => approve(s, null, ctx(educator)))
      .thenFails('LEAVE_VOICE_MESSAGE_REQUIRED');
    given(minorSubmitted(), attached('voice_message'))
      .when((s) => approve(s, null, ctx(educator)))
      .then([approved]);
  });

  test('a removed voice message no longer counts', () => {
    const DOC = 'e1000000-0000-4000-8000-000000000001';
    given(minorSubmitted(), attached('voice_message', DOC), { type: 'DOCUMENT_REMOVED', data: { documentId: DOC } })
      .when((s) => approve(s, null, ctx(educator)))
      .thenFails('LEAVE_VOICE_MESSAGE_REQUIRED');
  });

  test('students and the administrator do not decide', () => {
    given(submitted())
      .when((s) => approve(s, null, ctx(student)))
      .thenFails('FORBIDDEN');
    given(submitted())
      .when((s) => approve(s, null, ctx(admin)))
      .thenFails('FORBIDDEN');
  });

  test('a leave whose return time has passed is LEAVE_PERIOD_PASSED (naming returnAt); rejecting it stays allowed', () => {
    const at = (iso: string) => ({ actor: educator, now: new Date(iso) });
    // just before the return: still approvable, also once the leave has begun
    given(submitted())
      .when((s) => approve(s, null, at('2026-03-04T17:59:59.999Z')))
      .then([approved]);
    for (const now of [RETURN_AT, '2026-03-05T09:00:00.000Z']) {
      const error = given(submitted())
        .when((s) => approve(s, null, at(now)))
        .thenFails('LEAVE_PERIOD_PASSED');
      expect(error).toMatchObject({ kind: 'CONFLICT', details: { applicationId: APP, returnAt: RETURN_AT } });
    }
    // even with the minor's voice message the period rule holds
    given(minorSubmitted(), attached('voice_message'))
      .when((s) => approve(s, null, at(RETURN_AT)))
      .thenFails('LEAVE_PERIOD_PASSED');
    given(submitted())
      .when((s) => reject(s, ' Exams ', at('2026-03-05T09:00:00.000Z')))
      .then([rejected]);
  });

  test('decisions are final', () => {
    given(submitted(), approved)
      .when((s) => approve(s, null, ctx(educator)))
      .thenFails('LEAVE_APPLICATION_FINAL');
    given(submitted(), rejected)
      .when((s) => approve(s, null, ctx(educator)))
      .thenFails('LEAVE_APPLICATION_FINAL');
    given(submitted(), withdrawn)
      .when((s) => approve(s, null, ctx(educator)))
      .thenFails('LEAVE_APPLICATION_FINAL');
  });
});

describe('reject', () => {
  test('an educator rejects with a reason (a minor needs no voice message for that)', () => {
    given(minorSubmitted())
      .when((s) => reject(s, ' Exams ', ctx(educator)))
      .then([rejected]);
  });

  test('a reason is required', () => {
    given(submitted())
      .when((s) => reject(s, '  ', ctx(educator)))
      .thenFails('LEAVE_REJECTION_REASON_REQUIRED');
    given(submitted())
      .when((s) => reject(s, undefined, ctx(educator)))
      .thenFails('LEAVE_REJECTION_REASON_REQUIRED');
  });

  test('only educators; decisions are final', () => {
    given(submitted())
      .when((s) => reject(s, 'no', ctx(student)))
      .thenFails('FORBIDDEN');
    given(submitted(), approved)
      .when((s) => reject(s, 'no', ctx(educator)))
      .thenFails('LEAVE_APPLICATION_FINAL');
  });
});

describe('withdraw', () => {
  test('the applicant withdraws while pending', () => {
    given(submitted())
      .when((s) => withdraw(s, ctx(student)))
      .then([withdrawn]);
  });

  test('nobody else may withdraw', () => {
    given(submitted())
      .when((s) => withdraw(s, ctx(educator)))
      .thenFails('FORBIDDEN');
    given(submitted())
      .when((s) => withdraw(s, ctx(otherStudent)))
      .thenFails('FORBIDDEN');
  });

  test('not after a decision or twice', () => {
    given(submitted(), approved)
      .when((s) => withdraw(s, ctx(student)))
      .thenFails('LEAVE_APPLICATION_FINAL');
    given(submitted(), withdrawn)
      .when((s) => withdraw(s, ctx(student)))
      .thenFails('LEAVE_APPLICATION_FINAL');
  });
});

describe("the student's check-out (by the system, no actor)", () => {
  test('withdraws a pending application, naming the check-out', () => {
    given(submitted(), attached('parent_letter'))
      .when((s) => withdrawForCheckOut(s, CHECKOUT))
      .then([withdrawnBy(CHECKOUT)]);
  });

  test('leaves decided and withdrawn applications as they are', () => {
    for (const final of [approved, rejected, withdrawn, withdrawnBy(OTHER_CHECKOUT)]) {
      given(submitted(), final)
        .when((s) => withdrawForCheckOut(s, CHECKOUT))
        .thenFails('LEAVE_APPLICATION_FINAL');
    }
  });

  test('an application withdrawn by a check-out is as final as any withdrawn one for everybody else', () => {
    const DOC = 'a2000000-0000-4000-8000-000000000001';
    const withdrawnOnCheckOut = () => given(submitted(), attached('parent_letter', DOC), withdrawnBy(CHECKOUT));
    withdrawnOnCheckOut()
      .when((s) => withdraw(s, ctx(student)))
      .thenFails('LEAVE_APPLICATION_FINAL');
    withdrawnOnCheckOut()
      .when((s) => approve(s, null, ctx(educator)))
      .thenFails('LEAVE_APPLICATION_FINAL');
    withdrawnOnCheckOut()
      .when((s) => removeDocument(s, DOC, ctx(student)))
      .thenFails('LEAVE_APPLICATION_FINAL');
  });

  test("the check-out's undo reinstates what it withdrew", () => {
    given(submitted(), withdrawnBy(CHECKOUT))
      .when((s) => reinstateAfterCheckOut(s, CHECKOUT))
      .then([reinstatedBy(CHECKOUT)]);
  });

  test('only that check-out, and only its withdrawal: decisions and an applicant’s withdrawal stay final', () => {
    for (const events of [
      [submitted()],
      [submitted(), approved],
      [submitted(), rejected],
      [submitted(), withdrawn],
      [submitted(), withdrawnBy(OTHER_CHECKOUT)],
      [submitted(), withdrawnBy(CHECKOUT), reinstatedBy(CHECKOUT)],
    ]) {
      const error = given(...events)
        .when((s) => reinstateAfterCheckOut(s, CHECKOUT))
        .thenFails('LEAVE_NOT_WITHDRAWN_BY_CHECKOUT');
      expect(error.details).toMatchObject({ applicationId: APP, checkoutId: CHECKOUT });
    }
  });

  test('folding: withdrawn by the check-out, then pending again as before, open to every command', () => {
    const DOC = 'a3000000-0000-4000-8000-000000000001';
    const out = given(submitted(), attached('voice_message', DOC), withdrawnBy(CHECKOUT)).state;
    expect(out).toMatchObject({ status: 'WITHDRAWN', withdrawnByCheckoutId: CHECKOUT, version: 3 });
    expect(out.withdrawnAt).toEqual(out.updatedAt);

    const back = given(submitted(), attached('voice_message', DOC), withdrawnBy(CHECKOUT), reinstatedBy(CHECKOUT));
    expect(back.state).toMatchObject({
      status: 'PENDING',
      withdrawnAt: null,
      withdrawnByCheckoutId: null,
      decidedBy: null,
      version: 4,
      documents: [{ id: DOC }],
    });
    back.when((s) => approve(s, null, ctx(educator))).then([approved]);
    back.when((s) => withdraw(s, ctx(student))).then([withdrawn]);
    back.when((s) => withdrawForCheckOut(s, OTHER_CHECKOUT)).then([withdrawnBy(OTHER_CHECKOUT)]);
  });

  test("an applicant's own withdrawal records no check-out", () => {
    expect(given(submitted(), withdrawn).state.withdrawnByCheckoutId).toBeNull();
  });

  test('the system records its events without an actor, after the stream’s version', () => {
    const { state } = given(submitted());
    const at = new Date(NOW.getTime() + 1000);
    const { recorded, next } = recordEvents(APP, state, withdrawForCheckOut(state, CHECKOUT), {
      actorId: null,
      occurredAt: at,
      traceId: null,
    });
    expect(recorded).toEqual([
      { ...withdrawnBy(CHECKOUT), streamId: APP, version: 2, actorId: null, occurredAt: at, traceId: null },
    ]);
    expect(next).toMatchObject({ status: 'WITHDRAWN', version: 2, withdrawnAt: at, withdrawnByCheckoutId: CHECKOUT });
  });
});

describe('folding', () => {
  test('the state is rebuilt from the events: status, decision, documents, version', () => {
    const DOC = 'f1000000-0000-4000-8000-000000000001';
    const { state } = given(minorSubmitted(), attached('voice_message', DOC), approved);
    expect(state).toMatchObject({
      id: APP,
      version: 3,
      status: 'APPROVED',
      applicantId: STUDENT,
      isMinor: true,
      leaveAt: new Date(LEAVE_AT),
      decidedBy: EDUCATOR,
      decisionReason: null,
      documents: [{ id: DOC, kind: 'voice_message', uploadedBy: STUDENT }],
    });
    expect(state.decidedAt).toEqual(state.updatedAt);
  });

  test('rejection and withdrawal are recorded with their time and reason', () => {
    expect(given(submitted(), rejected).state).toMatchObject({
      status: 'REJECTED',
      decisionReason: 'Exams',
      decidedBy: EDUCATOR,
    });
    const { state } = given(submitted(), withdrawn);
    expect(state.status).toBe('WITHDRAWN');
    expect(state.withdrawnAt).toEqual(state.updatedAt);
  });

  test('an empty stream has no state', () => {
    expect(foldEvents([])).toBeNull();
  });

  test('corrupt streams are refused', () => {
    const [first, second] = record([submitted(), approved]);
    expect(() => foldEvents([first!, { ...second!, version: 3 }])).toThrow(/expected version 2/);
    expect(() => evolve(null, { ...second!, version: 1 })).toThrow(/before SUBMITTED/);
    expect(() => foldEvents([first!, { ...first!, version: 2 }])).toThrow(/SUBMITTED twice/);
  });
});
