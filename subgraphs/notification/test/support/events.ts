// The campus event types these tests publish, checked against the contracts' list.
import type { CampusEventType } from '@campus/contracts';

export const LEAVE_SUBMITTED = 'campus.leave.application.submitted.v1' satisfies CampusEventType;
export const LEAVE_APPROVED = 'campus.leave.application.approved.v1' satisfies CampusEventType;
export const LEAVE_REJECTED = 'campus.leave.application.rejected.v1' satisfies CampusEventType;
export const LEAVE_WITHDRAWN = 'campus.leave.application.withdrawn.v1' satisfies CampusEventType;
export const PATROL_COMPLETED = 'campus.patrol.patrol.completed.v1' satisfies CampusEventType;
