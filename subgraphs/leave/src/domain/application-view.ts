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
