import { dutyMoments } from '../../src/domain/duty-times';
import type { DutySchedule } from '../../src/domain/records';
import { escapeText, foldLine, roomCalendar } from '../../src/domain/calendar-feed';

const TIMES = { deadline: '23:00', eveningReminder: '18:00', morningReminder: '09:00', sanctionInvitation: '09:00' };

function duty(id: string, date: string, version = 1): DutySchedule {
  return {
    id,
    rosterId: 'r',
    room: { roomId: 'room', building: '8', entrance: 1, floor: 3, number: '301' },
    dutyDate: date,
    month: date.slice(0, 7),
    status: 'pending',
    ...dutyMoments(date, TIMES, 'Europe/Moscow'),
    eveningRemindedAt: null,
    morningRemindedAt: null,
    overdueAt: null,
    version,
    createdAt: new Date('2026-02-20T10:00:00Z'),
    updatedAt: new Date('2026-02-21T11:12:13.456Z'),
  };
}

describe('iCalendar text', () => {
  test('TEXT values escape backslash, semicolon, comma and newlines', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  test('lines longer than 75 octets are folded with CRLF + space', () => {
    const line = `SUMMARY:${'x'.repeat(200)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts[0]).toHaveLength(75);
    for (const part of parts.slice(1)) {
      expect(part.startsWith(' ')).toBe(true);
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    }
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
    expect(foldLine('SHORT:line')).toBe('SHORT:line');
  });

  test('folding never cuts a multi-byte character and counts octets, not characters', () => {
    const line = `SUMMARY:${'—'.repeat(40)}`; // 8 + 120 octets
    const parts = foldLine(line).split('\r\n');
    expect(Buffer.byteLength(parts[0]!)).toBeLessThanOrEqual(75);
    expect(parts[0]).toBe(`SUMMARY:${'—'.repeat(22)}`); // 8 + 66 = 74; one more would be 77
    for (const part of parts) {
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
      expect(part).not.toContain('\uFFFD');
    }
    expect(parts.map((p, i) => (i ? p.slice(1) : p)).join('')).toBe(line);
  });
});

describe('roomCalendar', () => {
  const text = roomCalendar(
    { building: '8', number: '301' },
    [duty('aaaa', '2026-03-05', 3), duty('bbbb', '2026-03-31')],
    'duty.test',
    'Europe/Moscow',
  );
  const lines = text.split('\r\n');

  test('deadlines are written on the campus wall clock', () => {
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain('due by 23:00 (Europe/Moscow)');
  });

  test('a deadline a late rejection moved to the next day names that day', () => {
    const moved = { ...duty('cccc', '2026-03-05'), deadlineAt: new Date('2026-03-06T20:00:00.000Z') };
    const unfolded = roomCalendar({ building: '8', number: '301' }, [moved], 'duty.test', 'Europe/Moscow').replace(
      /\r\n /g,
      '',
    );
    expect(unfolded).toContain('due by 2026-03-06 23:00 (Europe/Moscow)');
    expect(unfolded).toContain('DTSTART;VALUE=DATE:20260305');
  });

  test('a VCALENDAR with CRLF line endings only', () => {
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain('VERSION:2.0');
    expect(lines.filter((l) => l.startsWith('PRODID:'))).toHaveLength(1);
    expect(lines[lines.length - 2]).toBe('END:VCALENDAR');
  });

  test('one all-day VEVENT per duty with UID, DTSTAMP, title and an alarm the evening before', () => {
    const events = text.split('BEGIN:VEVENT').slice(1);
    expect(events).toHaveLength(2);
    const first = events[0]!.split('\r\n');
    expect(first).toEqual(
      expect.arrayContaining([
        'UID:aaaa@duty.test',
        'DTSTAMP:20260221T111213Z',
        'DTSTART;VALUE=DATE:20260305',
        'DTEND;VALUE=DATE:20260306',
        'SUMMARY:Room duty — 8/301',
        'SEQUENCE:2',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        // 18:00 Moscow on 4 March
        'TRIGGER;VALUE=DATE-TIME:20260304T150000Z',
        'END:VALARM',
        'END:VEVENT',
      ]),
    );
    // the last day of a month ends on the first of the next
    expect(events[1]).toContain('DTEND;VALUE=DATE:20260401');
  });

  test('a room without duties is an empty calendar', () => {
    expect(roomCalendar({ building: '8', number: '301' }, [], 'd', 'Europe/Moscow')).not.toContain('VEVENT');
  });
});
