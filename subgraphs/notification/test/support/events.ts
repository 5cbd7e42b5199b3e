// The campus event types these tests publish, checked against the contracts' list.
import type { CampusEventType } from '@campus/contracts';

export const LEAVE_SUBMITTED = 'campus.leave.application.submitted.v1' satisfies CampusEventType;
export const LEAVE_APPROVED = 'campus.leave.application.approved.v1' satisfies CampusEventType;
export const LEAVE_REJECTED = 'campus.leave.application.rejected.v1' satisfies CampusEventType;
export const LEAVE_WITHDRAWN = 'campus.leave.application.withdrawn.v1' satisfies CampusEventType;
export const LEAVE_REINSTATED = 'campus.leave.application.reinstated.v1' satisfies CampusEventType;
export const PATROL_COMPLETED = 'campus.patrol.patrol.completed.v1' satisfies CampusEventType;
export const CHECKOUT_BATCH_REQUESTED = 'campus.checkout.batch.requested.v1' satisfies CampusEventType;
export const CHECKOUT_BATCH_COMPLETED = 'campus.checkout.batch.completed.v1' satisfies CampusEventType;
export const STUDENT_CHECKED_OUT = 'campus.checkout.student.checked_out.v1' satisfies CampusEventType;
export const STUDENT_CHECK_OUT_FAILED = 'campus.checkout.student.check_out_failed.v1' satisfies CampusEventType;
