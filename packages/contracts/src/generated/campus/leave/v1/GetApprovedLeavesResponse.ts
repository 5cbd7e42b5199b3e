// Original file: /work/main/proto/campus/leave/v1/leave.proto

import type { ApprovedLeave as _campus_leave_v1_ApprovedLeave, ApprovedLeave__Output as _campus_leave_v1_ApprovedLeave__Output } from '../../../campus/leave/v1/ApprovedLeave';

export interface GetApprovedLeavesResponse {
  'leaves'?: (_campus_leave_v1_ApprovedLeave)[];
}

export interface GetApprovedLeavesResponse__Output {
  'leaves': (_campus_leave_v1_ApprovedLeave__Output)[];
}
