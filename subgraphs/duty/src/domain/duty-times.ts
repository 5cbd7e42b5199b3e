// The instants of the duty rules: each names a campus-local clock time on a campus-local date
// (domain spec §1: store UTC, decide in local time).
import { localDate, zonedInstant } from '@campus/platform';
import type { DutyMoments, DutyTimes, LocalDate, Month } from './records';

/** The calendar date `days` after `date` (both YYYY-MM-DD; pure calendar arithmetic, no zone). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + days)).toISOString().slice(0, 10);
}

/** YYYY-MM of a date. */
export const monthOf = (date: LocalDate): Month => date.slice(0, 7);

/** Every date of a month, in order. */
export function datesOfMonth(month: Month): LocalDate[] {
  const [y, m] = month.split('-').map(Number);
  const days = new Date(Date.UTC(y!, m!, 0)).getUTCDate();
  return Array.from({ length: days }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** Deadline (duty day), evening reminder (the day before) and morning reminder (the day) of a duty date. */
export function dutyMoments(date: LocalDate, times: DutyTimes, timeZone: string): DutyMoments {
  return {
    deadlineAt: zonedInstant(date, times.deadline, timeZone),
    eveningReminderAt: zonedInstant(addDays(date, -1), times.eveningReminder, timeZone),
    morningReminderAt: zonedInstant(date, times.morningReminder, timeZone),
  };
}

/**
 * When residents sanctioned for a duty whose last day was `date` are expected at the educators
 * (the next day; the last day is the duty day, or the day of a deadline a late rejection moved).
 */
export function sanctionInvitationAt(date: LocalDate, times: DutyTimes, timeZone: string): Date {
  return zonedInstant(addDays(date, 1), times.sanctionInvitation, timeZone);
}

/**
 * The deadline of a duty whose report is rejected at `now` (domain spec §6). A rejection before
 * the deadline leaves it as it is. One at or after it (the review came late, the report was in on
 * time) gives the room until the deadline time of the campus day after the rejection, so that it
 * can redo the cleaning and report again instead of being overdue at once; always in the future.
 */
export function graceDeadlineAfterRejection(
  deadlineAt: Date,
  now: Date,
  times: Pick<DutyTimes, 'deadline'>,
  timeZone: string,
): Date {
  if (now.getTime() < deadlineAt.getTime()) return deadlineAt;
  return zonedInstant(addDays(localDate(now, timeZone), 1), times.deadline, timeZone);
}

/**
 * The last campus day of a duty: the duty day, or the day of the deadline a late rejection moved
 * (the later of the two). A room reports up to it; sanctions invite for the day after it.
 */
export function lastDutyDay(schedule: { dutyDate: LocalDate; deadlineAt: Date }, timeZone: string): LocalDate {
  const deadlineDay = localDate(schedule.deadlineAt, timeZone);
  return deadlineDay > schedule.dutyDate ? deadlineDay : schedule.dutyDate;
}

/** Today on the campus wall clock. */
export const campusToday = (now: Date, timeZone: string): LocalDate => localDate(now, timeZone);

/**
 * The first date a roster of `month` (the current or a later one) may give a duty; null when none
 * of the month is left. A later month starts on the 1st. In the current month today counts only
 * while its morning reminder is ahead, so the room hears of the duty and has the day for it; a
 * roster made later starts tomorrow (made at 23:30, today's duty would be overdue at once).
 */
export function firstRosterDate(month: Month, now: Date, times: DutyTimes, timeZone: string): LocalDate | null {
  const today = campusToday(now, timeZone);
  if (month !== monthOf(today)) return monthBounds(month).first;
  const first = dutyMoments(today, times, timeZone).morningReminderAt > now ? today : addDays(today, 1);
  return monthOf(first) === month ? first : null;
}

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Whether `value` is a month written YYYY-MM. */
export const isMonth = (value: string): boolean => MONTH_PATTERN.test(value);

/** The month `months` after `month` (YYYY-MM; negative goes back). */
export function addMonths(month: Month, months: number): Month {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1 + months, 1)).toISOString().slice(0, 7);
}

/** The first and the last date of a month. */
export function monthBounds(month: Month): { first: LocalDate; last: LocalDate } {
  const dates = datesOfMonth(month);
  return { first: dates[0]!, last: dates[dates.length - 1]! };
}
