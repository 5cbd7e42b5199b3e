import cronParser, { type CronExpression } from 'cron-parser';

// Cron evaluation in a named time zone, by cron-parser: the library (and version, pinned to the
// one pg-boss depends on) pg-boss itself evaluates crons with.

/** Throws a clear error unless `timeZone` is an IANA zone this runtime knows (e.g. Europe/Moscow). */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(`Unknown time zone "${timeZone}"`);
  }
}

/**
 * The first time strictly after `after` at which `cron` fires when read as a wall clock in
 * `timeZone` (5 fields, or 6 with seconds first). DST is honoured: "0 23 * * *" in Europe/Berlin
 * is 22:00Z in winter and 21:00Z in summer; a wall time skipped by a spring-forward fires at the
 * first instant after the gap.
 */
export function nextCronTime(cron: string, timeZone: string, after: Date): Date {
  assertTimeZone(timeZone);
  let expression: CronExpression<false>;
  try {
    expression = cronParser.parseExpression(cron, { tz: timeZone, currentDate: after, iterator: false });
  } catch (error) {
    throw new Error(`Invalid cron "${cron}": ${(error as Error).message}`);
  }
  return expression.next().toDate();
}
