/** Limits that input validation (schemas/) and the use cases (services/) share. */

/** At most this many students per GetApprovedLeaves call (as proto/campus/leave/v1/leave.proto says). */
export const MAX_APPROVED_LEAVES_USERS = 1000;

/**
 * How long a leave may last, how far ahead it may start (a year typed for the current one is a
 * typo, not a plan) and how many undecided applications a student may have (LEAVE_MAX_*).
 */
export interface LeaveLimits {
  maxDays: number;
  maxDaysAhead: number;
  maxPendingPerStudent: number;
}

export const DEFAULT_LEAVE_LIMITS: LeaveLimits = { maxDays: 30, maxDaysAhead: 90, maxPendingPerStudent: 5 };
