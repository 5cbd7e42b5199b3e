import { randomUUID } from 'node:crypto';
import { conflict, requireAuth, type AuthContext, type Clock } from '@campus/platform';
import { requestBooking, requireActiveAccount, transition, type BookingAction } from '../domain/booking';
import { CoworkingErrors } from '../domain/errors';
import type { Booking, BookingRules } from '../domain/records';
import { assertBookable, assertSlotAllowed } from '../domain/slots';
import { bookingEvent, type BookingEventStep } from '../events/booking-events';
import type { BookingStore, StudentAccounts } from './ports';

/** A slot request, parsed (schemas/bookings.ts). */
export interface BookingRequestCommand {
  coworkingId: string;
  startsAt: Date;
  endsAt: Date;
  purpose: string;
}

/** A step on a booking, parsed (schemas/bookings.ts). */
export interface BookingStepCommand {
  bookingId: string;
  reason: string | null;
  /** The version the caller read (null: whatever is current). */
  version: number | null;
}

export interface BookingDeps {
  store: BookingStore;
  /** Identity: whether the student's account is still active (the token may outlive a check-out). */
  accounts: StudentAccounts;
  rules: BookingRules;
  clock: Clock;
  /** CAMPUS_TIMEZONE: the opening hours and "days ahead" are campus wall-clock rules. */
  timeZone: string;
  newId?: () => string;
}

/** The event each step publishes (its type names the status after the step). */
const EVENT_OF: Readonly<Record<BookingAction, BookingEventStep>> = {
  approve: 'approved',
  reject: 'rejected',
  handOverKey: 'key_taken',
  requestKeyReturn: 'key_return_requested',
  returnKey: 'key_returned',
  complete: 'completed',
  cancel: 'cancelled',
};

/**
 * Without a pinned version, a step that lost a race to a write which left the booking in a status
 * still allowing it (e.g. a night reminder's count) is decided again on the fresh row, this often.
 */
const MAX_ATTEMPTS = 3;

/**
 * The booking lifecycle's commands (domain spec §7): a student asks for a slot, educators decide,
 * hand the key over, ask for it back and close the booking, the student returns the key or
 * cancels. Each command is one transaction with its event; the state machine is domain/booking.ts.
 */
export class CoworkingBookings {
  private readonly newId: () => string;

  constructor(private readonly deps: BookingDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  /**
   * A student asks for a slot: slot rules (campus wall clock), their account is active in identity
   * now (COWRK_STUDENT_INACTIVE, COWRK_STUDENT_NOT_FOUND; COWRK_DEPENDENCY_UNAVAILABLE when identity
   * cannot answer), the coworking exists and is available, no other active booking of theirs
   * (COWRK_ACTIVE_BOOKING_EXISTS, also under races). One identity call, beside the first read.
   */
  async request(auth: AuthContext | null | undefined, input: BookingRequestCommand): Promise<Booking> {
    const now = this.deps.clock.now();
    const booking = requestBooking({ id: this.newId(), ...input }, auth, now);
    assertSlotAllowed(booking, this.deps.rules, { now, timeZone: this.deps.timeZone });
    const [account, active] = await Promise.all([
      this.deps.accounts.accountOf(booking.studentId),
      this.deps.store.activeBookingOf(booking.studentId),
    ]);
    requireActiveAccount(account, booking.studentId);
    if (active) {
      throw CoworkingErrors.error('ACTIVE_BOOKING_EXISTS', 'You already have an active booking', {
        bookingId: active.id,
        studentId: booking.studentId,
      });
    }
    return this.deps.store.insertBooking(
      booking,
      (coworking) => {
        if (!coworking) {
          throw CoworkingErrors.error('NOT_FOUND', 'No coworking has this id', { coworkingId: input.coworkingId });
        }
        assertBookable(coworking);
      },
      (created, coworking) => [bookingEvent('requested', created, coworking, { actorId: created.studentId, at: now })],
    );
  }

  /**
   * An educator approves a pending booking; an overlapping approved slot is COWRK_SLOT_TAKEN, a slot
   * that has ended COWRK_SLOT_PASSED.
   */
  approve(auth: AuthContext | null | undefined, input: BookingStepCommand): Promise<Booking> {
    return this.step('approve', auth, input);
  }

  /** An educator rejects a pending booking, with a reason. */
  reject(auth: AuthContext | null | undefined, input: BookingStepCommand): Promise<Booking> {
    return this.step('reject', auth, input);
  }

  /**
   * An educator hands the key of an approved booking over; COWRK_KEY_ALREADY_OUT while another holds
   * it, COWRK_SLOT_PASSED once the slot has ended.
   */
  handOverKey(auth: AuthContext | null | undefined, input: BookingStepCommand): Promise<Booking> {
    return this.step('handOverKey', auth, input);
  }

  /** An educator or the admin asks for the key back. */
  requestKeyReturn(auth: AuthContext | null | undefined, input: BookingStepCommand): Promise<Booking> {
    return this.step('requestKeyReturn', auth, input);
  }

  /** The student says the key is back. */
  returnKey(auth: AuthContext | null | undefined, input: BookingStepCommand): Promise<Booking> {
    return this.step('returnKey', auth, input);
  }

  /** An educator confirms the key is back (or takes it back in person) and closes the booking. */
  complete(auth: AuthContext | null | undefined, input: BookingStepCommand): Promise<Booking> {
    return this.step('complete', auth, input);
  }

  /** The student cancels before the key is taken. */
  cancel(auth: AuthContext | null | undefined, input: BookingStepCommand): Promise<Booking> {
    return this.step('cancel', auth, input);
  }

  /**
   * Reads the booking, lets the state machine decide (FORBIDDEN, COWRK_INVALID_TRANSITION naming
   * the current status), and writes the step if the row is still as read. A pinned stale version
   * is CONFLICT; an unpinned lost race is decided again on the fresh row.
   */
  private async step(
    action: BookingAction,
    auth: AuthContext | null | undefined,
    input: BookingStepCommand,
  ): Promise<Booking> {
    const caller = requireAuth(auth);
    for (let attempt = 1; ; attempt++) {
      const booking = await this.deps.store.findBooking(input.bookingId);
      if (!booking) {
        throw CoworkingErrors.error('BOOKING_NOT_FOUND', 'No booking has this id', { bookingId: input.bookingId });
      }
      const now = this.deps.clock.now();
      const next = transition(booking, action, auth, now, input.reason);
      if (input.version !== null && input.version !== booking.version) throw this.stale(booking, input.version);
      const written = await this.deps.store.updateBooking(
        next,
        { status: booking.status, version: booking.version },
        (stepped, coworking) => [
          bookingEvent(EVENT_OF[action], stepped, coworking, {
            actorId: caller.userId,
            reason: action === 'reject' ? next.rejectionReason : input.reason,
            at: now,
          }),
        ],
      );
      if (written !== 'stale') return written;
      if (input.version === null && attempt >= MAX_ATTEMPTS) throw this.stale(booking, booking.version);
      // Pinned: the next round answers INVALID_TRANSITION (status moved on) or CONFLICT (version did).
    }
  }

  private stale(booking: Booking, sentVersion: number) {
    return conflict('The booking changed meanwhile; re-read it and try again', {
      bookingId: booking.id,
      version: sentVersion,
      currentVersion: booking.version,
      status: booking.status,
    });
  }
}
