import { DomainError } from '@campus/platform';
import type { BookingRules } from '../../src/domain/records';
import { assertBookable, assertSlotAllowed, type Slot } from '../../src/domain/slots';

const MOSCOW = 'Europe/Moscow'; // UTC+3, no DST
const RULES: BookingRules = { opensAt: '08:00', closesAt: '23:00', maxSlotMinutes: 240, maxDaysAhead: 14 };
// 2026-03-02 12:00 in Moscow.
const NOW = new Date('2026-03-02T09:00:00.000Z');

const slot = (startsAt: string, endsAt: string): Slot => ({ startsAt: new Date(startsAt), endsAt: new Date(endsAt) });

/** The code a slot is refused with, or 'ok'. */
function verdict(s: Slot, rules: BookingRules = RULES, now: Date = NOW, timeZone: string = MOSCOW): string {
  try {
    assertSlotAllowed(s, rules, { now, timeZone });
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('slot rules', () => {
  it('a slot must end after it starts', () => {
    expect(verdict(slot('2026-03-02T12:00:00+03:00', '2026-03-02T12:00:00+03:00'))).toBe('COWRK_SLOT_END_BEFORE_START');
    expect(verdict(slot('2026-03-02T13:00:00+03:00', '2026-03-02T12:00:00+03:00'))).toBe('COWRK_SLOT_END_BEFORE_START');
  });

  it('a slot may not start in the past (now is fine)', () => {
    expect(verdict(slot('2026-03-02T11:59:00+03:00', '2026-03-02T13:00:00+03:00'))).toBe('COWRK_SLOT_IN_PAST');
    expect(verdict(slot('2026-03-02T12:00:00+03:00', '2026-03-02T13:00:00+03:00'))).toBe('ok');
  });

  it('a slot lasts at most maxSlotMinutes, and says so', () => {
    expect(verdict(slot('2026-03-02T13:00:00+03:00', '2026-03-02T17:00:00+03:00'))).toBe('ok');
    expect(verdict(slot('2026-03-02T13:00:00+03:00', '2026-03-02T17:01:00+03:00'))).toBe('COWRK_SLOT_TOO_LONG');
    try {
      assertSlotAllowed(slot('2026-03-02T13:00:00+03:00', '2026-03-02T18:00:00+03:00'), RULES, {
        now: NOW,
        timeZone: MOSCOW,
      });
    } catch (error) {
      expect((error as DomainError).details).toMatchObject({ maxMinutes: 240 });
    }
  });

  it('a slot starts at most maxDaysAhead campus days after today', () => {
    expect(verdict(slot('2026-03-16T20:00:00+03:00', '2026-03-16T22:00:00+03:00'))).toBe('ok');
    expect(verdict(slot('2026-03-17T08:00:00+03:00', '2026-03-17T09:00:00+03:00'))).toBe('COWRK_SLOT_TOO_FAR_AHEAD');
  });

  it('"today" is the campus date, not the UTC one', () => {
    // 00:30 in Moscow on 2026-03-03 is still 2026-03-02 in UTC: the 17th is 14 campus days ahead.
    const afterMidnight = new Date('2026-03-02T21:30:00.000Z');
    expect(verdict(slot('2026-03-17T08:00:00+03:00', '2026-03-17T09:00:00+03:00'), RULES, afterMidnight)).toBe('ok');
    // 23:30 in Moscow on the 2nd: the 17th is 15 days ahead.
    const beforeMidnight = new Date('2026-03-02T20:30:00.000Z');
    expect(verdict(slot('2026-03-17T08:00:00+03:00', '2026-03-17T09:00:00+03:00'), RULES, beforeMidnight)).toBe(
      'COWRK_SLOT_TOO_FAR_AHEAD',
    );
  });

  describe('opening hours 08:00–23:00', () => {
    it.each([
      ['08:00', '09:00', 'ok'],
      ['21:00', '23:00', 'ok'],
      ['07:30', '08:30', 'COWRK_OUTSIDE_OPENING_HOURS'],
      ['22:30', '23:30', 'COWRK_OUTSIDE_OPENING_HOURS'],
    ])('%s–%s → %s', (from, to, expected) => {
      expect(verdict(slot(`2026-03-03T${from}:00+03:00`, `2026-03-03T${to}:00+03:00`))).toBe(expected);
    });

    it('a slot running past midnight is outside', () => {
      expect(verdict(slot('2026-03-03T22:00:00+03:00', '2026-03-04T00:30:00+03:00'))).toBe(
        'COWRK_OUTSIDE_OPENING_HOURS',
      );
    });

    it('says the hours in details', () => {
      try {
        assertSlotAllowed(slot('2026-03-03T06:00:00+03:00', '2026-03-03T07:00:00+03:00'), RULES, {
          now: NOW,
          timeZone: MOSCOW,
        });
        throw new Error('not refused');
      } catch (error) {
        expect((error as DomainError).details).toMatchObject({ opensAt: '08:00', closesAt: '23:00', timeZone: MOSCOW });
      }
    });
  });

  describe('closing at 24:00', () => {
    const rules = { ...RULES, closesAt: '24:00' };
    it('a slot may end exactly at midnight, not after', () => {
      expect(verdict(slot('2026-03-03T22:00:00+03:00', '2026-03-04T00:00:00+03:00'), rules)).toBe('ok');
      expect(verdict(slot('2026-03-03T23:30:00+03:00', '2026-03-04T00:30:00+03:00'), rules)).toBe(
        'COWRK_OUTSIDE_OPENING_HOURS',
      );
      expect(verdict(slot('2026-03-04T00:00:00+03:00', '2026-03-04T01:00:00+03:00'), rules)).toBe(
        'COWRK_OUTSIDE_OPENING_HOURS',
      );
    });
  });

  describe('hours running past midnight (18:00–02:00)', () => {
    const rules = { ...RULES, opensAt: '18:00', closesAt: '02:00' };
    it.each([
      ['2026-03-03T23:00', '2026-03-04T01:00', 'ok'],
      ['2026-03-04T00:30', '2026-03-04T02:00', 'ok'], // the window that opened on the 3rd
      ['2026-03-04T01:30', '2026-03-04T02:30', 'COWRK_OUTSIDE_OPENING_HOURS'],
      ['2026-03-04T03:00', '2026-03-04T04:00', 'COWRK_OUTSIDE_OPENING_HOURS'],
      ['2026-03-03T17:00', '2026-03-03T18:30', 'COWRK_OUTSIDE_OPENING_HOURS'],
    ])('%s–%s → %s', (from, to, expected) => {
      expect(verdict(slot(`${from}:00+03:00`, `${to}:00+03:00`), rules)).toBe(expected);
    });
  });

  describe('in another time zone (America/New_York, DST from 2026-03-08)', () => {
    const NY = 'America/New_York';
    it('the hours are read on that wall clock', () => {
      // 13:00Z is 08:00 EST (open) but 16:00 in Moscow; 12:30Z is 07:30 EST (closed).
      expect(verdict(slot('2026-03-03T13:00:00Z', '2026-03-03T14:00:00Z'), RULES, NOW, NY)).toBe('ok');
      expect(verdict(slot('2026-03-03T12:30:00Z', '2026-03-03T13:30:00Z'), RULES, NOW, NY)).toBe(
        'COWRK_OUTSIDE_OPENING_HOURS',
      );
      expect(verdict(slot('2026-03-03T12:30:00Z', '2026-03-03T13:30:00Z'), RULES, NOW, MOSCOW)).toBe('ok');
    });

    it('follows the DST change', () => {
      // After the change 12:00Z is 08:00 EDT (open); before it, 07:00 EST (closed).
      expect(verdict(slot('2026-03-09T12:00:00Z', '2026-03-09T13:00:00Z'), RULES, NOW, NY)).toBe('ok');
      expect(verdict(slot('2026-03-06T12:00:00Z', '2026-03-06T13:00:00Z'), RULES, NOW, NY)).toBe(
        'COWRK_OUTSIDE_OPENING_HOURS',
      );
      // 23:00 EDT = 03:00Z next day: a slot ending then is within, 03:30Z is not.
      expect(verdict(slot('2026-03-10T01:00:00Z', '2026-03-10T03:00:00Z'), RULES, NOW, NY)).toBe('ok');
      expect(verdict(slot('2026-03-10T01:00:00Z', '2026-03-10T03:30:00Z'), RULES, NOW, NY)).toBe(
        'COWRK_OUTSIDE_OPENING_HOURS',
      );
    });
  });
});

describe('assertBookable', () => {
  it('refuses an unavailable coworking, naming it', () => {
    expect(() => assertBookable({ id: 'c1', available: true })).not.toThrow();
    try {
      assertBookable({ id: 'c1', available: false });
      throw new Error('not refused');
    } catch (error) {
      expect((error as DomainError).code).toBe('COWRK_UNAVAILABLE_COWORKING');
      expect((error as DomainError).details).toEqual({ coworkingId: 'c1' });
    }
  });
});
