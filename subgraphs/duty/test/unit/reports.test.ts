import { TestClock } from '@campus/testkit';
import { dutyMoments } from '../../src/domain/duty-times';
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_REPORT } from '../../src/domain/limits';
import type { ChecklistCategory, DutyReport, DutySchedule, DutyStatus, ReportPhoto } from '../../src/domain/records';
import {
  REQUIRED_CATEGORIES,
  assertComplete,
  assertPhotoFits,
  assertReportable,
  assertReviewable,
  checkPhotoSize,
  missingCategories,
  openDraft,
  photoFormatOf,
  rejectionReason,
} from '../../src/domain/reports';

const TZ = 'Europe/Moscow';
const TIMES = { deadline: '23:00', eveningReminder: '18:00', morningReminder: '09:00', sanctionInvitation: '09:00' };

function duty(date: string, status: DutyStatus = 'pending'): DutySchedule {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    rosterId: '22222222-2222-4222-8222-222222222222',
    room: { roomId: '33333333-3333-4333-8333-333333333333', building: '8', entrance: 1, floor: 3, number: '301' },
    dutyDate: date,
    month: date.slice(0, 7),
    status,
    ...dutyMoments(date, TIMES, TZ),
    eveningRemindedAt: null,
    morningRemindedAt: null,
    overdueAt: null,
    version: 1,
    createdAt: new Date('2026-02-20T00:00:00Z'),
    updatedAt: new Date('2026-02-20T00:00:00Z'),
  };
}

const photo = (category: ChecklistCategory, i = 0): ReportPhoto => ({
  id: `p-${category}-${i}`,
  reportId: 'r1',
  category,
  contentType: 'image/jpeg',
  sizeBytes: 1000,
  storageKey: `photos/x/${i}.jpg`,
  uploadedBy: 'u1',
  uploadedAt: new Date('2026-03-01T10:00:00Z'),
});

const report = (status: DutyReport['status'], photos: ReportPhoto[] = []): DutyReport => ({
  id: `r-${status}`,
  scheduleId: 's1',
  status,
  photos,
  submittedBy: null,
  submittedAt: null,
  reviewedBy: null,
  reviewedAt: null,
  rejectionReason: null,
  createdAt: new Date('2026-03-01T10:00:00Z'),
});

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
};

describe('the checklist', () => {
  test('every category but kitchen_appliances is required', () => {
    expect(REQUIRED_CATEGORIES).toHaveLength(9);
    expect(REQUIRED_CATEGORIES).not.toContain('kitchen_appliances');
    expect(missingCategories([photo('kitchen_appliances'), photo('kitchen_stove'), photo('kitchen_stove', 1)])).toEqual(
      REQUIRED_CATEGORIES.filter((c) => c !== 'kitchen_stove'),
    );
    expect(missingCategories(REQUIRED_CATEGORIES.map((c) => photo(c)))).toEqual([]);
  });

  test('submitting needs every required category; details.missing names them as the API does', () => {
    expect(failure(() => assertComplete(null))).toMatchObject({
      code: 'DUTY_REPORT_INCOMPLETE',
      details: { missing: REQUIRED_CATEGORIES.map((c) => c.toUpperCase()) },
    });
    const partial = report(
      'draft',
      REQUIRED_CATEGORIES.filter((c) => c !== 'lights_off' && c !== 'kitchen_sink').map((c) => photo(c)),
    );
    expect(failure(() => assertComplete(partial))).toMatchObject({
      code: 'DUTY_REPORT_INCOMPLETE',
      details: { missing: ['KITCHEN_SINK', 'LIGHTS_OFF'] },
    });
    const complete = report(
      'draft',
      REQUIRED_CATEGORIES.map((c) => photo(c)),
    );
    expect(assertComplete(complete)).toBe(complete);
  });

  test('photos go to the latest report only while it is a draft; a report holds at most MAX photos', () => {
    expect(openDraft([])).toBeNull();
    expect(openDraft([report('rejected')])).toBeNull();
    const draft = report('draft');
    expect(openDraft([report('rejected'), draft])).toBe(draft);
    expect(() => assertPhotoFits(null)).not.toThrow();
    const full = report(
      'draft',
      Array.from({ length: MAX_PHOTOS_PER_REPORT }, (_, i) => photo('kitchen_general', i)),
    );
    expect(() => assertPhotoFits({ ...full, photos: full.photos.slice(1) })).not.toThrow();
    expect(failure(() => assertPhotoFits(full))).toMatchObject({
      code: 'DUTY_TOO_MANY_PHOTOS',
      details: { max: MAX_PHOTOS_PER_REPORT },
    });
  });
});

describe('photo files, judged from their bytes', () => {
  test('JPEG and PNG only', () => {
    expect(photoFormatOf({ ext: 'jpg', mime: 'image/jpeg' })).toEqual({ ext: 'jpg', contentType: 'image/jpeg' });
    expect(photoFormatOf({ ext: 'png', mime: 'image/png' })).toEqual({ ext: 'png', contentType: 'image/png' });
    expect(failure(() => photoFormatOf({ ext: 'pdf', mime: 'application/pdf' }))).toMatchObject({
      code: 'DUTY_PHOTO_TYPE_NOT_ALLOWED',
      details: { detected: 'application/pdf', allowed: ['image/jpeg', 'image/png'] },
    });
    expect(failure(() => photoFormatOf(undefined))).toMatchObject({
      code: 'DUTY_PHOTO_TYPE_NOT_ALLOWED',
      details: { detected: null },
    });
  });

  test('not empty, at most 5 MB', () => {
    expect(MAX_PHOTO_BYTES).toBe(5 * 1024 * 1024);
    expect(() => checkPhotoSize(MAX_PHOTO_BYTES)).not.toThrow();
    expect(failure(() => checkPhotoSize(0))).toMatchObject({ code: 'DUTY_PHOTO_EMPTY' });
    expect(failure(() => checkPhotoSize(MAX_PHOTO_BYTES + 1))).toMatchObject({
      code: 'DUTY_PHOTO_TOO_LARGE',
      kind: 'TOO_LARGE',
      details: { maxBytes: MAX_PHOTO_BYTES, sizeBytes: MAX_PHOTO_BYTES + 1 },
    });
  });
});

describe('when a room may report (campus time, Europe/Moscow = UTC+3)', () => {
  const clock = new TestClock('2026-03-01T07:00:00Z'); // 10:00 in Moscow
  const at = (iso: string) => {
    clock.set(iso);
    return { now: clock.now(), timeZone: TZ };
  };

  test('on the duty day before 23:00', () => {
    expect(() => assertReportable(duty('2026-03-01'), at('2026-03-01T07:00:00Z'))).not.toThrow();
    expect(() => assertReportable(duty('2026-03-01'), at('2026-03-01T19:59:59.999Z'))).not.toThrow();
  });

  test('not the day before, nor the day after (00:30 Moscow is already the next day)', () => {
    expect(failure(() => assertReportable(duty('2026-03-02'), at('2026-03-01T07:00:00Z')))).toMatchObject({
      code: 'DUTY_NOT_DUTY_DAY',
      details: { dutyDate: '2026-03-02', today: '2026-03-01' },
    });
    // 21:30 UTC on 1 March is 00:30 on 2 March in Moscow
    expect(failure(() => assertReportable(duty('2026-03-01'), at('2026-03-01T21:30:00Z')))).toMatchObject({
      code: 'DUTY_NOT_DUTY_DAY',
      details: { today: '2026-03-02' },
    });
  });

  test('not from 23:00 on', () => {
    expect(failure(() => assertReportable(duty('2026-03-01'), at('2026-03-01T20:00:00Z')))).toMatchObject({
      code: 'DUTY_DEADLINE_PASSED',
      details: { deadlineAt: '2026-03-01T20:00:00.000Z' },
    });
  });

  test('after a late rejection, the next day too, until the moved deadline', () => {
    // rejected after 23:00: the deadline moved to 23:00 on 2 March (20:00Z)
    const moved = { ...duty('2026-03-01'), deadlineAt: new Date('2026-03-02T20:00:00.000Z') };
    expect(() => assertReportable(moved, at('2026-03-01T20:30:00Z'))).not.toThrow(); // 23:30 on the duty day
    expect(() => assertReportable(moved, at('2026-03-02T07:00:00Z'))).not.toThrow();
    expect(() => assertReportable(moved, at('2026-03-02T19:59:59.999Z'))).not.toThrow();
    expect(failure(() => assertReportable(moved, at('2026-03-02T20:00:00Z')))).toMatchObject({
      code: 'DUTY_DEADLINE_PASSED',
      details: { deadlineAt: '2026-03-02T20:00:00.000Z' },
    });
    expect(failure(() => assertReportable(moved, at('2026-03-02T21:30:00Z')))).toMatchObject({
      code: 'DUTY_NOT_DUTY_DAY',
      details: { dutyDate: '2026-03-01', today: '2026-03-03' },
    });
    // still never before the duty day
    const early = { ...duty('2026-03-02'), deadlineAt: new Date('2026-03-03T20:00:00.000Z') };
    expect(failure(() => assertReportable(early, at('2026-03-01T07:00:00Z')))).toMatchObject({
      code: 'DUTY_NOT_DUTY_DAY',
    });
  });

  test.each(['report_submitted', 'accepted', 'overdue'] as const)('not once the duty is %s', (status) => {
    expect(failure(() => assertReportable(duty('2026-03-01', status), at('2026-03-01T07:00:00Z')))).toMatchObject({
      code: 'DUTY_DUTY_CLOSED',
      details: { status: status.toUpperCase() },
    });
  });
});

describe('review', () => {
  test('only the latest report, and only once submitted', () => {
    const submitted = report('submitted');
    expect(assertReviewable(submitted)).toBe(submitted);
    for (const [latest, status, message] of [
      [null, null, 'No report has been submitted for this duty yet'],
      [report('draft'), 'DRAFT', 'The report is still a draft; only a submitted report is accepted or rejected'],
      [
        report('accepted'),
        'ACCEPTED',
        'The report is already accepted; only a submitted report is accepted or rejected',
      ],
      [
        report('rejected'),
        'REJECTED',
        'The report is already rejected; only a submitted report is accepted or rejected',
      ],
    ] as const) {
      expect(failure(() => assertReviewable(latest))).toMatchObject({
        code: 'DUTY_REPORT_NOT_SUBMITTED',
        message,
        details: { status },
      });
    }
  });

  test('a rejection needs a reason (trimmed)', () => {
    expect(rejectionReason('  Dirty stove \n')).toBe('Dirty stove');
    expect(failure(() => rejectionReason(' \n '))).toMatchObject({ code: 'DUTY_REJECTION_REASON_REQUIRED' });
  });
});
