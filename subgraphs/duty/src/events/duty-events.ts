import type {
  CampusEventType,
  DutyReportAcceptedV1,
  DutyReportRejectedV1,
  DutyReportSubmittedV1,
  DutyRosterGeneratedV1,
  DutySanctionCreatedV1,
  DutySanctionReopenedV1,
  DutySanctionResolvedV1,
  DutyScheduleMovedV1,
  DutyScheduleOverdueV1,
  DutyScheduleReminderDueV1,
  EventDataByType,
} from '@campus/contracts';
import { cloudEvent, type CloudEvent } from '@campus/platform';

/**
 * The duty service's published events (CloudEvents on the campus exchange, written to the outbox
 * with the change). Their `data` is documented by packages/contracts/events/campus.duty.*.json
 * (→ docs/events.md) and typed by the payload types generated from those schemas. Pure: each
 * factory only builds the envelope; `time` defaults to now, pass the service clock's instant.
 */
export const DUTY_EVENT_SOURCE = '/campus/duty';

export const DUTY_EVENT_TYPES = {
  ROSTER_GENERATED: 'campus.duty.roster.generated.v1',
  SCHEDULE_MOVED: 'campus.duty.schedule.moved.v1',
  REMINDER_DUE: 'campus.duty.schedule.reminder_due.v1',
  SCHEDULE_OVERDUE: 'campus.duty.schedule.overdue.v1',
  REPORT_SUBMITTED: 'campus.duty.report.submitted.v1',
  REPORT_ACCEPTED: 'campus.duty.report.accepted.v1',
  REPORT_REJECTED: 'campus.duty.report.rejected.v1',
  SANCTION_CREATED: 'campus.duty.sanction.created.v1',
  SANCTION_RESOLVED: 'campus.duty.sanction.resolved.v1',
  SANCTION_REOPENED: 'campus.duty.sanction.reopened.v1',
} as const satisfies Record<string, CampusEventType>;

/** The steps of a swap that publish an event (one event type each, one payload shape). */
export const SWAP_EVENT_STEPS = ['requested', 'accepted', 'declined', 'approved', 'rejected', 'cancelled'] as const;
export type SwapEventStep = (typeof SWAP_EVENT_STEPS)[number];
export type SwapEventType = `campus.duty.swap.${SwapEventStep}.v1`;
/** The payload of every swap event (the six contracts share it). */
export type DutySwapEventData = EventDataByType[SwapEventType];

export type DutyEventType = (typeof DUTY_EVENT_TYPES)[keyof typeof DUTY_EVENT_TYPES] | SwapEventType;
/** A duty CloudEvent whose data matches its type's contract. */
export type DutyEvent<T extends DutyEventType = DutyEventType> = CloudEvent<EventDataByType[T]>;

function event<T extends DutyEventType>(type: T, subject: string, data: EventDataByType[T], time?: Date): DutyEvent<T> {
  return cloudEvent<EventDataByType[T]>({ source: DUTY_EVENT_SOURCE, type, subject, data, ...(time ? { time } : {}) });
}

export const rosterGenerated = (data: DutyRosterGeneratedV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.ROSTER_GENERATED, data.rosterId, data, time);

export const scheduleMoved = (data: DutyScheduleMovedV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.SCHEDULE_MOVED, data.scheduleId, data, time);

export const reminderDue = (data: DutyScheduleReminderDueV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.REMINDER_DUE, data.scheduleId, data, time);

export const scheduleOverdue = (data: DutyScheduleOverdueV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.SCHEDULE_OVERDUE, data.scheduleId, data, time);

export const reportSubmitted = (data: DutyReportSubmittedV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.REPORT_SUBMITTED, data.scheduleId, data, time);

export const reportAccepted = (data: DutyReportAcceptedV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.REPORT_ACCEPTED, data.scheduleId, data, time);

export const reportRejected = (data: DutyReportRejectedV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.REPORT_REJECTED, data.scheduleId, data, time);

export const sanctionCreated = (data: DutySanctionCreatedV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.SANCTION_CREATED, data.sanctionId, data, time);

export const sanctionResolved = (data: DutySanctionResolvedV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.SANCTION_RESOLVED, data.sanctionId, data, time);

/** A sanction the check-out had resolved is open again (the check-out failed and was undone). */
export const sanctionReopened = (data: DutySanctionReopenedV1, time?: Date) =>
  event(DUTY_EVENT_TYPES.SANCTION_REOPENED, data.sanctionId, data, time);

/** A swap step's event (`campus.duty.swap.<step>.v1`); `data.status` is the status after the step. */
export const swapEvent = (step: SwapEventStep, data: DutySwapEventData, time?: Date) =>
  event(`campus.duty.swap.${step}.v1` as const, data.swapId, data, time);
