import pg from 'pg';
import { databaseTypes, parseTimestamptz, TIMESTAMPTZ_OID } from '../../src/timestamptz';

const pgParse = pg.types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (text: string) => Date | number;
const time = (value: Date | number) => (value instanceof Date ? value.getTime() : value);

describe('parseTimestamptz', () => {
  it('reads every ISO-style value as pg does: fractions of 0–6 digits, offsets of hours, minutes, seconds', () => {
    const offsets = ['+00', '-05', '+03', '+05:30', '+05:45', '-03:30', '+02:30:17', '-00:25:21', '+14', '-12'];
    let seed = 7;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    for (let i = 0; i < 5000; i++) {
      const fraction = next(7) === 0 ? '' : `.${pad(next(1_000_000), 6).slice(0, 1 + next(6))}`;
      const text =
        `${1000 + next(9000)}-${pad(1 + next(12))}-${pad(1 + next(28))} ` +
        `${pad(next(24))}:${pad(next(60))}:${pad(next(60))}${fraction}${offsets[next(offsets.length)]}`;
      expect([text, time(parseTimestamptz(text))]).toEqual([text, time(pgParse(text))]);
    }
  });

  it.each([
    'infinity',
    '-infinity',
    '0050-06-01 12:00:00+00',
    '0999-12-31 23:59:59.5+03',
    '2020-01-01 00:00:00+00 BC',
    '12345-01-01 00:00:00+00',
    '2027-01-05T19:00:00Z',
    '2027-01-05 19:00:00',
  ])('leaves %s to pg, with the same answer', (text) => {
    expect(time(parseTimestamptz(text))).toEqual(time(pgParse(text)));
  });

  it('is the parser of timestamptz in a pool, and only of it', () => {
    expect(databaseTypes.getTypeParser(TIMESTAMPTZ_OID, 'text')).toBe(parseTimestamptz);
    expect(databaseTypes.getTypeParser(1114, 'text')).toBe(pg.types.getTypeParser(1114, 'text'));
    expect(databaseTypes.getTypeParser(TIMESTAMPTZ_OID, 'binary')).toBe(
      pg.types.getTypeParser(TIMESTAMPTZ_OID, 'binary'),
    );
  });
});
