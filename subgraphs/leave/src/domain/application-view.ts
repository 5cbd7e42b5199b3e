import type { LeaveApplicationState, LeaveDocument } from './leave-application';

/**
 * The read side (CQRS): what the read model holds of every application and document, as queries
 * return them. The rows are projected from the aggregate's state, so they never disagree with it.
 */

/** A row of the applications read model: the state without its documents. */
export type ApplicationView = Omit<LeaveApplicationState, 'documents'>;

/** A row of the documents read model. */
export type DocumentView = LeaveDocument & { applicationId: string };

/** The read-model row of a state (what a command returns to its caller). */
export function applicationViewOf(state: LeaveApplicationState): ApplicationView {
  const { documents: _documents, ...view } = state;
  return view;
}

/**
 * What a patrol student of the applicant's entrance sees of an approved leave (through a patrol
 * entry pre-marked from it): when the student is due back and the leave's status, nothing else,
 * and never the reason (it may be private; the entry says only that a leave covers the evening).
 */
export interface PatrolLeaveView {
  visibility: 'patrol';
  id: string;
  status: ApplicationView['status'];
  applicantId: string;
  returnAt: Date;
}

export const patrolLeaveViewOf = (view: ApplicationView): PatrolLeaveView => ({
  visibility: 'patrol',
  id: view.id,
  status: view.status,
  applicantId: view.applicantId,
  returnAt: view.returnAt,
});

export const isPatrolLeaveView = (view: ApplicationView | PatrolLeaveView): view is PatrolLeaveView =>
  'visibility' in view && view.visibility === 'patrol';
