import { DomainError } from '@campus/platform';
import { startPatrolSchema } from '../../src/schemas/patrol';
import { PatrolErrors } from '../../src/domain/errors';
import type { EntryRecord } from '../../src/domain/patrol';
import {
  assertAllChecked,
  assertInProgress,
  assertStartAllowed,
  compareEntries,
  eveningOf,
  markOf,
  patrolTimeOf,
  progressOf,
  visibleReason,
} from '../../src/domain/rules';
import { caller } from '../support/fakes';

const moscow = { timeZone: 'Europe/Moscow', earliestStart: '22:00' };
const newYork = { timeZone: 'America/New_York', earliestStart: '22:00' };

/** The error code a call throws (or "ok"). */
function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

function entry(overrides: Partial<EntryRecord> = {}): EntryRecord {
  return {
    id: 'e1',
    patrolId: 'p1',
    studentId: 's1',
    fullName: 'Иванов Иван',
    room: '301',
    status: 'unchecked',
    reason: null,
    leaveApplicationId: null,
    leaveReason: null,
    addedManually: false,
    checkedBy: null,
    checkedAt: null,
    ...overrides,
  };
}

describe('the start window (campus time)', () => {
  it('refuses today before 22:00 Moscow time and allows it from 22:00', () => {
    expect(outcome(() => assertStartAllowed('2026-03-14', new Date('2026-03-14T18:59:59Z'), moscow))).toBe(
      PatrolErrors.codes.TOO_EARLY,
    );
    expect(outcome(() => assertStartAllowed('2026-03-14', new Date('2026-03-14T19:00:00Z'), moscow))).toBe('ok');
    expect(outcome(() => assertStartAllowed('2026-03-14', new Date('2026-03-14T20:59:00Z'), moscow))).toBe('ok');
  });

  it('says when the patrol may start', () => {
    try {
      assertStartAllowed('2026-03-14', new Date('2026-03-14T10:00:00Z'), moscow);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toMatchObject({
        code: 'PATROL_TOO_EARLY',
        details: { earliestStart: '22:00', timeZone: 'Europe/Moscow' },
      });
    }
  });

  it('allows a past evening at any time, including just after midnight', () => {
    // 00:30 Moscow on the 15th: the evening of the 14th is now "yesterday".
    expect(outcome(() => assertStartAllowed('2026-03-14', new Date('2026-03-14T21:30:00Z'), moscow))).toBe('ok');
    expect(outcome(() => assertStartAllowed('2026-03-01', new Date('2026-03-14T06:00:00Z'), moscow))).toBe('ok');
  });

  it('treats the new Moscow day as today even while UTC is still on the previous date', () => {
    // 2026-03-14T21:30Z is 00:30 on the 15th in Moscow: the 15th is today, its 22:00 is far away.
    expect(outcome(() => assertStartAllowed('2026-03-15', new Date('2026-03-14T21:30:00Z'), moscow))).toBe(
      PatrolErrors.codes.TOO_EARLY,
    );
  });

  it('refuses a future date', () => {
    expect(outcome(() => assertStartAllowed('2026-03-15', new Date('2026-03-14T20:00:00Z'), moscow))).toBe(
      PatrolErrors.codes.DATE_IN_FUTURE,
    );
  });

  it('decides in the configured zone, not in UTC or the server zone', () => {
    // 2026-07-15T01:30Z is 21:30 on the 14th in New York (EDT): today, too early.
    expect(outcome(() => assertStartAllowed('2026-07-14', new Date('2026-07-15T01:30:00Z'), newYork))).toBe(
      PatrolErrors.codes.TOO_EARLY,
    );
    expect(outcome(() => assertStartAllowed('2026-07-15', new Date('2026-07-15T01:30:00Z'), newYork))).toBe(
      PatrolErrors.codes.DATE_IN_FUTURE,
    );
    expect(outcome(() => assertStartAllowed('2026-07-14', new Date('2026-07-15T02:00:00Z'), newYork))).toBe('ok');
  });

  it('honours a configured earliest start', () => {
    const early = { timeZone: 'Europe/Moscow', earliestStart: '21:30' };
    expect(outcome(() => assertStartAllowed('2026-03-14', new Date('2026-03-14T18:30:00Z'), early))).toBe('ok');
  });

  it('places an evening at its earliest start time on the campus clock', () => {
    expect(eveningOf('2026-03-14', moscow).toISOString()).toBe('2026-03-14T19:00:00.000Z');
    expect(eveningOf('2026-03-14', newYork).toISOString()).toBe('2026-03-15T02:00:00.000Z');
  });

  it('checks leaves when the patrol starts during its night, a past evening caught up later at its start', () => {
    const at = (iso: string) => patrolTimeOf('2026-03-14', new Date(iso), moscow).toISOString();
    expect(at('2026-03-14T20:15:00.000Z')).toBe('2026-03-14T20:15:00.000Z'); // 23:15
    expect(at('2026-03-14T22:30:00.000Z')).toBe('2026-03-14T22:30:00.000Z'); // 01:30 the next day
    expect(at('2026-03-15T02:59:59.000Z')).toBe('2026-03-15T02:59:59.000Z'); // 05:59:59
    expect(at('2026-03-15T03:00:00.000Z')).toBe('2026-03-14T19:00:00.000Z'); // 06:00: the night is over
    expect(at('2026-03-20T12:00:00.000Z')).toBe('2026-03-14T19:00:00.000Z'); // days later
  });
});

describe('the reason rule', () => {
  const at = new Date('2026-03-14T19:30:00Z');

  it('clears the reason of a student found present', () => {
    expect(markOf(entry({ status: 'absent', reason: 'ill' }), true, 'ignored', 'u1', at)).toEqual({
      status: 'present',
      reason: null,
      checkedBy: 'u1',
      checkedAt: at,
    });
  });

  it('needs a reason for an absence not covered by a leave', () => {
    expect(outcome(() => markOf(entry(), false, null, 'u1', at))).toBe(PatrolErrors.codes.REASON_REQUIRED);
    expect(outcome(() => markOf(entry(), false, '   ', 'u1', at))).toBe(PatrolErrors.codes.REASON_REQUIRED);
    expect(markOf(entry(), false, ' at the clinic ', 'u1', at)).toMatchObject({
      status: 'absent',
      reason: 'at the clinic',
    });
  });

  it('takes the leave’s reason when a leave covers the evening, unless another is given', () => {
    const covered = entry({ leaveApplicationId: 'l1', leaveReason: 'home for the weekend' });
    expect(markOf(covered, false, null, 'u1', at)).toMatchObject({ status: 'absent', reason: 'home for the weekend' });
    expect(markOf(covered, false, 'at the hospital', 'u1', at)).toMatchObject({ reason: 'at the hospital' });
  });
});

describe("who reads an entry's reason", () => {
  const patrolStudent = caller(['student', 'student_patrol'], { building: '8', entrance: 1 });
  const educator = caller(['educator']);
  const admin = caller(['admin']);
  const fromLeave = entry({ status: 'absent', reason: 'к врачу', leaveApplicationId: 'l1', leaveReason: 'к врачу' });

  it("shows a leave's own words to staff only (leave hides them from everybody else)", () => {
    expect(visibleReason(educator, fromLeave)).toBe('к врачу');
    expect(visibleReason(admin, fromLeave)).toBe('к врачу');
    expect(visibleReason(patrolStudent, fromLeave)).toBe('Approved leave');
  });

  it('shows a reason the patrol wrote to the patrol, and no reason where there is none', () => {
    const rewritten = { ...fromLeave, reason: 'не вернулся к 22:00' };
    expect(visibleReason(patrolStudent, rewritten)).toBe('не вернулся к 22:00');
    expect(visibleReason(patrolStudent, entry({ status: 'absent', reason: 'на олимпиаде' }))).toBe('на олимпиаде');
    expect(visibleReason(patrolStudent, entry())).toBeNull();
  });
});

describe('the completion guard', () => {
  it('refuses while any entry is unchecked and names them', () => {
    const entries = [
      entry({ id: 'a', status: 'present' }),
      entry({ id: 'b' }),
      entry({ id: 'c', status: 'absent', reason: 'x' }),
    ];
    try {
      assertAllChecked('p1', entries);
      throw new Error('expected a refusal');
    } catch (error) {
      expect(error).toMatchObject({
        code: 'PATROL_NOT_ALL_CHECKED',
        details: { unchecked: 1, uncheckedEntryIds: ['b'] },
      });
    }
  });

  it('allows completion when everything is checked, or the list is empty', () => {
    expect(outcome(() => assertAllChecked('p1', [entry({ status: 'present' }), entry({ status: 'absent' })]))).toBe(
      'ok',
    );
    expect(outcome(() => assertAllChecked('p1', []))).toBe('ok');
  });

  it('treats a completed patrol as final', () => {
    const evening = new Date('2026-03-14T19:00:00Z');
    const patrol = {
      id: 'p1',
      date: '2026-03-14',
      building: '8',
      entrance: 1,
      eveningAt: evening,
      startedBy: 'u',
      startedAt: evening,
      completedBy: null,
      completedAt: null,
    };
    expect(outcome(() => assertInProgress({ ...patrol, status: 'in_progress' }))).toBe('ok');
    expect(outcome(() => assertInProgress({ ...patrol, status: 'completed' }))).toBe(
      PatrolErrors.codes.ALREADY_COMPLETED,
    );
  });
});

describe('progress and order', () => {
  it('counts checked, present and absent entries', () => {
    expect(
      progressOf([{ status: 'present' }, { status: 'absent' }, { status: 'unchecked' }, { status: 'present' }]),
    ).toEqual({
      total: 4,
      checked: 3,
      present: 2,
      absent: 1,
    });
  });

  it('orders entries by room (numerically), then name, rooms unknown last', () => {
    const list = [
      entry({ id: '1', room: '1012', fullName: 'А' }),
      entry({ id: '2', room: null, fullName: 'Б' }),
      entry({ id: '3', room: '301', fullName: 'Я' }),
      entry({ id: '4', room: '301', fullName: 'Б' }),
    ];
    expect(list.sort(compareEntries).map((e) => e.id)).toEqual(['4', '3', '1', '2']);
  });
});

describe('startPatrolSchema', () => {
  it('takes a building code as long as identity lets an admin create (20 characters)', () => {
    const building = 'Восточный-корпус-12А';
    expect(startPatrolSchema.parse({ building, entrance: 1, date: '2026-12-01' })).toEqual({
      building,
      entrance: 1,
      date: '2026-12-01',
    });
  });
});
