// A room's duties as an iCalendar feed (RFC 5545) for phone calendars: one all-day VEVENT per
// duty with an alarm the evening before. Pure text formatting: CRLF line endings, TEXT values
// escaped, lines folded at 75 octets.
import { localDate, wallClock } from '@campus/platform';
import { addDays } from './duty-times';
import type { DutySchedule } from './records';

export const ICAL_CONTENT_TYPE = 'text/calendar; charset=utf-8';

/** What a feed shows of a room. */
export interface FeedRoom {
  building: string;
  number: string;
}

/** The event title of a duty: "Room duty — 8/301". */
export const dutySummary = (room: FeedRoom): string => `Room duty — ${room.building}/${room.number}`;

/** RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * RFC 5545 §3.1: a content line longer than 75 octets is split, each continuation starting with a
 * space; a UTF-8 character is never cut in two.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // The first line holds 75 octets; a continuation line 74 after its leading space.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** A UTC instant as an iCalendar DATE-TIME: 20260301T150000Z. */
export const icalInstant = (at: Date): string =>
  at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** A date YYYY-MM-DD as an iCalendar DATE: 20260301. */
export const icalDate = (date: string): string => date.replace(/-/g, '');

const STATUS_TEXT: Record<DutySchedule['status'], string> = {
  pending: 'to do',
  report_submitted: 'report submitted',
  accepted: 'accepted',
  overdue: 'overdue',
};

/**
 * The feed of one room: its duties as all-day events (DTSTART;VALUE=DATE, DTEND the next day),
 * each with a display alarm at the duty's evening reminder (the day before). `UID` is the
 * schedule's id, so a moved duty updates its event; `DTSTAMP` is when the duty last changed and
 * `SEQUENCE` its revision.
 */
/** "23:00" on the campus wall clock. */
function campusClockTime(instant: Date, timeZone: string): string {
  const { hour, minute } = wallClock(instant, timeZone);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** The feed of `room`; deadlines are written in campus time (`timeZone`), as residents read them. */
export function roomCalendar(
  room: FeedRoom,
  duties: readonly DutySchedule[],
  uidDomain: string,
  timeZone: string,
): string {
  const summary = dutySummary(room);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Campus Sirius//Duty//EN',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escapeText(summary)}`,
  ];
  for (const duty of duties) {
    // A late rejection moves the deadline to the next day: then the feed names that day too.
    const deadlineDay = localDate(duty.deadlineAt, timeZone);
    const day = deadlineDay === duty.dutyDate ? '' : `${deadlineDay} `;
    const deadline = `${day}${campusClockTime(duty.deadlineAt, timeZone)} (${timeZone})`;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${duty.id}@${uidDomain}`,
      `DTSTAMP:${icalInstant(duty.updatedAt)}`,
      `DTSTART;VALUE=DATE:${icalDate(duty.dutyDate)}`,
      `DTEND;VALUE=DATE:${icalDate(addDays(duty.dutyDate, 1))}`,
      `SUMMARY:${escapeText(summary)}`,
      `DESCRIPTION:${escapeText(`Photo report of the kitchen and laundry due by ${deadline}. Status: ${STATUS_TEXT[duty.status]}.`)}`,
      `SEQUENCE:${duty.version - 1}`,
      'TRANSP:TRANSPARENT',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${escapeText(`Tomorrow: ${summary}`)}`,
      `TRIGGER;VALUE=DATE-TIME:${icalInstant(duty.eveningReminderAt)}`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
