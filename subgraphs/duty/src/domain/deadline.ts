// The deadline and reminder rules of a duty (domain spec §6), as pure functions of a schedule,
// its room's residents and "now". The sweep (services/deadlines.service.ts) applies them; the
// repository repeats the same conditions in its conditional UPDATEs, so a concurrent or repeated
// sweep can never act twice.
import { graceDeadlineAfterRejection, lastDutyDay, sanctionInvitationAt } from './duty-times';
import type { DutySchedule, DutyTimes, LocalDate, Resident, RoomRef } from './records';

/** Which reminder: the evening before ('tomorrow') or the morning of the duty day ('today'). */
export type ReminderKind = 'tomorrow' | 'today';

/** A pending duty whose deadline has passed at `now`: it becomes overdue. */
export function isOverdueAt(schedule: Pick<DutySchedule, 'status' | 'deadlineAt'>, now: Date): boolean {
  return schedule.status === 'pending' && schedule.deadlineAt.getTime() <= now.getTime();
}

type ReminderFields = Pick<
  DutySchedule,
  'status' | 'deadlineAt' | 'eveningReminderAt' | 'morningReminderAt' | 'eveningRemindedAt' | 'morningRemindedAt'
>;

/**
 * The reminder due at `now`, if any. Only a pending duty is reminded, each reminder once, and a
 * late sweep (after downtime) sends only what is still useful: the evening one only before the
 * morning reminder (and the deadline), the morning one only before the deadline.
 */
export function dueReminder(schedule: ReminderFields, now: Date): ReminderKind | null {
  if (schedule.status !== 'pending') return null;
  const t = now.getTime();
  if (t >= schedule.deadlineAt.getTime()) return null;
  if (!schedule.morningRemindedAt && schedule.morningReminderAt.getTime() <= t) return 'today';
  if (
    !schedule.eveningRemindedAt &&
    schedule.eveningReminderAt.getTime() <= t &&
    t < schedule.morningReminderAt.getTime()
  ) {
    return 'tomorrow';
  }
  return null;
}

/** What a rejection changes on its duty besides the status (pending again). */
export type RejectedDutyTimes = Pick<DutySchedule, 'deadlineAt' | 'eveningRemindedAt' | 'morningRemindedAt'>;

/**
 * The deadline and reminder marks of a duty whose report is rejected at `now`: a rejection at or
 * after the deadline moves it (graceDeadlineAfterRejection), so the sweep judges the new one. The
 * reminders belong to the duty day and are not sent again for the grace day: one still unsent
 * (the room had reported before it) is marked done at `now`.
 */
export function afterRejection(
  schedule: RejectedDutyTimes,
  now: Date,
  times: Pick<DutyTimes, 'deadline'>,
  timeZone: string,
): RejectedDutyTimes {
  const deadlineAt = graceDeadlineAfterRejection(schedule.deadlineAt, now, times, timeZone);
  if (deadlineAt.getTime() === schedule.deadlineAt.getTime()) {
    return {
      deadlineAt: schedule.deadlineAt,
      eveningRemindedAt: schedule.eveningRemindedAt,
      morningRemindedAt: schedule.morningRemindedAt,
    };
  }
  return {
    deadlineAt,
    eveningRemindedAt: schedule.eveningRemindedAt ?? now,
    morningRemindedAt: schedule.morningRemindedAt ?? now,
  };
}

/** A sanction about to be created (the store adds status 'open' and createdAt). */
export interface SanctionDraft {
  id: string;
  scheduleId: string;
  userId: string;
  room: RoomRef;
  dutyDate: LocalDate;
  invitedAt: Date;
}

/**
 * One sanction per current resident of an overdue duty's room (duplicates in `residents` count
 * once), each inviting them to the educators at the sanction-invitation time of the day after the
 * deadline's day: the duty day's next day, or, when a late rejection moved the deadline, the day
 * after the moved one (never a day already past when the duty became overdue).
 */
export function sanctionsFor(
  schedule: Pick<DutySchedule, 'id' | 'room' | 'dutyDate' | 'deadlineAt'>,
  residents: readonly Pick<Resident, 'userId'>[],
  times: DutyTimes,
  timeZone: string,
  newId: () => string,
): SanctionDraft[] {
  const invitedAt = sanctionInvitationAt(lastDutyDay(schedule, timeZone), times, timeZone);
  const userIds = [...new Set(residents.map((r) => r.userId))];
  return userIds.map((userId) => ({
    id: newId(),
    scheduleId: schedule.id,
    userId,
    room: schedule.room,
    dutyDate: schedule.dutyDate,
    invitedAt,
  }));
}
