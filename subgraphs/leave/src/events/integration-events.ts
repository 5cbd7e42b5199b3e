import type {
  CampusEventType,
  EventDataByType,
  LeaveApplicationApprovedV1,
  LeaveApplicationDocumentAttachedV1,
  LeaveApplicationDocumentRemovedV1,
  LeaveApplicationReinstatedV1,
  LeaveApplicationRejectedV1,
  LeaveApplicationSubmittedV1,
  LeaveApplicationWithdrawnV1,
} from '@campus/contracts';
import { cloudEvent, type CloudEvent } from '@campus/platform';
import type { LeaveApplicationState, LeaveEventType, RecordedEvent } from '../domain/leave-application';

/**
 * The leave service's published events (CloudEvents on the campus exchange), one per domain
 * event. Their `data` is documented by packages/contracts/events/<type>.json (→ docs/events.md),
 * and typed by the payload types generated from those schemas; internal details such as storage
 * keys never leave the service.
 */
export const LEAVE_EVENT_SOURCE = '/campus/leave';

export const CLOUD_EVENT_TYPES = {
  SUBMITTED: 'campus.leave.application.submitted.v1',
  DOCUMENT_ATTACHED: 'campus.leave.application.document_attached.v1',
  DOCUMENT_REMOVED: 'campus.leave.application.document_removed.v1',
  APPROVED: 'campus.leave.application.approved.v1',
  REJECTED: 'campus.leave.application.rejected.v1',
  WITHDRAWN: 'campus.leave.application.withdrawn.v1',
  REINSTATED: 'campus.leave.application.reinstated.v1',
} as const satisfies Record<LeaveEventType, CampusEventType>;

/** The `data` of any leave event (LeaveApplicationSubmittedV1, …, LeaveApplicationReinstatedV1). */
type IntegrationData = EventDataByType[(typeof CLOUD_EVENT_TYPES)[LeaveEventType]];

/** The integration event data of one recorded event, given the state after it. */
function dataOf(state: LeaveApplicationState, event: RecordedEvent): IntegrationData {
  const base = { applicationId: state.id, applicantId: state.applicantId };
  switch (event.type) {
    case 'SUBMITTED': {
      const { applicantId: _same, ...data } = event.data;
      return { ...base, ...data } satisfies LeaveApplicationSubmittedV1;
    }
    case 'DOCUMENT_ATTACHED': {
      const { storageKey: _internal, ...data } = event.data;
      return {
        applicationId: state.id,
        ...data,
        attachedBy: event.actorId,
      } satisfies LeaveApplicationDocumentAttachedV1;
    }
    case 'DOCUMENT_REMOVED':
      return {
        applicationId: state.id,
        documentId: event.data.documentId,
        removedBy: event.actorId,
      } satisfies LeaveApplicationDocumentRemovedV1;
    case 'APPROVED':
      return {
        ...base,
        decidedBy: event.actorId,
        leaveAt: state.leaveAt.toISOString(),
        returnAt: state.returnAt.toISOString(),
        isMinor: state.isMinor,
        residence: state.residence,
      } satisfies LeaveApplicationApprovedV1;
    case 'REJECTED':
      return { ...base, decidedBy: event.actorId, reason: event.data.reason } satisfies LeaveApplicationRejectedV1;
    case 'WITHDRAWN':
      return {
        ...base,
        withdrawnBy: event.actorId,
        checkoutId: event.data.checkoutId ?? null,
      } satisfies LeaveApplicationWithdrawnV1;
    case 'REINSTATED':
      return {
        ...base,
        checkoutId: event.data.checkoutId,
        leaveAt: state.leaveAt.toISOString(),
        returnAt: state.returnAt.toISOString(),
      } satisfies LeaveApplicationReinstatedV1;
  }
}

/** CloudEvents for the events one command appended (`state` is the state after all of them). */
export function toCloudEvents(state: LeaveApplicationState, events: readonly RecordedEvent[]): CloudEvent[] {
  return events.map((event) =>
    cloudEvent<IntegrationData>({
      source: LEAVE_EVENT_SOURCE,
      type: CLOUD_EVENT_TYPES[event.type],
      subject: state.id,
      time: event.occurredAt,
      data: dataOf(state, event),
    }),
  );
}
