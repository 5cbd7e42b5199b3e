// Swapping duty dates between two rooms of one entrance (domain spec §6): the asking room
// requests, the other room accepts or declines, staff approve (the dates are exchanged) or
// reject; the asking room may cancel until then. Pure rules and transitions: services/ loads,
// authorizes and persists.
import { campusToday, dutyMoments } from './duty-times';
import { DutyErrors } from './errors';
import type { DutySchedule, DutySwap, DutyTimes, LocalDate, SwapStatus } from './records';

/** The statuses of a swap still in progress (accepted: waiting for a reviewer's approval). */
export type OpenSwapStatus = Extract<SwapStatus, 'requested' | 'accepted'>;

/** Swaps still in progress: a duty takes part in at most one of them at a time. */
export const OPEN_SWAP_STATUSES: readonly OpenSwapStatus[] = ['requested', 'accepted'];

export const isOpenStatus = (status: SwapStatus): status is OpenSwapStatus =>
  (OPEN_SWAP_STATUSES as readonly SwapStatus[]).includes(status);

export const isOpenSwap = (swap: Pick<DutySwap, 'status'>): boolean => isOpenStatus(swap.status);

/** The campus clock a swap rule reads. */
export interface SwapClock {
  now: Date;
  timeZone: string;
}

/**
 * A duty may take part in a swap while it is pending, on today or later (campus time) and before
 * its deadline: a reported, accepted or overdue duty is settled, a passed one cannot be re-dated.
 */
export function assertSwappable(duty: DutySchedule, clock: SwapClock): void {
  if (duty.status !== 'pending') {
    throw DutyErrors.error('DUTY_CLOSED', `The duty of ${duty.dutyDate} is ${duty.status}, no longer swappable`, {
      scheduleId: duty.id,
      status: duty.status,
    });
  }
  if (duty.dutyDate < campusToday(clock.now, clock.timeZone) || duty.deadlineAt.getTime() <= clock.now.getTime()) {
    throw DutyErrors.error('DATE_IN_PAST', `The duty of ${duty.dutyDate} is past`, {
      scheduleId: duty.id,
      date: duty.dutyDate,
      deadlineAt: duty.deadlineAt.toISOString(),
    });
  }
}

/** What else the two rooms have on the dates they would get (found by the caller). */
export interface SwapClashes {
  /** The asking room's other duty on the date it would get, if any. */
  fromRoomOnToDate: Pick<DutySchedule, 'id'> | null;
  /** The other room's other duty on the date it would get, if any. */
  toRoomOnFromDate: Pick<DutySchedule, 'id'> | null;
}

/**
 * The rules both duties of a swap meet, when it is asked and again when it is approved: two rooms
 * of one entrance, different dates of one month, both still swappable, and neither room already on
 * duty on the date it would get (a room has at most one duty a day).
 */
export function assertExchangeable(from: DutySchedule, to: DutySchedule, clashes: SwapClashes, clock: SwapClock): void {
  if (from.id === to.id || from.room.roomId === to.room.roomId) {
    throw DutyErrors.error('SWAP_SAME_ROOM', 'Both duties belong to the same room', {
      scheduleId: from.id,
      withScheduleId: to.id,
    });
  }
  if (from.room.building !== to.room.building || from.room.entrance !== to.room.entrance) {
    throw DutyErrors.error('SWAP_ACROSS_ENTRANCES', 'Duties are swapped only within one entrance', {
      from: { building: from.room.building, entrance: from.room.entrance },
      to: { building: to.room.building, entrance: to.room.entrance },
    });
  }
  assertSwappable(from, clock);
  assertSwappable(to, clock);
  if (from.dutyDate === to.dutyDate) {
    throw DutyErrors.error('SWAP_SAME_DATE', 'Both duties are on the same date', { date: from.dutyDate });
  }
  // A duty belongs to its roster's month (as moveDuty keeps it): swaps stay inside one month.
  if (from.month !== to.month) {
    throw DutyErrors.error('DATE_OUTSIDE_MONTH', "A duty is swapped only within its roster's month", {
      month: from.month,
      date: to.dutyDate,
    });
  }
  if (clashes.fromRoomOnToDate) {
    throw DutyErrors.error('DATE_TAKEN', `The asking room already has a duty on ${to.dutyDate}`, {
      scheduleId: clashes.fromRoomOnToDate.id,
      date: to.dutyDate,
    });
  }
  if (clashes.toRoomOnFromDate) {
    throw DutyErrors.error('DATE_TAKEN', `The other room already has a duty on ${from.dutyDate}`, {
      scheduleId: clashes.toRoomOnFromDate.id,
      date: from.dutyDate,
    });
  }
}

/** Refuses a second open swap on a duty (details.swapId names the open one). */
export function assertNoOpenSwap(open: Pick<DutySwap, 'id'> | null): void {
  if (open) {
    throw DutyErrors.error('SWAP_PENDING', 'One of the duties already has an open swap request', {
      swapId: open.id,
    });
  }
}

/**
 * The duties must still be on the dates the swap was asked for: if one was moved since, the rooms
 * agreed to a different exchange than the one staff would approve.
 */
export function assertDatesAsAsked(swap: DutySwap, from: DutySchedule, to: DutySchedule): void {
  for (const [duty, askedDate] of [
    [from, swap.fromDate],
    [to, swap.toDate],
  ] as const) {
    if (duty.dutyDate !== askedDate) {
      throw DutyErrors.error('SWAP_OUTDATED', 'A duty of the swap was moved since it was asked', {
        swapId: swap.id,
        scheduleId: duty.id,
        askedDate,
        currentDate: duty.dutyDate,
      });
    }
  }
}

// ── Transitions ──────────────────────────────────────────────────────────────────────────────

export interface SwapRequest {
  id: string;
  from: DutySchedule;
  to: DutySchedule;
  requestedBy: string;
  reason: string | null;
  at: Date;
}

/** A new swap request (the rules are checked by assertExchangeable / assertNoOpenSwap first). */
export function requestSwap(request: SwapRequest): DutySwap {
  const { from, to } = request;
  return {
    id: request.id,
    building: from.room.building,
    entrance: from.room.entrance,
    fromScheduleId: from.id,
    toScheduleId: to.id,
    fromRoomId: from.room.roomId,
    toRoomId: to.room.roomId,
    fromDate: from.dutyDate,
    toDate: to.dutyDate,
    status: 'requested',
    requestedBy: request.requestedBy,
    requestedAt: request.at,
    respondedBy: null,
    respondedAt: null,
    decidedBy: null,
    decidedAt: null,
    reason: request.reason,
  };
}

/** Who took a step, when, and the reason they gave (optional). */
export interface SwapStep {
  by: string;
  at: Date;
  reason: string | null;
}

/** The step's status is allowed only from `allowed`; otherwise SWAP_NOT_OPEN with the current status. */
function requireStatus(swap: DutySwap, allowed: readonly SwapStatus[], step: string): void {
  if (!allowed.includes(swap.status)) {
    throw DutyErrors.error('SWAP_NOT_OPEN', `A ${swap.status} swap cannot be ${step}`, {
      swapId: swap.id,
      status: swap.status,
    });
  }
}

// A step's reason replaces the one recorded; without one the earlier reason (the request's) stays.
const reasonAfter = (swap: DutySwap, step: SwapStep): string | null => step.reason ?? swap.reason;

/** The other room agrees (from requested). */
export function acceptSwap<S extends DutySwap>(swap: S, step: SwapStep): S {
  requireStatus(swap, ['requested'], 'accepted');
  return { ...swap, status: 'accepted', respondedBy: step.by, respondedAt: step.at, reason: reasonAfter(swap, step) };
}

/** The other room says no (from requested). */
export function declineSwap<S extends DutySwap>(swap: S, step: SwapStep): S {
  requireStatus(swap, ['requested'], 'declined');
  return { ...swap, status: 'declined', respondedBy: step.by, respondedAt: step.at, reason: reasonAfter(swap, step) };
}

/** Staff approve (from accepted); the dates are exchanged with `exchangeDates` in the same change. */
export function approveSwap<S extends DutySwap>(swap: S, step: SwapStep): S {
  requireStatus(swap, ['accepted'], 'approved');
  return { ...swap, status: 'approved', decidedBy: step.by, decidedAt: step.at, reason: reasonAfter(swap, step) };
}

/** Staff say no (from requested or accepted). */
export function rejectSwap<S extends DutySwap>(swap: S, step: SwapStep): S {
  requireStatus(swap, OPEN_SWAP_STATUSES, 'rejected');
  return { ...swap, status: 'rejected', decidedBy: step.by, decidedAt: step.at, reason: reasonAfter(swap, step) };
}

/** The asking room withdraws (from requested or accepted); the withdrawal is its decision. */
export function cancelSwap<S extends DutySwap>(swap: S, step: SwapStep): S {
  requireStatus(swap, OPEN_SWAP_STATUSES, 'cancelled');
  return { ...swap, status: 'cancelled', decidedBy: step.by, decidedAt: step.at, reason: reasonAfter(swap, step) };
}

/**
 * `duty` on `date`: new deadline and reminder instants, next version, and reminder marks fit for
 * the new date. A reminder still ahead is sent for the new date (mark reset). One already due:
 * "duty tomorrow" is still sent late while the date is after today, and is marked as done when the
 * date is today (it would say "tomorrow" on the day; the morning reminder covers it); "duty today"
 * keeps its mark, so the sweep sends it late if it never went out.
 */
export function redated(duty: DutySchedule, date: LocalDate, times: DutyTimes, clock: SwapClock): DutySchedule {
  const moments = dutyMoments(date, times, clock.timeZone);
  const now = clock.now.getTime();
  const eveningAhead = moments.eveningReminderAt.getTime() > now || date > campusToday(clock.now, clock.timeZone);
  return {
    ...duty,
    dutyDate: date,
    ...moments,
    eveningRemindedAt: eveningAhead ? null : (duty.eveningRemindedAt ?? clock.now),
    morningRemindedAt: moments.morningReminderAt.getTime() > now ? null : duty.morningRemindedAt,
    version: duty.version + 1,
    updatedAt: clock.now,
  };
}

/** Approval's effect on the duties: each takes the other's date. */
export function exchangeDates(
  from: DutySchedule,
  to: DutySchedule,
  times: DutyTimes,
  clock: SwapClock,
): { from: DutySchedule; to: DutySchedule } {
  return { from: redated(from, to.dutyDate, times, clock), to: redated(to, from.dutyDate, times, clock) };
}
