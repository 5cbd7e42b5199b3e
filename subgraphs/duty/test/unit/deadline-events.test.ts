import { validateEvent } from '@campus/contracts';
import {
  DUTY_EVENT_SOURCE,
  SWAP_EVENT_STEPS,
  reminderDue,
  reportAccepted,
  reportRejected,
  reportSubmitted,
  rosterGenerated,
  sanctionCreated,
  sanctionReopened,
  sanctionResolved,
  scheduleMoved,
  scheduleOverdue,
  swapEvent,
} from '../../src/events/duty-events';

// Every duty event factory builds a CloudEvent that its JSON Schema contract accepts: a payload
// drifting from packages/contracts/events/campus.duty.*.json fails here, not at a consumer.
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const room = { roomId: id(1), building: 'A', entrance: 2, roomNumber: '305' };
const at = new Date('2026-03-10T20:00:00.000Z');

describe('duty events', () => {
  const events = [
    rosterGenerated({
      rosterId: id(2),
      building: 'A',
      entrance: 2,
      month: '2026-03',
      generatedBy: id(3),
      duties: [{ scheduleId: id(4), roomId: id(1), roomNumber: '305', dutyDate: '2026-03-10' }],
    }),
    scheduleMoved({
      scheduleId: id(4),
      ...room,
      fromDate: '2026-03-10',
      toDate: '2026-03-12',
      movedBy: id(3),
      residentIds: [id(5)],
    }),
    reminderDue({
      scheduleId: id(4),
      ...room,
      dutyDate: '2026-03-10',
      deadlineAt: at.toISOString(),
      when: 'today',
      residentIds: [id(5), id(6)],
    }),
    scheduleOverdue({
      scheduleId: id(4),
      ...room,
      dutyDate: '2026-03-10',
      deadlineAt: at.toISOString(),
      residentIds: [id(5)],
      sanctionIds: [id(7)],
    }),
    reportSubmitted({
      scheduleId: id(4),
      reportId: id(8),
      ...room,
      dutyDate: '2026-03-10',
      submittedBy: id(5),
      photoCount: 9,
    }),
    reportAccepted({
      scheduleId: id(4),
      reportId: id(8),
      ...room,
      dutyDate: '2026-03-10',
      reviewedBy: id(3),
      residentIds: [id(5)],
    }),
    reportRejected({
      scheduleId: id(4),
      reportId: id(8),
      ...room,
      dutyDate: '2026-03-10',
      reviewedBy: id(3),
      residentIds: [id(5)],
      reason: 'The stove is dirty',
    }),
    sanctionCreated({
      sanctionId: id(7),
      scheduleId: id(4),
      userId: id(5),
      ...room,
      dutyDate: '2026-03-10',
      invitedAt: '2026-03-11T06:00:00.000Z',
    }),
    sanctionResolved({
      sanctionId: id(7),
      scheduleId: id(4),
      userId: id(5),
      resolvedBy: id(3),
      note: 'Talked',
      checkoutId: null,
    }),
    sanctionResolved({
      sanctionId: id(7),
      scheduleId: id(4),
      userId: id(5),
      resolvedBy: null,
      note: "Closed by the student's check-out",
      checkoutId: id(13),
    }),
    sanctionReopened({ sanctionId: id(7), scheduleId: id(4), userId: id(5), checkoutId: id(13) }),
    ...SWAP_EVENT_STEPS.map((step) =>
      swapEvent(step, {
        swapId: id(9),
        status: step,
        building: 'A',
        entrance: 2,
        fromScheduleId: id(4),
        toScheduleId: id(10),
        fromRoomId: id(1),
        toRoomId: id(11),
        fromRoomNumber: '305',
        toRoomNumber: '306',
        fromDate: '2026-03-10',
        toDate: '2026-03-12',
        actorId: id(5),
        reason: step === 'declined' ? 'Exams' : null,
        fromResidentIds: [id(5)],
        toResidentIds: [id(12)],
      }),
    ),
  ];

  it.each(events.map((e) => [e.type, e] as const))('%s matches its contract', (_type, event) => {
    expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
    expect(event.source).toBe(DUTY_EVENT_SOURCE);
  });

  it('names the aggregate as subject and uses the given time', () => {
    const e = sanctionCreated(
      {
        sanctionId: id(7),
        scheduleId: id(4),
        userId: id(5),
        ...room,
        dutyDate: '2026-03-10',
        invitedAt: '2026-03-11T06:00:00.000Z',
      },
      at,
    );
    expect(e).toMatchObject({ type: 'campus.duty.sanction.created.v1', subject: id(7), time: at.toISOString() });
  });

  it('rejects a payload that breaks the contract', () => {
    const broken = scheduleOverdue({
      scheduleId: id(4),
      ...room,
      dutyDate: '2026-03-10',
      deadlineAt: at.toISOString(),
      residentIds: ['not-a-uuid'],
      sanctionIds: [],
    });
    expect(validateEvent(broken)).toEqual({ valid: false, errors: [expect.stringContaining('data/residentIds/0')] });
  });
});
