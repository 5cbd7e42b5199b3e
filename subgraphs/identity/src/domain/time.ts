// Time arithmetic of identity's rules (token lifetimes, lockouts), in whole seconds.

export const addSeconds = (date: Date, seconds: number): Date => new Date(date.getTime() + seconds * 1000);

/** Whole seconds from `from` until `to`, rounded up; 0 when `to` is not in the future. */
export const secondsUntil = (to: Date, from: Date): number =>
  Math.max(0, Math.ceil((to.getTime() - from.getTime()) / 1000));

/** A calendar date (stored as UTC midnight) as "YYYY-MM-DD". */
export const isoDate = (date: Date): string => date.toISOString().slice(0, 10);

/** "YYYY-MM-DD" (already a valid calendar date) as that day at UTC midnight, as dates are stored. */
export const calendarDay = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);
