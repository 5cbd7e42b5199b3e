// When the holder of a key still out at night is reminded (domain spec §7: "while a key is out after
// 00:00 the holder is reminded every 30 minutes until 06:00"). Pure: the scheduler fires on a cron
// (config), the service asks these rules which bookings a firing reminds.
import { wallClock } from '@campus/platform';
import type { Booking, BookingStatus } from './records';

/** The night on the campus wall clock: [from, until), HH:MM; wraps midnight when from > until. */
export interface NightWindow {
  from: string;
  /** Exclusive; "24:00" = the end of the day. */
  until: string;
}

export const DEFAULT_NIGHT_WINDOW: NightWindow = { from: '00:00', until: '06:00' };

/**
 * The key is out with the student: taken, or asked back and not yet returned. (key_returned: the
 * student says it is back, only the educator's confirmation is missing, so no reminder.)
 */
export const KEY_OUT_STATUSES: readonly BookingStatus[] = ['key_taken', 'key_return_requested'];

/**
 * A firing running this much after its time is skipped: the next firing reminds instead, and after a
 * long outage no "night" reminder goes out in the morning (missed firings collapse into one late run).
 */
export const NIGHT_REMINDER_MAX_LATENESS_MS = 30 * 60_000;

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Whether `at` lies in the night window on the campus wall clock of `timeZone`. */
export function isNightAt(at: Date, window: NightWindow, timeZone: string): boolean {
  const { hour, minute } = wallClock(at, timeZone);
  const now = hour * 60 + minute;
  const from = minutesOf(window.from);
  const until = minutesOf(window.until);
  return from <= until ? now >= from && now < until : now >= from || now < until;
}

/** Whether the booking's key was out at `at` (and still is: the status is the current one). */
export function isKeyOutAt(booking: Pick<Booking, 'status' | 'keyTakenAt'>, at: Date): boolean {
  return KEY_OUT_STATUSES.includes(booking.status) && booking.keyTakenAt !== null && booking.keyTakenAt <= at;
}

/**
 * The bookings a firing due at `dueAt` reminds: none outside the night window, else every booking
 * whose key is out (once per firing: the store records each reminder by booking and firing).
 */
export function dueNightReminders<B extends Pick<Booking, 'status' | 'keyTakenAt'>>(
  bookings: readonly B[],
  dueAt: Date,
  window: NightWindow,
  timeZone: string,
): B[] {
  if (!isNightAt(dueAt, window, timeZone)) return [];
  return bookings.filter((b) => isKeyOutAt(b, dueAt));
}

/** Whether a firing due at `dueAt` and running at `now` is too late to remind (see the constant). */
export function isStaleFiring(dueAt: Date, now: Date, maxLatenessMs = NIGHT_REMINDER_MAX_LATENESS_MS): boolean {
  return now.getTime() - dueAt.getTime() > maxLatenessMs;
}
