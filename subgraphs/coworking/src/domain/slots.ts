// The rules a requested slot meets (domain spec §7), decided on the campus wall clock: opening
// hours and "days ahead" are campus-local notions, instants are UTC. Pure.
import { localDate, zonedInstant } from '@campus/platform';
import { CoworkingErrors } from './errors';
import type { BookingRules, Coworking } from './records';

/** "Now" and the campus time zone a slot rule reads. */
export interface CampusClock {
  now: Date;
  timeZone: string;
}

export interface Slot {
  startsAt: Date;
  endsAt: Date;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The calendar date `days` after `date` (YYYY-MM-DD; calendar arithmetic, no time zone involved). */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  const utc = (date: string) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((utc(to) - utc(from)) / DAY_MS);
}

/**
 * The opening window that starts on campus day `date`: from opensAt to closesAt the same day, to
 * midnight when closesAt is "24:00", or to closesAt the next day when it is not after opensAt
 * (hours running past midnight, e.g. 18:00–02:00).
 */
export function openingWindow(date: string, rules: Pick<BookingRules, 'opensAt' | 'closesAt'>, timeZone: string): Slot {
  const startsAt = zonedInstant(date, rules.opensAt, timeZone);
  let endsAt: Date;
  if (rules.closesAt === '24:00') endsAt = zonedInstant(addDays(date, 1), '00:00', timeZone);
  else if (rules.closesAt > rules.opensAt) endsAt = zonedInstant(date, rules.closesAt, timeZone);
  else endsAt = zonedInstant(addDays(date, 1), rules.closesAt, timeZone);
  return { startsAt, endsAt };
}

/** Whether the slot lies within one opening window (the one of its start's campus day or of the day before). */
export function withinOpeningHours(slot: Slot, rules: Pick<BookingRules, 'opensAt' | 'closesAt'>, timeZone: string) {
  const day = localDate(slot.startsAt, timeZone);
  return [addDays(day, -1), day].some((date) => {
    const window = openingWindow(date, rules, timeZone);
    return window.startsAt <= slot.startsAt && slot.endsAt <= window.endsAt;
  });
}

/**
 * Refuses a slot that ends before it starts, starts in the past, is longer than maxSlotMinutes,
 * starts more than maxDaysAhead campus days after today, or leaves the opening hours. Checked in
 * that order; each refusal has its COWRK_ code and says the limit in details.
 */
export function assertSlotAllowed(slot: Slot, rules: BookingRules, clock: CampusClock): void {
  const { startsAt, endsAt } = slot;
  const sent = { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() };
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw CoworkingErrors.error('SLOT_END_BEFORE_START', 'The slot must end after it starts', sent);
  }
  if (startsAt.getTime() < clock.now.getTime()) {
    throw CoworkingErrors.error('SLOT_IN_PAST', 'The slot starts in the past', {
      ...sent,
      now: clock.now.toISOString(),
    });
  }
  const minutes = (endsAt.getTime() - startsAt.getTime()) / MINUTE_MS;
  if (minutes > rules.maxSlotMinutes) {
    throw CoworkingErrors.error('SLOT_TOO_LONG', `A slot lasts at most ${rules.maxSlotMinutes} minutes`, {
      ...sent,
      maxMinutes: rules.maxSlotMinutes,
    });
  }
  const today = localDate(clock.now, clock.timeZone);
  if (daysBetween(today, localDate(startsAt, clock.timeZone)) > rules.maxDaysAhead) {
    throw CoworkingErrors.error('SLOT_TOO_FAR_AHEAD', `A slot is booked at most ${rules.maxDaysAhead} days ahead`, {
      ...sent,
      maxDaysAhead: rules.maxDaysAhead,
      latestDate: addDays(today, rules.maxDaysAhead),
    });
  }
  if (!withinOpeningHours(slot, rules, clock.timeZone)) {
    throw CoworkingErrors.error(
      'OUTSIDE_OPENING_HOURS',
      `Coworkings are open ${rules.opensAt}–${rules.closesAt} campus time`,
      { ...sent, opensAt: rules.opensAt, closesAt: rules.closesAt, timeZone: clock.timeZone },
    );
  }
}

/** Refuses new bookings of a coworking marked unavailable. */
export function assertBookable(coworking: Pick<Coworking, 'id' | 'available'>): void {
  if (!coworking.available) {
    throw CoworkingErrors.error('UNAVAILABLE_COWORKING', 'The coworking takes no bookings now', {
      coworkingId: coworking.id,
    });
  }
}
