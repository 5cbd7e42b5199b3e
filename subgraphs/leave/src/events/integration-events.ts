import { cloudEvent, type CloudEvent } from '@campus/platform';
import type { LeaveApplicationState, LeaveEventType, RecordedEvent, Residence } from '../domain/leave-application';

/**
 * The leave service's published events (CloudEvents on the campus exchange), one per domain
 * event. Their `data` is documented by packages/contracts/events/<type>.json (→ docs/events.md);
 * internal details such as storage keys never leave the service.
 */
export const LEAVE_EVENT_SOURCE = '/campus/leave';

export const CLOUD_EVENT_TYPES: Readonly<Record<LeaveEventType, string>> = {
  SUBMITTED: 'campus.leave.application.submitted.v1',
  DOCUMENT_ATTACHED: 'campus.leave.application.document_attached.v1',
  DOCUMENT_REMOVED: 'campus.leave.application.document_removed.v1',
  APPROVED: 'campus.leave.application.approved.v1',
  REJECTED: 'campus.leave.application.rejected.v1',
  WITHDRAWN: 'campus.leave.application.withdrawn.v1',
};

export interface ApplicationSubmittedV1 {
  applicationId: string;
  applicantId: string;
  leaveAt: string;
  returnAt: string;
  reason: string;
  contactPhone: string;
  isMinor: boolean;
  residence: Residence | null;
}

export interface ApplicationApprovedV1 {
  applicationId: string;
  applicantId: string;
  decidedBy: string;
  leaveAt: string;
  returnAt: string;
  isMinor: boolean;
  residence: Residence | null;
}

export interface ApplicationRejectedV1 {
  applicationId: string;
  applicantId: string;
  decidedBy: string;
  reason: string;
}

export interface ApplicationWithdrawnV1 {
  applicationId: string;
  applicantId: string;
  withdrawnBy: string;
}

export interface DocumentAttachedV1 {
  applicationId: string;
  documentId: string;
  kind: string;
  contentType: string;
  sizeBytes: number;
  durationSeconds: number | null;
  attachedBy: string;
}

export interface DocumentRemovedV1 {
  applicationId: string;
  documentId: string;
  removedBy: string;
}

type IntegrationData =
  | ApplicationSubmittedV1
  | ApplicationApprovedV1
  | ApplicationRejectedV1
  | ApplicationWithdrawnV1
  | DocumentAttachedV1
  | DocumentRemovedV1;

/** The integration event data of one recorded event, given the state after it. */
function dataOf(state: LeaveApplicationState, event: RecordedEvent): IntegrationData {
  const base = { applicationId: state.id, applicantId: state.applicantId };
  switch (event.type) {
    case 'SUBMITTED': {
      const { applicantId: _same, ...data } = event.data;
      return { ...base, ...data };
    }
    case 'DOCUMENT_ATTACHED': {
      const { storageKey: _internal, ...data } = event.data;
      return { applicationId: state.id, ...data, attachedBy: event.actorId };
    }
    case 'DOCUMENT_REMOVED':
      return { applicationId: state.id, documentId: event.data.documentId, removedBy: event.actorId };
    case 'APPROVED':
      return {
        ...base,
        decidedBy: event.actorId,
        leaveAt: state.leaveAt.toISOString(),
        returnAt: state.returnAt.toISOString(),
        isMinor: state.isMinor,
        residence: state.residence,
      };
    case 'REJECTED':
      return { ...base, decidedBy: event.actorId, reason: event.data.reason };
    case 'WITHDRAWN':
      return { ...base, withdrawnBy: event.actorId };
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
