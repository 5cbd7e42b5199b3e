import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventContracts, validateEvent } from '../../src/events';
import type { CampusEventType, EventDataByType } from '../../src/generated-events';

const SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'generate-events.js');
const COMMITTED = path.resolve(__dirname, '..', '..', 'src', 'generated-events.ts');

/** T with every optional field made required, deeply: a sample must spell out every field the type knows. */
type Complete<T> = T extends (infer U)[] ? Complete<U>[] : T extends object ? { [K in keyof T]-?: Complete<T[K]> } : T;

// One complete sample per event, typed with the generated types. A field the type has and the schema
// lacks (or the reverse) makes validateEvent fail; an event without a sample fails tsc.
const APPLICATION = '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a01';
const STUDENT = '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a02';
const EDUCATOR = '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a03';
const residence = { building: 'A', entrance: 2, floor: 3, room: '305' };
const SCHEDULE = '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a06';
const ROOM = '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a07';
const SANCTION = '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a08';
const REPORT = '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a09';
const CHECKOUT = '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a0d';
const BATCH = '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a0e';
const checkoutStudent = {
  checkoutId: CHECKOUT,
  batchId: BATCH,
  studentId: STUDENT,
  studentName: 'Petrov Ivan',
  requestedBy: EDUCATOR,
  reason: 'End of the session',
};
const dutyRoom = { scheduleId: SCHEDULE, roomId: ROOM, building: 'A', entrance: 2, roomNumber: '305' };
const swap = (status: 'requested' | 'accepted' | 'declined' | 'approved' | 'rejected' | 'cancelled') => ({
  swapId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a0a',
  status,
  building: 'A',
  entrance: 2,
  fromScheduleId: SCHEDULE,
  toScheduleId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a0b',
  fromRoomId: ROOM,
  toRoomId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a0c',
  fromRoomNumber: '305',
  toRoomNumber: '306',
  fromDate: '2026-12-10',
  toDate: '2026-12-12',
  actorId: STUDENT,
  reason: status === 'declined' ? 'Exams' : null,
  fromResidentIds: [STUDENT],
  toResidentIds: ['0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a0d'],
});
const booking = (
  status:
    | 'pending'
    | 'approved'
    | 'rejected'
    | 'key_taken'
    | 'key_return_requested'
    | 'key_returned'
    | 'completed'
    | 'cancelled',
  step: {
    actorId?: string | null;
    reason?: string | null;
    checkoutId?: string | null;
    nightReminderCount?: number;
  } = {},
) => ({
  bookingId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a10',
  coworkingId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a11',
  coworkingName: 'Коворкинг 1',
  building: 'A',
  studentId: STUDENT,
  startsAt: '2026-12-05T15:00:00.000Z',
  endsAt: '2026-12-05T17:00:00.000Z',
  status,
  actorId: step.actorId === undefined ? EDUCATOR : step.actorId,
  reason: step.reason ?? null,
  checkoutId: step.checkoutId ?? null,
  nightReminderCount: step.nightReminderCount ?? 0,
  at: '2026-12-05T14:00:00.000Z',
});
const samples: { [T in CampusEventType]: Complete<EventDataByType[T]> } = {
  'campus.coworking.booking.requested.v1': booking('pending', { actorId: STUDENT }),
  'campus.coworking.booking.approved.v1': booking('approved'),
  'campus.coworking.booking.rejected.v1': booking('rejected', { reason: 'Room is being cleaned' }),
  'campus.coworking.booking.cancelled.v1': booking('cancelled', {
    actorId: null,
    checkoutId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a12',
  }),
  'campus.coworking.booking.key_taken.v1': booking('key_taken'),
  'campus.coworking.booking.key_return_requested.v1': booking('key_return_requested'),
  'campus.coworking.booking.key_returned.v1': booking('key_returned', { actorId: STUDENT }),
  'campus.coworking.booking.completed.v1': booking('completed'),
  'campus.coworking.booking.night_reminder.v1': booking('key_taken', { actorId: null, nightReminderCount: 2 }),
  'campus.coworking.booking.restored.v1': booking('approved', {
    actorId: null,
    checkoutId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a12',
  }),
  'campus.coworking.booking.expired.v1': {
    ...booking('approved', { actorId: null }),
    status: 'expired',
    previousStatus: 'approved',
  },
  'campus.duty.roster.generated.v1': {
    rosterId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a0e',
    building: 'A',
    entrance: 2,
    month: '2026-12',
    generatedBy: EDUCATOR,
    duties: [{ scheduleId: SCHEDULE, roomId: ROOM, roomNumber: '305', dutyDate: '2026-12-10' }],
  },
  'campus.duty.schedule.moved.v1': {
    ...dutyRoom,
    fromDate: '2026-12-10',
    toDate: '2026-12-11',
    movedBy: EDUCATOR,
    residentIds: [STUDENT],
  },
  'campus.duty.schedule.reminder_due.v1': {
    ...dutyRoom,
    dutyDate: '2026-12-10',
    deadlineAt: '2026-12-10T20:00:00.000Z',
    when: 'tomorrow',
    residentIds: [STUDENT],
  },
  'campus.duty.schedule.overdue.v1': {
    ...dutyRoom,
    dutyDate: '2026-12-10',
    deadlineAt: '2026-12-10T20:00:00.000Z',
    residentIds: [STUDENT],
    sanctionIds: [SANCTION],
  },
  'campus.duty.report.submitted.v1': {
    ...dutyRoom,
    reportId: REPORT,
    dutyDate: '2026-12-10',
    submittedBy: STUDENT,
    photoCount: 9,
  },
  'campus.duty.report.accepted.v1': {
    ...dutyRoom,
    reportId: REPORT,
    dutyDate: '2026-12-10',
    reviewedBy: EDUCATOR,
    residentIds: [STUDENT],
  },
  'campus.duty.report.rejected.v1': {
    ...dutyRoom,
    reportId: REPORT,
    dutyDate: '2026-12-10',
    reviewedBy: EDUCATOR,
    residentIds: [STUDENT],
    reason: 'The stove is not clean',
    resubmitBy: '2026-12-11T20:00:00.000Z',
  },
  'campus.duty.sanction.created.v1': {
    ...dutyRoom,
    sanctionId: SANCTION,
    userId: STUDENT,
    dutyDate: '2026-12-10',
    invitedAt: '2026-12-11T06:00:00.000Z',
  },
  'campus.duty.sanction.resolved.v1': {
    sanctionId: SANCTION,
    scheduleId: SCHEDULE,
    userId: STUDENT,
    roomNumber: '305',
    dutyDate: '2026-12-10',
    resolvedBy: EDUCATOR,
    note: 'Talked it through',
    checkoutId: null,
  },
  'campus.duty.sanction.reopened.v1': {
    sanctionId: SANCTION,
    scheduleId: SCHEDULE,
    userId: STUDENT,
    roomNumber: '305',
    dutyDate: '2026-12-10',
    checkoutId: CHECKOUT,
  },
  'campus.duty.swap.requested.v1': swap('requested'),
  'campus.duty.swap.accepted.v1': swap('accepted'),
  'campus.duty.swap.declined.v1': swap('declined'),
  'campus.duty.swap.approved.v1': swap('approved'),
  'campus.duty.swap.rejected.v1': swap('rejected'),
  'campus.duty.swap.cancelled.v1': { ...swap('cancelled'), previousStatus: 'accepted' },
  'campus.leave.application.submitted.v1': {
    applicationId: APPLICATION,
    applicantId: STUDENT,
    leaveAt: '2026-12-05T09:00:00.000Z',
    returnAt: '2026-12-06T18:00:00.000Z',
    reason: 'Family visit',
    contactPhone: '+79001234567',
    isMinor: true,
    residence,
  },
  'campus.leave.application.document_attached.v1': {
    applicationId: APPLICATION,
    documentId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a04',
    kind: 'voice_message',
    contentType: 'audio/ogg',
    sizeBytes: 2048,
    durationSeconds: 12.5,
    attachedBy: STUDENT,
  },
  'campus.leave.application.document_removed.v1': {
    applicationId: APPLICATION,
    documentId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a04',
    removedBy: STUDENT,
  },
  'campus.leave.application.approved.v1': {
    applicationId: APPLICATION,
    applicantId: STUDENT,
    decidedBy: EDUCATOR,
    leaveAt: '2026-12-05T09:00:00.000Z',
    returnAt: '2026-12-06T18:00:00.000Z',
    isMinor: false,
    residence: null,
  },
  'campus.leave.application.rejected.v1': {
    applicationId: APPLICATION,
    applicantId: STUDENT,
    decidedBy: EDUCATOR,
    reason: 'Exams that weekend',
  },
  'campus.leave.application.withdrawn.v1': {
    applicationId: APPLICATION,
    applicantId: STUDENT,
    withdrawnBy: null,
    checkoutId: CHECKOUT,
  },
  'campus.leave.application.reinstated.v1': {
    applicationId: APPLICATION,
    applicantId: STUDENT,
    checkoutId: CHECKOUT,
    leaveAt: '2026-12-05T09:00:00.000Z',
    returnAt: '2026-12-06T18:00:00.000Z',
  },
  'campus.checkout.batch.requested.v1': {
    batchId: BATCH,
    requestedBy: EDUCATOR,
    reason: 'End of the session',
    total: 30,
    at: '2026-12-05T18:00:00.000Z',
  },
  'campus.checkout.batch.completed.v1': {
    batchId: BATCH,
    requestedBy: EDUCATOR,
    reason: 'End of the session',
    total: 30,
    succeeded: 29,
    failed: 1,
    at: '2026-12-05T18:05:00.000Z',
  },
  'campus.checkout.student.checked_out.v1': {
    ...checkoutStudent,
    room: { building: 'A', entrance: 2, room: '305' },
    at: '2026-12-05T18:01:00.000Z',
  },
  'campus.checkout.student.check_out_failed.v1': {
    ...checkoutStudent,
    step: 'deactivate_account',
    failureCode: 'CHECKOUT_STEP_REFUSED',
    failureReason: 'identity refused',
    coworkingName: null,
    keyReturnUnconfirmed: false,
    participantCode: 'AUTH_CHECKOUT_NOT_STUDENT',
    compensated: ['close_sanctions', 'withdraw_leave', 'release_bookings'],
    at: '2026-12-05T18:02:00.000Z',
  },
  'campus.patrol.patrol.started.v1': {
    patrolId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a05',
    date: '2026-12-05',
    building: 'A',
    entrance: 2,
    startedBy: EDUCATOR,
    entries: 12,
    preMarkedAbsent: 1,
  },
  'campus.patrol.patrol.completed.v1': {
    patrolId: '0b6f2f8e-6a43-4c8e-9d4e-2f1f0f7d1a05',
    date: '2026-12-05',
    building: 'A',
    entrance: 2,
    completedBy: EDUCATOR,
    total: 12,
    present: 11,
    absent: [
      { studentId: STUDENT, fullName: 'Ivan Petrov', room: '305', reason: 'leave', leaveApplicationId: APPLICATION },
    ],
  },
};

function cloudEvent(type: string, data: unknown) {
  return {
    specversion: '1.0',
    id: `sample-${type}`,
    source: `/campus/${type.split('.')[1]}`,
    type,
    time: '2026-12-05T18:00:00.000Z',
    datacontenttype: 'application/json',
    data,
  };
}

function runGenerator(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
}

describe('generated event types', () => {
  it('have a sample for every event schema', () => {
    expect(Object.keys(samples).sort()).toEqual([...eventContracts().keys()].sort());
  });

  it.each(Object.entries(samples))('%s: the typed sample validates against its schema', (type, data) => {
    expect(validateEvent(cloudEvent(type, data))).toEqual({ valid: true, errors: [] });
  });
});

describe('generate-events.js', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'generated-events-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates the committed file, byte for byte, and --check accepts it', () => {
    const out = path.join(dir, 'fresh.ts');
    expect(runGenerator('--out', out).status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(COMMITTED, 'utf8'));
    expect(runGenerator('--check').status).toBe(0);
  }, 30_000);

  it('--check fails and names the file when it was edited by hand', () => {
    const out = path.join(dir, 'edited.ts');
    fs.writeFileSync(out, fs.readFileSync(COMMITTED, 'utf8').replace('reason: string;', 'reason?: string;'));
    const result = runGenerator('--check', '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${out} is stale`);
  }, 30_000);
});
