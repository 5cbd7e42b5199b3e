/** Limits that input validation (schemas/) and the use cases (services/) share. */

/** At most this many students per GetApprovedLeaves call (as proto/campus/leave/v1/leave.proto says). */
export const MAX_APPROVED_LEAVES_USERS = 1000;
