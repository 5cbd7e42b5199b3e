import { defineErrorCodes } from '@campus/platform';
import type { RunningPolicy } from './records';

/**
 * Every rule of the checkout service fails with its own stable code, so clients can react to the
 * exact reason (docs/errors.md is generated from this catalog: `npm run docs:errors`).
 * Authorization denials are not listed here: they are always the shared FORBIDDEN.
 * CHECKOUT_KEY_HELD, CHECKOUT_STEP_REFUSED, CHECKOUT_STEP_TIMED_OUT and CHECKOUT_COMPENSATION_INCOMPLETE
 * are not thrown: they are a failed check-out's `failureCode` (CheckOutItem.failureCode, the
 * check_out_failed event).
 */
export const CheckoutErrors = defineErrorCodes('CHECKOUT', {
  NOT_FOUND: { kind: 'NOT_FOUND', description: 'No check-out or batch has this id.' },
  STUDENTS_NOT_FOUND: {
    kind: 'VALIDATION',
    description:
      'Some ids are not active students (unknown, staff, or already checked out); details.userIds names them.',
  },
  ALREADY_RUNNING: {
    kind: 'CONFLICT',
    description:
      'checkOut: some of the students named already have a check-out running or being undone; checkOutCohort: every student the filter selects has one (those with none are checked out, the others listed in skippedRunning). details.userIds names them.',
  },
  COHORT_EMPTY: { kind: 'VALIDATION', description: 'No active student matches the cohort filter.' },
  BATCH_TOO_LARGE: { kind: 'VALIDATION', description: 'A batch checks out at most MAX_BATCH_SIZE students.' },
  DEPENDENCY_UNAVAILABLE: {
    kind: 'UNAVAILABLE',
    description:
      'Identity could not be asked who the students are (down, or refusing this service; details.cause is its code); nothing was started. Retry later.',
  },
  KEY_HELD: {
    kind: 'CONFLICT',
    description:
      'failureCode of a check-out stopped because the student holds a coworking key (details name it); nothing was changed.',
  },
  STEP_REFUSED: {
    kind: 'CONFLICT',
    description:
      'failureCode of a check-out a participant refused (details.participantCode); the steps done before were undone.',
  },
  STEP_TIMED_OUT: {
    kind: 'UNAVAILABLE',
    description:
      'failureCode of a check-out whose participant stayed unavailable past the step or check-out deadline; every step was undone.',
  },
  COMPENSATION_INCOMPLETE: {
    kind: 'CONFLICT',
    description:
      'failureCode of a check-out whose undoing stopped: a participant refused to undo a step, or stayed unavailable past CHECKOUT_COMPENSATION_TIMEOUT_SECONDS. The steps in details.notCompensated were NOT undone (the student is half checked out): an operator must reconcile them; details.cause is the original failure.',
  },
  INJECTED_FAULT: {
    kind: 'CONFLICT',
    description: 'A fault injected by CHECKOUT_INJECT_FAULTS (never in production), to exercise compensations.',
  },
});

/** The name of a checkout code in the catalog, e.g. 'NOT_FOUND' for CHECKOUT_NOT_FOUND. */
export type CheckoutErrorName = keyof typeof CheckoutErrors.codes;

/**
 * CHECKOUT_ALREADY_RUNNING naming the students whose check-out is in progress: some of a checkOut's
 * (`refuse`), or every one of a cohort's (`skip` left nobody to start).
 */
export function alreadyRunning(userIds: readonly string[], policy: RunningPolicy) {
  return CheckoutErrors.error(
    'ALREADY_RUNNING',
    policy === 'refuse'
      ? 'A check-out of some of these students is still running or being undone'
      : 'Every student of this cohort already has a check-out running or being undone',
    { userIds: [...userIds] },
  );
}
