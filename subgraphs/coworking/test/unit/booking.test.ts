import { DomainError, type AuthContext } from '@campus/platform';
import { authOf, staff, student, testUser } from '@campus/testkit';
import { BOOKING_ACTIONS, requestBooking, transition, type BookingAction } from '../../src/domain/booking';
import { BOOKING_STATUSES, type Booking, type BookingStatus } from '../../src/domain/records';

const NOW = new Date('2026-03-02T15:00:00.000Z');
const owner = student();

// The machine as the domain spec and the plan state it, written out here independently of
// domain/booking.ts so that a wrong entry there fails.
const EXPECTED: Record<BookingAction, { from: BookingStatus[]; to: BookingStatus; who: string[] | 'owner' }> = {
  approve: { from: ['pending'], to: 'approved', who: ['educator', 'educator_head'] },
  reject: { from: ['pending'], to: 'rejected', who: ['educator', 'educator_head'] },
  handOverKey: { from: ['approved'], to: 'key_taken', who: ['educator', 'educator_head'] },
  requestKeyReturn: { from: ['key_taken'], to: 'key_return_requested', who: ['educator', 'educator_head', 'admin'] },
  returnKey: { from: ['key_taken', 'key_return_requested'], to: 'key_returned', who: 'owner' },
  complete: {
    from: ['key_returned', 'key_taken', 'key_return_requested'],
    to: 'completed',
    who: ['educator', 'educator_head'],
  },
  cancel: { from: ['pending', 'approved'], to: 'cancelled', who: 'owner' },
};

const ACTORS: Record<string, AuthContext | null> = {
  owner: authOf(owner),
  otherStudent: authOf(student()),
  studentHead: authOf(testUser({ roles: ['student_head'] })),
  educator: authOf(staff('educator')),
  educatorHead: authOf(staff('educator_head')),
  admin: authOf(staff('admin')),
  anonymous: null,
};

function bookingIn(status: BookingStatus): Booking {
  return {
    ...requestBooking(
      {
        id: '11111111-1111-4111-8111-111111111111',
        coworkingId: '22222222-2222-4222-8222-222222222222',
        purpose: 'Group project',
        startsAt: new Date('2026-03-02T16:00:00.000Z'),
        endsAt: new Date('2026-03-02T18:00:00.000Z'),
      },
      authOf(owner),
      new Date('2026-03-02T10:00:00.000Z'),
    ),
    status,
    version: 4,
  };
}

function caught(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const mayAct = (actorName: string, actor: AuthContext | null, action: BookingAction): boolean => {
  const { who } = EXPECTED[action];
  if (!actor) return false;
  return who === 'owner' ? actorName === 'owner' : actor.roles.some((r) => who.includes(r));
};

const matrix = BOOKING_STATUSES.flatMap((status) =>
  BOOKING_ACTIONS.flatMap((action) => Object.keys(ACTORS).map((actor) => [status, action, actor] as const)),
);

describe('the booking state machine: every status × action × actor', () => {
  it('covers 9 statuses × 7 actions', () => {
    expect(BOOKING_STATUSES).toHaveLength(9);
    expect([...BOOKING_ACTIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(matrix)('%s → %s by %s', (status, action, actorName) => {
    const actor = ACTORS[actorName]!;
    const booking = bookingIn(status);
    const run = () => transition(booking, action, actor, NOW, 'because');
    if (!actor) {
      expect(caught(run).code).toBe('UNAUTHENTICATED');
      return;
    }
    if (!mayAct(actorName, actor, action)) {
      const error = caught(run);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.details).toMatchObject({ rule: expect.any(String), bookingId: booking.id });
      return;
    }
    if (!EXPECTED[action].from.includes(status)) {
      const error = caught(run);
      expect(error.code).toBe('COWRK_INVALID_TRANSITION');
      expect(error.details).toEqual({ bookingId: booking.id, status, action });
      expect(error.message).toContain(status);
      return;
    }
    const next = transition(booking, action, actor, NOW, 'because');
    expect(next.status).toBe(EXPECTED[action].to);
    expect(next.version).toBe(5);
    expect(booking.status).toBe(status); // the input is not changed
    expect(booking.version).toBe(4);
  });
});

describe('what each step records', () => {
  const educator = ACTORS.educator!;
  const admin = ACTORS.admin!;

  it('approve records the decider', () => {
    const next = transition(bookingIn('pending'), 'approve', educator, NOW);
    expect(next).toMatchObject({ decidedBy: educator.userId, decidedAt: NOW, rejectionReason: null });
  });

  it('reject needs a reason and records it trimmed', () => {
    const error = caught(() => transition(bookingIn('pending'), 'reject', educator, NOW, '   '));
    expect(error.code).toBe('COWRK_REJECTION_REASON_REQUIRED');
    expect(caught(() => transition(bookingIn('pending'), 'reject', educator, NOW)).code).toBe(
      'COWRK_REJECTION_REASON_REQUIRED',
    );
    const next = transition(bookingIn('pending'), 'reject', educator, NOW, '  Exams week ');
    expect(next).toMatchObject({ status: 'rejected', decidedBy: educator.userId, rejectionReason: 'Exams week' });
  });

  it('the key steps record who and when', () => {
    const taken = transition(bookingIn('approved'), 'handOverKey', educator, NOW);
    expect(taken).toMatchObject({ keyTakenAt: NOW, keyTakenBy: educator.userId });
    const later = new Date(NOW.getTime() + 3_600_000);
    const recalled = transition(taken, 'requestKeyReturn', admin, later);
    expect(recalled).toMatchObject({ keyReturnRequestedAt: later, keyReturnRequestedBy: admin.userId });
    const returned = transition(recalled, 'returnKey', ACTORS.owner!, later);
    expect(returned).toMatchObject({ status: 'key_returned', keyReturnedAt: later });
    const closed = transition(returned, 'complete', educator, new Date(later.getTime() + 60_000));
    expect(closed).toMatchObject({ status: 'completed', keyReturnedAt: later, completedBy: educator.userId });
    expect(closed.version).toBe(8);
  });

  it('completing while the key is out records the return at completion', () => {
    const closed = transition(bookingIn('key_taken'), 'complete', educator, NOW);
    expect(closed).toMatchObject({ status: 'completed', keyReturnedAt: NOW, completedAt: NOW });
  });

  it('cancel records the student', () => {
    const next = transition(bookingIn('approved'), 'cancel', ACTORS.owner!, NOW);
    expect(next).toMatchObject({ status: 'cancelled', cancelledAt: NOW, cancelledBy: owner.id });
  });
});

describe('a slot that has ended', () => {
  // bookingIn's slot is 16:00–18:00Z on 2026-03-02; its end is exclusive.
  const END = new Date('2026-03-02T18:00:00.000Z');
  const educator = ACTORS.educator!;
  const after = (ms: number) => new Date(END.getTime() + ms);

  it.each([
    ['approve', 'pending', 0],
    ['approve', 'pending', 86_400_000],
    ['handOverKey', 'approved', 0],
    ['handOverKey', 'approved', 60_000],
  ] as const)('%s of a %s booking %i ms after its end is COWRK_SLOT_PASSED naming the end', (action, status, ms) => {
    const booking = bookingIn(status);
    const error = caught(() => transition(booking, action, educator, after(ms)));
    expect(error.code).toBe('COWRK_SLOT_PASSED');
    expect(error.kind).toBe('CONFLICT');
    expect(error.details).toEqual({ bookingId: booking.id, status, action, endsAt: END.toISOString() });
  });

  it('approve and handOverKey still work until the last moment of the slot', () => {
    expect(transition(bookingIn('pending'), 'approve', educator, after(-1)).status).toBe('approved');
    expect(transition(bookingIn('approved'), 'handOverKey', educator, after(-1)).status).toBe('key_taken');
  });

  it('the other steps do not depend on the slot: reject, cancel, return and complete after its end', () => {
    const late = after(3_600_000);
    expect(transition(bookingIn('pending'), 'reject', educator, late, 'Too late').status).toBe('rejected');
    expect(transition(bookingIn('approved'), 'cancel', ACTORS.owner!, late).status).toBe('cancelled');
    expect(transition(bookingIn('key_taken'), 'requestKeyReturn', educator, late).status).toBe('key_return_requested');
    expect(transition(bookingIn('key_taken'), 'returnKey', ACTORS.owner!, late).status).toBe('key_returned');
    expect(transition(bookingIn('key_returned'), 'complete', educator, late).status).toBe('completed');
  });

  it('who may act and the status come first: FORBIDDEN and COWRK_INVALID_TRANSITION are not masked', () => {
    const late = after(60_000);
    expect(caught(() => transition(bookingIn('pending'), 'approve', ACTORS.owner!, late)).code).toBe('FORBIDDEN');
    expect(caught(() => transition(bookingIn('expired'), 'approve', educator, late)).code).toBe(
      'COWRK_INVALID_TRANSITION',
    );
  });
});

describe('requestBooking', () => {
  const request = {
    id: '33333333-3333-4333-8333-333333333333',
    coworkingId: '22222222-2222-4222-8222-222222222222',
    purpose: '  Chess club ',
    startsAt: new Date('2026-03-02T16:00:00.000Z'),
    endsAt: new Date('2026-03-02T17:00:00.000Z'),
  };

  it('makes a pending booking of the student, purpose trimmed, version 1', () => {
    const booking = requestBooking(request, ACTORS.owner, NOW);
    expect(booking).toMatchObject({
      status: 'pending',
      studentId: owner.id,
      purpose: 'Chess club',
      version: 1,
      createdAt: NOW,
      nightReminderCount: 0,
    });
  });

  it('refuses a blank purpose and non-students', () => {
    expect(caught(() => requestBooking({ ...request, purpose: ' \n ' }, ACTORS.owner, NOW)).code).toBe(
      'COWRK_PURPOSE_REQUIRED',
    );
    const error = caught(() => requestBooking(request, ACTORS.educator, NOW));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.details).toMatchObject({ rule: 'booking_request' });
    expect(caught(() => requestBooking(request, null, NOW)).code).toBe('UNAUTHENTICATED');
    expect(requestBooking(request, ACTORS.studentHead, NOW).status).toBe('pending');
  });
});
