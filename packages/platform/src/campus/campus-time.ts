// Campus-local calendar arithmetic with Intl only (shared kernel): instants are stored in UTC, rules
// that name a clock time ("after 22:00") decide in the campus time zone.

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
/** HH:MM, or HH:MM:SS. */
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23', // never "24:00" at midnight
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** What a wall clock in `timeZone` shows at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const ms = instant.getTime();
  const offset = Number.isFinite(ms) ? steadyOffset(ms, timeZone) : undefined;
  if (offset === undefined) return formattedWallClock(instant, timeZone);
  // UTC fields of the shifted instant are the local wall clock (seconds truncated, as the formatter).
  const local = new Date(ms + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

/** What the ICU formatter says the wall clock shows: wallClock's reference, 4–50 µs a call. */
export function formattedWallClock(instant: Date, timeZone: string): WallClock {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? NaN,
    month: parts.month ?? NaN,
    day: parts.day ?? NaN,
    hour: parts.hour ?? NaN,
    minute: parts.minute ?? NaN,
    second: parts.second ?? NaN,
  };
}

/**
 * The zone's offset during the quarter hour holding `utcMs`, if it stays the same from the slot's
 * first to its last second; undefined for the rare slot with a change in it (the formatter answers
 * those). Offsets change on quarter hours in every zone in use, at most once in days, so two
 * formatter calls price a slot and every later instant in it is arithmetic. The local date and
 * clock are asked on every patrol start, roll-call rule and deadline (formatToParts was 0.7 % of
 * patrol's CPU under patrol starts); a process touches few slots, and the map is bounded.
 */
function steadyOffset(utcMs: number, timeZone: string): number | undefined {
  let slots = slotOffsets.get(timeZone);
  if (!slots) slotOffsets.set(timeZone, (slots = new Map()));
  const slot = Math.floor(utcMs / SLOT_MS);
  let offset = slots.get(slot);
  if (offset === undefined) {
    const first = offsetAt(slot * SLOT_MS, timeZone);
    offset = offsetAt((slot + 1) * SLOT_MS - 1000, timeZone) === first ? first : NaN;
    if (slots.size >= SLOTS_KEPT) slots.clear();
    slots.set(slot, offset);
  }
  return Number.isNaN(offset) ? undefined : offset;
}

const SLOT_MS = 15 * 60_000;
const SLOTS_KEPT = 4096;
const slotOffsets = new Map<string, Map<number, number>>();

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The campus-local calendar date (YYYY-MM-DD) at `instant`. */
export function localDate(instant: Date, timeZone: string): string {
  const { year, month, day } = wallClock(instant, timeZone);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Whether `value` is a real calendar date written YYYY-MM-DD (no 2026-02-30). */
export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The zone's offset from UTC (ms) at `utcMs`: local wall time minus UTC. */
function offsetAt(utcMs: number, timeZone: string): number {
  const whole = utcMs - (((utcMs % 1000) + 1000) % 1000); // the formatter has second precision
  const w = formattedWallClock(new Date(whole), timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
}

const DAY_MS = 86_400_000;

/**
 * The instant at which a wall clock in `timeZone` shows `date` `time` ("2026-03-14", "22:00").
 * Around a DST change: an ambiguous time (clocks set back) is its first occurrence; a skipped one
 * (clocks set forward) is read with the offset in force before the change, i.e. shifted forward by
 * the gap (Temporal's "compatible" disambiguation).
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const key = `${timeZone} ${date} ${time}`;
  let ms = zonedInstants.get(key);
  if (ms === undefined) {
    ms = computeZonedInstant(date, time, timeZone);
    if (zonedInstants.size >= ZONED_INSTANTS_KEPT) zonedInstants.clear();
    zonedInstants.set(key, ms);
  }
  return new Date(ms);
}

/**
 * zonedInstant's answers (epoch ms) by zone, date and time: the same few are asked for again and
 * again (tonight's 22:00 on every patrol start), and each costs four formatToParts calls, ~1 % of
 * patrol's CPU per start. Time zone rules do not change while a process runs; the map is bounded.
 */
const zonedInstants = new Map<string, number>();
const ZONED_INSTANTS_KEPT = 1024;

function computeZonedInstant(date: string, time: string, timeZone: string): number {
  const d = DATE_PATTERN.exec(date);
  const t = TIME_PATTERN.exec(time);
  if (!d || !t || !isCalendarDate(date)) throw new RangeError(`not a local date and time: ${date} ${time}`);
  const asUtc = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3] ?? 0));
  // The offsets a day either side bracket any change near this wall time.
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  const matching = [asUtc - before, asUtc - after].filter(
    (candidate) => offsetAt(candidate, timeZone) === asUtc - candidate,
  );
  return matching.length ? Math.min(...matching) : asUtc - before;
}
