import pg from 'pg';

/** PostgreSQL's type id of `timestamp with time zone`. */
export const TIMESTAMPTZ_OID = 1184;

const parseAnyTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date | number;

const digit = (text: string, at: number): number => text.charCodeAt(at) - 48;
const twoDigits = (text: string, at: number): number => digit(text, at) * 10 + digit(text, at + 1);

/** The separators of `YYYY-MM-DD HH:MM:SS`. */
const hasSeparators = (text: string): boolean =>
  text.charCodeAt(4) === 45 &&
  text.charCodeAt(7) === 45 &&
  text.charCodeAt(10) === 32 &&
  text.charCodeAt(13) === 58 &&
  text.charCodeAt(16) === 58;

/**
 * A `timestamptz` as PostgreSQL writes it (ISO style: `2027-01-05 19:00:00.123456+00`, an offset of
 * `±HH`, `±HH:MM` or `±HH:MM:SS`) read with character arithmetic; any other shape (BC years, years
 * beyond 9999, infinity, another DateStyle) goes to pg's own parser, which gives the same Date for
 * the common shape. pg's parser (postgres-date) runs regular expressions on every value: on a duty month (eight
 * timestamps a row) it was 6–8 % of duty's CPU (docs/performance.md). Milliseconds are truncated,
 * as pg's parser truncates them.
 */
export function parseTimestamptz(text: string): Date | number {
  const length = text.length;
  // A first digit above 0 keeps years 0–999 (and Date.UTC's reading of 0–99 as 1900–1999) out.
  if (!(length >= 22 && hasSeparators(text) && text.charCodeAt(0) > 48)) return parseAnyTimestamptz(text);
  let at = 19;
  let ms = 0;
  if (text.charCodeAt(at) === 46) {
    // Fraction: up to 6 digits; only the first three count.
    let scale = 100;
    for (at++; at < length; at++) {
      const d = digit(text, at);
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
    }
    ms = Math.trunc(ms);
  }
  const sign = text.charCodeAt(at);
  const rest = length - at - 1;
  const offsetShape =
    rest === 2 ||
    (rest === 5 && text.charCodeAt(at + 3) === 58) ||
    (rest === 8 && text.charCodeAt(at + 3) === 58 && text.charCodeAt(at + 6) === 58);
  if ((sign !== 43 && sign !== 45) || !offsetShape) return parseAnyTimestamptz(text);
  const offsetSeconds =
    twoDigits(text, at + 1) * 3600 +
    (rest >= 5 ? twoDigits(text, at + 4) * 60 : 0) +
    (rest === 8 ? twoDigits(text, at + 7) : 0);
  const utc = Date.UTC(
    digit(text, 0) * 1000 + digit(text, 1) * 100 + twoDigits(text, 2),
    twoDigits(text, 5) - 1,
    twoDigits(text, 8),
    twoDigits(text, 11),
    twoDigits(text, 14),
    twoDigits(text, 17),
    ms,
  );
  const value = utc - (sign === 45 ? -offsetSeconds : offsetSeconds) * 1000;
  // Anything unexpected in the digits makes NaN: let pg's parser have the last word.
  return Number.isNaN(value) ? parseAnyTimestamptz(text) : new Date(value);
}

/** pg's type parsers with parseTimestamptz for `timestamptz` (a pool's `types`). */
export const databaseTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID && format !== 'binary'
      ? parseTimestamptz
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};
