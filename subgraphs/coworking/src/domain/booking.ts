// The booking lifecycle (domain spec §7) as a pure state machine: who may take which step from
// which status, and what the step records. services/ loads, authorizes through here and persists;
// the database enforces what needs other rows (overlaps, one key holder, one active booking).
import { STUDENT_ROLES, type AuthContext, type Role } from '@campus/platform';
import { CoworkingErrors } from './errors';
import { KEY_KEEPERS, KEY_RECALLERS, requireAnyRole, requireOwner } from './policy';
import type { Booking, BookingStatus, StudentAccount } from './records';

/** Who may ask for a slot: any student (a patrol or a student head is a student too). */
export const BOOKERS: readonly Role[] = STUDENT_ROLES;

/** The steps on an existing booking, named as their mutations (approveBooking → approve…). */
export const BOOKING_ACTIONS = [
  'approve',
  'reject',
  'handOverKey',
  'requestKeyReturn',
  'returnKey',
  'complete',
  'cancel',
] as const;
export type BookingAction = (typeof BOOKING_ACTIONS)[number];

/** Who may take a step: holders of some roles, or the booking's own student. */
type Who = { roles: readonly Role[] } | 'owner';

interface StepRule {
  from: readonly BookingStatus[];
  to: BookingStatus;
  who: Who;
  /** details.rule of the FORBIDDEN a caller who may not gets. */
  rule: string;
}

/**
 * The whole machine. Completing also works while the key is still out: the educator takes it back
 * in person (the return is recorded at completion).
 */
export const BOOKING_STEPS: Readonly<Record<BookingAction, StepRule>> = {
  approve: { from: ['pending'], to: 'approved', who: { roles: KEY_KEEPERS }, rule: 'booking_decide' },
  reject: { from: ['pending'], to: 'rejected', who: { roles: KEY_KEEPERS }, rule: 'booking_decide' },
  handOverKey: { from: ['approved'], to: 'key_taken', who: { roles: KEY_KEEPERS }, rule: 'booking_key_hand_over' },
  requestKeyReturn: {
    from: ['key_taken'],
    to: 'key_return_requested',
    who: { roles: KEY_RECALLERS },
    rule: 'booking_key_recall',
  },
  returnKey: { from: ['key_taken', 'key_return_requested'], to: 'key_returned', who: 'owner', rule: 'booking_owner' },
  complete: {
    from: ['key_returned', 'key_taken', 'key_return_requested'],
    to: 'completed',
    who: { roles: KEY_KEEPERS },
    rule: 'booking_complete',
  },
  cancel: { from: ['pending', 'approved'], to: 'cancelled', who: 'owner', rule: 'booking_owner' },
};

/** The actions allowed from `status` (for anyone), in BOOKING_ACTIONS order. */
export const actionsFrom = (status: BookingStatus): BookingAction[] =>
  BOOKING_ACTIONS.filter((action) => BOOKING_STEPS[action].from.includes(status));

export const isAllowedFrom = (action: BookingAction, status: BookingStatus): boolean =>
  BOOKING_STEPS[action].from.includes(status);

/** COWRK_INVALID_TRANSITION naming the current status and the refused action. */
export function invalidTransition(booking: Pick<Booking, 'id' | 'status'>, action: BookingAction) {
  return CoworkingErrors.error('INVALID_TRANSITION', `A ${booking.status} booking does not allow ${action}`, {
    bookingId: booking.id,
    status: booking.status,
    action,
  });
}

/** FORBIDDEN unless `actor` may take `action` on `booking` (its status is not looked at). */
export function authorizeStep(
  booking: Pick<Booking, 'id' | 'studentId'>,
  action: BookingAction,
  actor: AuthContext | null | undefined,
): AuthContext {
  const { who, rule } = BOOKING_STEPS[action];
  const sent = { bookingId: booking.id };
  return who === 'owner'
    ? requireOwner(actor, booking.studentId, rule, sent)
    : requireAnyRole(actor, who.roles, rule, sent);
}

/**
 * The steps that only make sense before the slot ends: an approval or a key handed over for a slot
 * that is over would tell the student about a past slot (the expiry job ends such bookings).
 */
export const BEFORE_SLOT_END_ACTIONS: readonly BookingAction[] = ['approve', 'handOverKey'];

/** Whether the booking's slot has ended at `now` (the end is exclusive). */
export const slotEnded = (booking: Pick<Booking, 'endsAt'>, now: Date): boolean =>
  booking.endsAt.getTime() <= now.getTime();

/** COWRK_SLOT_PASSED naming the slot's end and the refused action. */
export function slotPassed(booking: Pick<Booking, 'id' | 'status' | 'endsAt'>, action: BookingAction) {
  return CoworkingErrors.error(
    'SLOT_PASSED',
    `The slot ended at ${booking.endsAt.toISOString()}; ${action} is too late`,
    {
      bookingId: booking.id,
      status: booking.status,
      action,
      endsAt: booking.endsAt.toISOString(),
    },
  );
}

/**
 * The booking after `action` by `actor` at `now`: FORBIDDEN when the actor may not take it,
 * COWRK_INVALID_TRANSITION (details.status, details.action) when the status does not allow it,
 * COWRK_SLOT_PASSED (details.endsAt) for an approval or a key handover once the slot has ended,
 * COWRK_REJECTION_REASON_REQUIRED for a rejection without a reason. The version is bumped; the
 * reason of any other step is not a column (it travels in the step's event).
 */
export function transition<B extends Booking>(
  booking: B,
  action: BookingAction,
  actor: AuthContext | null | undefined,
  now: Date,
  reason: string | null = null,
): B {
  const caller = authorizeStep(booking, action, actor);
  if (!isAllowedFrom(action, booking.status)) throw invalidTransition(booking, action);
  if (BEFORE_SLOT_END_ACTIONS.includes(action) && slotEnded(booking, now)) throw slotPassed(booking, action);
  const by = caller.userId;
  const next: B = { ...booking, status: BOOKING_STEPS[action].to, version: booking.version + 1 };
  switch (action) {
    case 'approve':
      return { ...next, decidedBy: by, decidedAt: now };
    case 'reject':
      if (!reason?.trim()) {
        throw CoworkingErrors.error('REJECTION_REASON_REQUIRED', 'Say why the booking is rejected', {
          bookingId: booking.id,
        });
      }
      return { ...next, decidedBy: by, decidedAt: now, rejectionReason: reason.trim() };
    case 'handOverKey':
      return { ...next, keyTakenAt: now, keyTakenBy: by };
    case 'requestKeyReturn':
      return { ...next, keyReturnRequestedAt: now, keyReturnRequestedBy: by };
    case 'returnKey':
      return { ...next, keyReturnedAt: now };
    case 'complete':
      // Taken back in person: the key is back now.
      return { ...next, keyReturnedAt: booking.keyReturnedAt ?? now, completedAt: now, completedBy: by };
    case 'cancel':
      return { ...next, cancelledAt: now, cancelledBy: by };
  }
}

/** What a student asks for (already parsed; the slot rules are domain/slots.ts). */
export interface BookingRequest {
  id: string;
  coworkingId: string;
  purpose: string;
  startsAt: Date;
  endsAt: Date;
}

/** Requires a student caller (FORBIDDEN otherwise). */
export const authorizeRequest = (actor: AuthContext | null | undefined, sent: Record<string, unknown> = {}) =>
  requireAnyRole(actor, BOOKERS, 'booking_request', sent);

/**
 * A slot goes only to a student whose account identity knows and keeps active (domain spec §9: a
 * checked-out student's account is deactivated, while their access token still works for up to 15
 * minutes). COWRK_STUDENT_NOT_FOUND when identity does not know them (null), COWRK_STUDENT_INACTIVE
 * when the account is not active.
 */
export function requireActiveAccount(account: StudentAccount | null, studentId: string): StudentAccount {
  if (!account) throw CoworkingErrors.error('STUDENT_NOT_FOUND', 'Identity does not know you', { studentId });
  if (!account.isActive) {
    throw CoworkingErrors.error('STUDENT_INACTIVE', 'Your account is not active; ask the campus office', {
      studentId,
    });
  }
  return account;
}

/** A new pending booking of `actor` (a student; COWRK_PURPOSE_REQUIRED without a purpose). */
export function requestBooking(request: BookingRequest, actor: AuthContext | null | undefined, now: Date): Booking {
  const caller = authorizeRequest(actor, { coworkingId: request.coworkingId });
  const purpose = request.purpose.trim();
  if (!purpose) throw CoworkingErrors.error('PURPOSE_REQUIRED', 'Say what the coworking is for', {});
  return {
    id: request.id,
    coworkingId: request.coworkingId,
    studentId: caller.userId,
    purpose,
    startsAt: request.startsAt,
    endsAt: request.endsAt,
    status: 'pending',
    createdAt: now,
    decidedBy: null,
    decidedAt: null,
    rejectionReason: null,
    keyTakenAt: null,
    keyTakenBy: null,
    keyReturnRequestedAt: null,
    keyReturnRequestedBy: null,
    keyReturnedAt: null,
    completedAt: null,
    completedBy: null,
    cancelledAt: null,
    cancelledBy: null,
    cancelledByCheckoutId: null,
    lastNightReminderAt: null,
    nightReminderCount: 0,
    version: 1,
  };
}
