// When a booking expires (domain spec §7: a student holds at most one active booking). A request
// nobody decided, or an approved slot whose key was never taken, would otherwise stay active
// forever once its slot has passed, and block the student's next request. Pure: the scheduler runs
// the job (config), the store selects and writes by these rules, the service builds the events.
import type { Booking, BookingStatus } from './records';

/** The statuses a booking expires from: nobody decided it, or its key was never taken. */
export const EXPIRABLE_STATUSES = ['pending', 'approved'] as const satisfies readonly BookingStatus[];
export type ExpirableStatus = (typeof EXPIRABLE_STATUSES)[number];

export const isExpirableStatus = (status: BookingStatus): status is ExpirableStatus =>
  (EXPIRABLE_STATUSES as readonly BookingStatus[]).includes(status);

/**
 * Whether the booking expires at `now`: still pending or approved when its slot has ended (the end
 * is exclusive, as approving and handing the key over are refused from then on).
 */
export function isDueToExpire(booking: Pick<Booking, 'status' | 'endsAt'>, now: Date): boolean {
  return isExpirableStatus(booking.status) && booking.endsAt.getTime() <= now.getTime();
}

/** The booking once expired: terminal, frees the student's one active booking and the slot. */
export function expireBooking<B extends Booking>(booking: B): B {
  return { ...booking, status: 'expired', version: booking.version + 1 };
}
