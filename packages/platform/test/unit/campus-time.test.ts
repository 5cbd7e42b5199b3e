import { formattedWallClock, isCalendarDate, localDate, wallClock, zonedInstant } from '../../src/campus/campus-time';

/** The calendar date `day` days after 2026-01-01. */
const isoDay = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

describe('campus time', () => {
  describe('localDate', () => {
    it('is the Moscow calendar date, which runs 3 hours ahead of UTC all year', () => {
      expect(localDate(new Date('2026-03-14T20:59:59Z'), 'Europe/Moscow')).toBe('2026-03-14');
      expect(localDate(new Date('2026-03-14T21:00:00Z'), 'Europe/Moscow')).toBe('2026-03-15');
      expect(localDate(new Date('2026-07-14T21:00:00Z'), 'Europe/Moscow')).toBe('2026-07-15'); // no DST
    });

    it('follows a zone behind UTC across its DST change', () => {
      expect(localDate(new Date('2026-01-15T04:59:00Z'), 'America/New_York')).toBe('2026-01-14'); // UTC−5
      expect(localDate(new Date('2026-07-15T03:59:00Z'), 'America/New_York')).toBe('2026-07-14'); // UTC−4
      expect(localDate(new Date('2026-07-15T04:00:00Z'), 'America/New_York')).toBe('2026-07-15');
    });

    it('shows midnight as hour 0, never 24', () => {
      expect(wallClock(new Date('2026-03-14T21:00:00Z'), 'Europe/Moscow')).toMatchObject({
        day: 15,
        hour: 0,
        minute: 0,
      });
    });
  });

  describe('wallClock', () => {
    it.each([
      ['Europe/Moscow', '2026-03-14T00:00:00Z'],
      ['America/New_York', '2026-03-08T00:00:00Z'], // clocks forward at 07:00Z
      ['America/New_York', '2026-11-01T00:00:00Z'], // clocks back at 06:00Z
      ['Europe/Berlin', '2026-10-25T00:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T12:00:00Z'], // a half-hour DST change
      ['Asia/Kathmandu', '2026-06-01T00:00:00Z'], // UTC+5:45
    ])('tells the time in %s as the ICU formatter does, across a day from %s', (zone, from) => {
      // Every 7 min 13 s for 26 h, twice over (the second pass reads the kept offsets).
      for (let pass = 0; pass < 2; pass++) {
        for (let ms = Date.parse(from); ms < Date.parse(from) + 26 * 3_600_000; ms += 433_000) {
          const instant = new Date(ms + 999); // milliseconds are dropped, as the formatter drops them
          expect([instant.toISOString(), wallClock(instant, zone)]).toEqual([
            instant.toISOString(),
            formattedWallClock(instant, zone),
          ]);
        }
      }
    });

    it('refuses an invalid date as the formatter does', () => {
      expect(() => wallClock(new Date(NaN), 'Europe/Moscow')).toThrow(RangeError);
    });
  });

  describe('zonedInstant', () => {
    it('reads a Moscow wall time as UTC+3 in winter and summer alike', () => {
      expect(zonedInstant('2026-01-10', '22:00', 'Europe/Moscow').toISOString()).toBe('2026-01-10T19:00:00.000Z');
      expect(zonedInstant('2026-01-10', '22:00:30', 'Europe/Moscow').toISOString()).toBe('2026-01-10T19:00:30.000Z');
      expect(() => zonedInstant('2026-01-10', '22:00:60', 'Europe/Moscow')).toThrow(RangeError);
      expect(zonedInstant('2026-07-10', '22:00', 'Europe/Moscow').toISOString()).toBe('2026-07-10T19:00:00.000Z');
    });

    it('uses the offset in force on that date in a DST zone', () => {
      expect(zonedInstant('2026-01-10', '22:00', 'America/New_York').toISOString()).toBe('2026-01-11T03:00:00.000Z');
      expect(zonedInstant('2026-07-10', '22:00', 'America/New_York').toISOString()).toBe('2026-07-11T02:00:00.000Z');
      expect(zonedInstant('2026-07-10', '22:00', 'Asia/Kolkata').toISOString()).toBe('2026-07-10T16:30:00.000Z');
    });

    it('is right on the day of a DST change, away from the changed hour', () => {
      // New York springs forward on 2026-03-08 at 02:00 and falls back on 2026-11-01 at 02:00.
      expect(zonedInstant('2026-03-08', '22:00', 'America/New_York').toISOString()).toBe('2026-03-09T02:00:00.000Z');
      expect(zonedInstant('2026-11-01', '22:00', 'America/New_York').toISOString()).toBe('2026-11-02T03:00:00.000Z');
    });

    it('takes the first occurrence of an ambiguous time and shifts a skipped one forward', () => {
      expect(zonedInstant('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z'); // EDT
      expect(zonedInstant('2026-10-25', '01:30', 'Europe/London').toISOString()).toBe('2026-10-25T00:30:00.000Z'); // BST
      expect(zonedInstant('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
    });

    it('refuses malformed dates and times', () => {
      expect(() => zonedInstant('2026-02-30', '22:00', 'Europe/Moscow')).toThrow(RangeError);
      expect(() => zonedInstant('2026-02-10', '24:00', 'Europe/Moscow')).toThrow(RangeError);
    });

    it('answers a repeated question alike, with a Date of its own each time (answers are kept)', () => {
      const first = zonedInstant('2026-03-29', '02:30', 'Europe/Berlin'); // skipped: 03:30 CEST
      first.setTime(0);
      const again = zonedInstant('2026-03-29', '02:30', 'Europe/Berlin');
      expect(again.toISOString()).toBe('2026-03-29T01:30:00.000Z');
      expect(again).not.toBe(first);
      // The same date and time elsewhere is another question.
      expect(zonedInstant('2026-03-29', '02:30', 'Europe/Moscow').toISOString()).toBe('2026-03-28T23:30:00.000Z');
      // Past the bound the kept answers are dropped, never wrong.
      for (let day = 1; day <= 1100; day++) zonedInstant(isoDay(day), '22:00', 'Europe/Moscow');
      expect(zonedInstant('2026-03-29', '02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    });
  });

  it('knows real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
    expect(isCalendarDate('yesterday')).toBe(false);
  });
});
