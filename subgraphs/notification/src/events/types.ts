// Data of the campus events this service consumes. The shapes mirror the JSON Schemas in
// packages/contracts/events/*.json; every event is validated against them before a rule sees it.

export const LEAVE_SUBMITTED = 'campus.leave.application.submitted.v1';
export const LEAVE_APPROVED = 'campus.leave.application.approved.v1';
export const LEAVE_REJECTED = 'campus.leave.application.rejected.v1';
export const LEAVE_WITHDRAWN = 'campus.leave.application.withdrawn.v1';
export const PATROL_COMPLETED = 'campus.patrol.patrol.completed.v1';

export interface ResidenceSnapshot {
  building: string;
  entrance: number;
  floor: number;
  room: string;
}

export interface LeaveSubmittedData {
  applicationId: string;
  applicantId: string;
  leaveAt: string;
  returnAt: string;
  reason: string;
  contactPhone: string;
  isMinor: boolean;
  residence: ResidenceSnapshot | null;
}

export interface LeaveApprovedData {
  applicationId: string;
  applicantId: string;
  decidedBy: string;
  leaveAt: string;
  returnAt: string;
  isMinor: boolean;
  residence: ResidenceSnapshot | null;
}

export interface LeaveRejectedData {
  applicationId: string;
  applicantId: string;
  decidedBy: string;
  reason: string;
}

export interface LeaveWithdrawnData {
  applicationId: string;
  applicantId: string;
  withdrawnBy: string;
}

export interface PatrolAbsentee {
  studentId: string;
  fullName?: string | null;
  room?: string | null;
  reason: string;
  leaveApplicationId: string | null;
}

export interface PatrolCompletedData {
  patrolId: string;
  /** Campus-local date, YYYY-MM-DD. */
  date: string;
  building: string;
  entrance: number;
  completedBy: string;
  total: number;
  present: number;
  absent: PatrolAbsentee[];
}
