/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/**
 * Which students a cohort check-out takes: the active students matching every field given. At least one
 * field must be given (the whole campus is checkOutCohort's everyone: true, without a filter).
 */
export type CheckOutCohortFilter = {
  /** Building code, e.g. 8. */
  building?: string | null | undefined;
  /** Only students whose planned check-out date is on or before this date (YYYY-MM-DD). */
  checkOutDateTo?: string | null | undefined;
  /** Only this entrance. */
  entrance?: number | null | undefined;
  /** Only this floor. */
  floor?: number | null | undefined;
  /** Only this room number. */
  room?: string | null | undefined;
};

/**
 * RUNNING → SUCCEEDED; RUNNING → COMPENSATING (a step failed; the steps done are being undone) →
 * FAILED (the student is as before the check-out, unless failureCode is CHECKOUT_COMPENSATION_INCOMPLETE);
 * COMPENSATING → SUCCEEDED when identity shows the check-out had in fact finished.
 */
export type CheckOutStatus =
  /** A step failed; the steps already done are being undone, in reverse order. */
  | 'COMPENSATING'
  /**
   * A step failed (final); failureCode says why. Every step done was undone, except with
   * CHECKOUT_COMPENSATION_INCOMPLETE: a participant refused to undo a step, or stayed unavailable past
   * the compensation deadline, so the steps after compensatedSteps were left as they are (the student
   * is half checked out) for an operator to reconcile; failureReason names the step.
   */
  | 'FAILED'
  /** Its steps are being done. */
  | 'RUNNING'
  /** Every step succeeded: bookings released, pending applications withdrawn, sanctions closed, account deactivated, room free (final). */
  | 'SUCCEEDED';

/** The steps of a check-out, in order (compensations run in reverse). */
export type CheckOutStep =
  /** Duty: the student's open sanctions are closed (reopened if undone). */
  | 'CLOSE_SANCTIONS'
  /** Identity: the account is deactivated, sessions revoked, the room vacated (held until the end). */
  | 'DEACTIVATE_ACCOUNT'
  /** Identity: the held room place is released; then the check-out has succeeded. */
  | 'FINISH'
  /** Coworking: pending and approved bookings are cancelled; a key out stops the check-out (CHECKOUT_KEY_HELD). */
  | 'RELEASE_BOOKINGS'
  /** Leave: pending applications are withdrawn by the system (reinstated if the check-out is undone). */
  | 'WITHDRAW_LEAVE';

/** The photo checklist of a duty report; every category but KITCHEN_APPLIANCES needs a photo. */
export type ChecklistCategory =
  /** Optional. */
  | 'KITCHEN_APPLIANCES'
  /** The first kitchen countertop. */
  | 'KITCHEN_COUNTERTOP_1'
  /** The second kitchen countertop. */
  | 'KITCHEN_COUNTERTOP_2'
  /** The kitchen as a whole. */
  | 'KITCHEN_GENERAL'
  /** The kitchen sink. */
  | 'KITCHEN_SINK'
  /** The kitchen stove. */
  | 'KITCHEN_STOVE'
  /** The kitchen tables and chairs. */
  | 'KITCHEN_TABLES_CHAIRS'
  /** The laundry room, clean. */
  | 'LAUNDRY_CLEANLINESS'
  /** The washing machines. */
  | 'LAUNDRY_MACHINES'
  /** The lights, switched off. */
  | 'LIGHTS_OFF';

/** Which reports to list; every given field must match. */
export type DutyReportFilter = {
  /** Building code, e.g. 8. */
  building?: string | null | undefined;
  /** Entrance number within the building. */
  entrance?: number | null | undefined;
  /** Only reports of duties on or after this date. */
  from?: string | null | undefined;
  /** Only reports of duties on or before this date. */
  to?: string | null | undefined;
};

/** DRAFT (photos being added) → SUBMITTED → ACCEPTED | REJECTED. */
export type DutyReportStatus =
  /** Accepted by a reviewer. */
  | 'ACCEPTED'
  /** Photos are being added. */
  | 'DRAFT'
  /** Rejected with a reason; the room may report again before the deadline. */
  | 'REJECTED'
  /** Waiting for review. */
  | 'SUBMITTED';

/** Which sanctions to list; every given field must match. */
export type DutySanctionFilter = {
  /** Building code, e.g. 8. */
  building?: string | null | undefined;
  /** Entrance number within the building. */
  entrance?: number | null | undefined;
  /** Only sanctions in this status (default: OPEN). */
  status?: SanctionStatus | null | undefined;
  /** Only this resident's sanctions. */
  userId?: string | number | null | undefined;
};

/**
 * pending → report_submitted → accepted. A rejected report puts the duty back to pending (reporting
 * again is allowed until the deadline); overdue when neither a submitted nor an accepted report
 * exists at the deadline (23:00 campus time of the duty day; a rejection at or after it moves the
 * deadline to 23:00 of the next day).
 */
export type DutyStatus =
  /** The report was accepted (final). */
  | 'ACCEPTED'
  /** The deadline passed without a report (sanctions created). */
  | 'OVERDUE'
  /** No submitted or accepted report yet. */
  | 'PENDING'
  /** A report is waiting for review. */
  | 'REPORT_SUBMITTED';

/** Which entrance's roster to generate, for which month. */
export type GenerateDutyRosterInput = {
  /** Building code, e.g. 8. */
  building: string;
  /** Entrance number within the building. */
  entrance: number;
  /** 1 (default) or 2: how many turns a room gets at most in the month. */
  maxTurnsPerRoom?: number | null | undefined;
  /**
   * YYYY-MM, the current or a later month, at most 12 months after the current one (a later one is
   * DUTY_INVALID_MONTH naming the latest allowed in details.latestMonth). In the current month duties
   * start today while its morning reminder (09:00) is ahead, else tomorrow (DUTY_INVALID_MONTH when no
   * day is left).
   */
  month: string;
};

/** `from`/`to` select applications whose leave period overlaps [from, to). */
export type LeaveApplicationFilter = {
  /** Only this student's applications. */
  applicantId?: string | number | null | undefined;
  /** Building of the applicant's residence at submission. */
  building?: string | null | undefined;
  /** Entrance of the applicant's residence at submission. */
  entrance?: number | null | undefined;
  /** Start of the period (inclusive). */
  from?: string | null | undefined;
  /** Room number of the applicant's residence at submission, e.g. 2301. */
  room?: string | null | undefined;
  /** Only applications in this status. */
  status?: LeaveStatus | null | undefined;
  /** End of the period (exclusive). */
  to?: string | null | undefined;
};

/** An educator's decision on a pending application. */
export type LeaveDecision =
  /** Approve (a minor's application needs a VOICE_MESSAGE document; not once the return time has passed: LEAVE_PERIOD_PASSED). */
  | 'APPROVE'
  /** Reject (a reason is required). */
  | 'REJECT';

/** What a document attached to a leave application is. */
export type LeaveDocumentKind =
  /** Letter from a parent: PDF, JPG or PNG, at most 10 MB. */
  | 'PARENT_LETTER'
  /** Signed application scan: PDF, JPG or PNG, at most 10 MB. */
  | 'SIGNED_APPLICATION'
  /** A parent's voice message: MP3, M4A or WAV, at most 5 MB and 2 minutes. Required to approve a minor's application. */
  | 'VOICE_MESSAGE';

/** What happened to a leave application (one history entry each). */
export type LeaveEventType =
  /** An educator approved it. */
  | 'APPROVED'
  /** A document was uploaded and attached. */
  | 'DOCUMENT_ATTACHED'
  /** A document was removed. */
  | 'DOCUMENT_REMOVED'
  /** The check-out that withdrew it was undone: pending again (no actor; data.checkoutId). */
  | 'REINSTATED'
  /** An educator rejected it. */
  | 'REJECTED'
  /** The student submitted the application. */
  | 'SUBMITTED'
  /** The applicant withdrew it, or the system did on the student's check-out (no actor; data.checkoutId). */
  | 'WITHDRAWN';

/**
 * Where a leave application stands: PENDING until an educator decides or it is withdrawn (by the
 * applicant, or by the system when the student checks out of the campus).
 */
export type LeaveStatus =
  /** An educator approved it (final). */
  | 'APPROVED'
  /** Submitted, waiting for an educator; documents may still be attached or removed. */
  | 'PENDING'
  /** An educator rejected it with a reason (final). */
  | 'REJECTED'
  /**
   * Withdrawn while pending: by the applicant (final), or by the system when the student checked out
   * (PENDING again if that check-out is undone).
   */
  | 'WITHDRAWN';

/** A duty to move to another date. */
export type MoveDutyInput = {
  /** A date of the same month, today or later. */
  date: string;
  /** The duty to move. */
  scheduleId: string | number;
  /** The version you read; a stale one is refused with CONFLICT. */
  version?: number | null | undefined;
};

/** Where one student stands in a patrol. */
export type PatrolEntryStatus =
  /** Not in (with a reason, or pre-marked from an approved leave). */
  | 'ABSENT'
  /** Found in. */
  | 'PRESENT'
  /** Not checked yet. */
  | 'UNCHECKED';

/** Which patrols to list; every given field must match. */
export type PatrolFilter = {
  /** Building code, e.g. 8. */
  building?: string | null | undefined;
  /** Only patrols of this evening. */
  date?: string | null | undefined;
  /** Entrance number within the building. */
  entrance?: number | null | undefined;
  /** Only patrols in this status. */
  status?: PatrolStatus | null | undefined;
};

/** Whether a patrol is still going on. */
export type PatrolStatus =
  /** Completed; final. */
  | 'COMPLETED'
  /** Started; entries may be marked or added. */
  | 'IN_PROGRESS';

/** A submitted report to reject. */
export type RejectDutyReportInput = {
  /** What to redo (shown to the room). */
  reason: string;
  /** The duty whose submitted report is rejected. */
  scheduleId: string | number;
};

/** Which photo of which duty to upload. */
export type RequestDutyPhotoUploadInput = {
  /** The checklist item the photo shows. */
  category: ChecklistCategory;
  /** The duty (today's, of your room, or one whose deadline a late rejection moved). */
  scheduleId: string | number;
};

/** A sanction to resolve. */
export type ResolveSanctionInput = {
  /** What was decided (recorded). */
  note: string;
  /** The open sanction. */
  sanctionId: string | number;
};

/** Role codes; in tokens and the database they are lower-case (student, student_patrol, …). */
export type Role =
  /** Staff: manages users, roles and keys. */
  | 'ADMIN'
  /** Staff: decides leaves, runs patrols, hands over keys, reviews duties. */
  | 'EDUCATOR'
  /** Staff: an educator in charge of assigned entrances. */
  | 'EDUCATOR_HEAD'
  /** A resident student. */
  | 'STUDENT'
  /** A student in charge of their own entrance (duty rosters, residents' contacts). */
  | 'STUDENT_HEAD'
  /** A student who runs the evening patrol of their own entrance. */
  | 'STUDENT_PATROL';

/** Whether a sanction is still open. */
export type SanctionStatus =
  /** The resident is expected at the educators’ office. */
  | 'OPEN'
  /** An educator resolved it with a note. */
  | 'RESOLVED';

/** A new leave application. */
export type SubmitLeaveApplicationInput = {
  /** A Russian number, 10–11 digits. */
  contactPhone: string;
  /** When the student leaves: in the future, at most 90 days from now (LEAVE_MAX_DAYS_AHEAD). */
  leaveAt: string;
  /** Why the student leaves (shown to the deciding educator). */
  reason: string;
  /** When the student is back: after leaveAt, at most 30 days later (LEAVE_MAX_DAYS). */
  returnAt: string;
};

/** Every given field must match. */
export type UserFilter = {
  /** Building code, e.g. 8. */
  building?: string | null | undefined;
  /** Entrance number within the building. */
  entrance?: number | null | undefined;
  /** Floor number. */
  floor?: number | null | undefined;
  /** Only active (true) or deactivated (false) users. */
  isActive?: boolean | null | undefined;
  /** True: only minors. */
  minorsOnly?: boolean | null | undefined;
  /** Only users with this role. */
  role?: Role | null | undefined;
  /** Room number, e.g. 2301. */
  room?: string | null | undefined;
  /** Words matched case-insensitively against names and e-mail; every word must match. */
  search?: string | null | undefined;
};

export type CheckOutBatchFieldsFragment = {
  id: string;
  reason: string;
  total: number;
  succeeded: number;
  failed: number;
  inProgress: number;
  createdAt: string;
  endedAt: string | null;
};

export type CheckOutStudentsMutationVariables = Exact<{
  userIds: Array<string | number> | string | number;
  reason: string;
}>;

export type CheckOutStudentsMutation = {
  checkOut: {
    id: string;
    reason: string;
    total: number;
    succeeded: number;
    failed: number;
    inProgress: number;
    createdAt: string;
    endedAt: string | null;
  };
};

export type CheckOutCohortMutationVariables = Exact<{
  filter?: CheckOutCohortFilter | null | undefined;
  everyone?: boolean | null | undefined;
  reason: string;
}>;

export type CheckOutCohortMutation = {
  checkOutCohort: {
    id: string;
    reason: string;
    total: number;
    succeeded: number;
    failed: number;
    inProgress: number;
    createdAt: string;
    endedAt: string | null;
    skippedRunning: Array<{ id: string; fullName: string }>;
  };
};

export type CheckOutProgressQueryVariables = Exact<{
  batchId: string | number;
  status?: CheckOutStatus | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}>;

export type CheckOutProgressQuery = {
  checkOutBatch: {
    id: string;
    reason: string;
    total: number;
    succeeded: number;
    failed: number;
    inProgress: number;
    createdAt: string;
    endedAt: string | null;
    items: {
      total: number;
      page: number;
      pages: number;
      items: Array<{
        checkoutId: string;
        studentName: string;
        room: string | null;
        status: CheckOutStatus;
        step: CheckOutStep;
        compensating: CheckOutStep | null;
        doneSteps: Array<CheckOutStep>;
        compensatedSteps: Array<CheckOutStep>;
        failureCode: string | null;
        failureReason: string | null;
        attempts: number;
        updatedAt: string;
        student: { id: string; fullName: string };
      }>;
    };
  } | null;
};

export type CheckOutBatchesQueryVariables = Exact<{
  mine?: boolean | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}>;

export type CheckOutBatchesQuery = {
  checkOutBatches: {
    total: number;
    items: Array<{
      id: string;
      reason: string;
      total: number;
      succeeded: number;
      failed: number;
      inProgress: number;
      createdAt: string;
      endedAt: string | null;
      requestedBy: { fullName: string };
    }>;
  };
};

export type DutyScheduleFieldsFragment = {
  id: string;
  date: string;
  roomNumber: string;
  status: DutyStatus;
  deadlineAt: string;
  version: number;
};

export type GenerateDutyRosterMutationVariables = Exact<{
  input: GenerateDutyRosterInput;
}>;

export type GenerateDutyRosterMutation = {
  generateDutyRoster: {
    id: string;
    month: string;
    schedules: Array<{
      id: string;
      date: string;
      roomNumber: string;
      status: DutyStatus;
      deadlineAt: string;
      version: number;
    }>;
  };
};

export type DutyRosterQueryVariables = Exact<{
  building: string;
  entrance: number;
  month: string;
}>;

export type DutyRosterQuery = {
  dutyRoster: {
    id: string;
    month: string;
    generatedAt: string;
    schedules: Array<{
      id: string;
      date: string;
      roomNumber: string;
      status: DutyStatus;
      deadlineAt: string;
      version: number;
    }>;
  } | null;
};

export type DutyCalendarQueryVariables = Exact<{
  building: string;
  entrance: number;
  month: string;
}>;

export type DutyCalendarQuery = {
  dutyCalendar: {
    dates: Array<string>;
    rows: Array<{ roomNumber: string; floor: number; duties: Array<{ id: string; date: string; status: DutyStatus }> }>;
  };
};

export type MoveDutyMutationVariables = Exact<{
  input: MoveDutyInput;
}>;

export type MoveDutyMutation = {
  moveDuty: { id: string; date: string; roomNumber: string; status: DutyStatus; deadlineAt: string; version: number };
};

export type MyDutySchedulesQueryVariables = Exact<{
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;

export type MyDutySchedulesQuery = {
  me: {
    id: string;
    dutySchedules: Array<{
      id: string;
      date: string;
      roomNumber: string;
      status: DutyStatus;
      deadlineAt: string;
      version: number;
      report: { status: DutyReportStatus; missingCategories: Array<ChecklistCategory> } | null;
    }> | null;
  } | null;
};

export type CreateRoomCalendarFeedMutationVariables = Exact<{
  roomId: string | number;
}>;

export type CreateRoomCalendarFeedMutation = { createRoomCalendarFeed: { url: string } };

export type RequestDutyPhotoUploadMutationVariables = Exact<{
  input: RequestDutyPhotoUploadInput;
}>;

export type RequestDutyPhotoUploadMutation = {
  requestDutyPhotoUpload: {
    uploadUrl: string;
    method: string;
    expiresAt: string;
    maxBytes: number;
    acceptedContentTypes: Array<string>;
  };
};

export type SubmitDutyReportMutationVariables = Exact<{
  scheduleId: string | number;
}>;

export type SubmitDutyReportMutation = {
  submitDutyReport: {
    id: string;
    date: string;
    roomNumber: string;
    status: DutyStatus;
    deadlineAt: string;
    version: number;
  };
};

export type DutyReportsToReviewQueryVariables = Exact<{
  filter?: DutyReportFilter | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}>;

export type DutyReportsToReviewQuery = {
  dutyReportsToReview: {
    total: number;
    page: number;
    pages: number;
    items: Array<{
      id: string;
      status: DutyReportStatus;
      submittedAt: string | null;
      schedule: { id: string; roomNumber: string; date: string };
      photos: Array<{ category: ChecklistCategory; url: string }>;
    }>;
  };
};

export type AcceptDutyReportMutationVariables = Exact<{
  scheduleId: string | number;
}>;

export type AcceptDutyReportMutation = {
  acceptDutyReport: {
    id: string;
    date: string;
    roomNumber: string;
    status: DutyStatus;
    deadlineAt: string;
    version: number;
  };
};

export type RejectDutyReportMutationVariables = Exact<{
  input: RejectDutyReportInput;
}>;

export type RejectDutyReportMutation = {
  rejectDutyReport: {
    id: string;
    date: string;
    roomNumber: string;
    status: DutyStatus;
    deadlineAt: string;
    version: number;
  };
};

export type DutySanctionsQueryVariables = Exact<{
  filter?: DutySanctionFilter | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}>;

export type DutySanctionsQuery = {
  dutySanctions: {
    total: number;
    items: Array<{ id: string; status: SanctionStatus; dutyDate: string; user: { fullName: string } }>;
  };
};

export type ResolveSanctionMutationVariables = Exact<{
  input: ResolveSanctionInput;
}>;

export type ResolveSanctionMutation = {
  resolveSanction: { id: string; status: SanctionStatus; resolvedAt: string | null };
};

export type StudentHomeQueryVariables = Exact<{
  applications?: number | null | undefined;
  notifications?: number | null | undefined;
}>;

export type StudentHomeQuery = {
  unreadNotificationCount: number;
  me: {
    id: string;
    fullName: string;
    roles: Array<Role>;
    residence: { building: string; entrance: number; room: string } | null;
    leaveApplications: Array<{
      id: string;
      status: LeaveStatus;
      leaveAt: string;
      returnAt: string;
      reason: string | null;
      submittedAt: string;
      decidedAt: string | null;
      decisionReason: string | null;
      version: number;
    }> | null;
    notifications: {
      total: number;
      items: Array<{
        id: string;
        key: string;
        title: string;
        body: string;
        data: Record<string, unknown>;
        createdAt: string;
        readAt: string | null;
        read: boolean;
      }>;
    } | null;
  } | null;
};

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;

export type LoginMutation = {
  login: {
    accessToken: string;
    refreshToken: string;
    expiresAt: string;
    user: { id: string; fullName: string; roles: Array<Role> };
  };
};

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: string;
}>;

export type RefreshSessionMutation = {
  refreshSession: { accessToken: string; refreshToken: string; expiresAt: string };
};

export type LogoutMutationVariables = Exact<{
  refreshToken: string;
}>;

export type LogoutMutation = { logout: boolean };

export type MeQueryVariables = Exact<{ [key: string]: never }>;

export type MeQuery = {
  me: {
    id: string;
    fullName: string;
    roles: Array<Role>;
    isMinor: boolean | null;
    residence: { building: string; entrance: number; floor: number; room: string; roomId: string } | null;
  } | null;
};

export type ResidentsQueryVariables = Exact<{
  filter?: UserFilter | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}>;

export type ResidentsQuery = {
  users: {
    total: number;
    page: number;
    pages: number;
    items: Array<{ id: string; fullName: string; residence: { room: string } | null }>;
  };
};

export type CampusQueryVariables = Exact<{ [key: string]: never }>;

export type CampusQuery = {
  campus: Array<{
    code: string;
    name: string;
    entrances: Array<{ number: number; rooms: Array<{ number: string; residents: Array<{ fullName: string }> }> }>;
  }>;
};

export type LeaveApplicationSummaryFragment = {
  id: string;
  status: LeaveStatus;
  leaveAt: string;
  returnAt: string;
  reason: string | null;
  submittedAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
  version: number;
};

export type SubmitLeaveApplicationMutationVariables = Exact<{
  input: SubmitLeaveApplicationInput;
}>;

export type SubmitLeaveApplicationMutation = {
  submitLeaveApplication: {
    id: string;
    status: LeaveStatus;
    leaveAt: string;
    returnAt: string;
    reason: string | null;
    submittedAt: string;
    decidedAt: string | null;
    decisionReason: string | null;
    version: number;
  };
};

export type MyLeaveApplicationsQueryVariables = Exact<{
  status?: LeaveStatus | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}>;

export type MyLeaveApplicationsQuery = {
  me: {
    id: string;
    leaveApplications: Array<{
      id: string;
      status: LeaveStatus;
      leaveAt: string;
      returnAt: string;
      reason: string | null;
      submittedAt: string;
      decidedAt: string | null;
      decisionReason: string | null;
      version: number;
    }> | null;
  } | null;
};

export type LeaveApplicationsQueryVariables = Exact<{
  filter?: LeaveApplicationFilter | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}>;

export type LeaveApplicationsQuery = {
  leaveApplications: {
    total: number;
    page: number;
    size: number;
    pages: number;
    items: Array<{
      isMinor: boolean;
      contactPhone: string;
      id: string;
      status: LeaveStatus;
      leaveAt: string;
      returnAt: string;
      reason: string | null;
      submittedAt: string;
      decidedAt: string | null;
      decisionReason: string | null;
      version: number;
      applicant: { id: string; fullName: string };
      residence: { building: string; entrance: number; room: string } | null;
    }>;
  };
};

export type LeaveApplicationQueryVariables = Exact<{
  id: string | number;
}>;

export type LeaveApplicationQuery = {
  leaveApplication: {
    contactPhone: string;
    isMinor: boolean;
    id: string;
    status: LeaveStatus;
    leaveAt: string;
    returnAt: string;
    reason: string | null;
    submittedAt: string;
    decidedAt: string | null;
    decisionReason: string | null;
    version: number;
    applicant: { id: string; fullName: string };
    decidedBy: { fullName: string } | null;
    documents: Array<{
      id: string;
      kind: LeaveDocumentKind;
      contentType: string;
      sizeBytes: number;
      durationSeconds: number | null;
      downloadUrl: string;
      downloadUrlExpiresAt: string;
    }>;
    history: Array<{ version: number; type: LeaveEventType; at: string; actor: { fullName: string } | null }>;
  } | null;
};

export type DecideLeaveApplicationMutationVariables = Exact<{
  id: string | number;
  decision: LeaveDecision;
  reason?: string | null | undefined;
}>;

export type DecideLeaveApplicationMutation = {
  decideLeaveApplication: {
    id: string;
    status: LeaveStatus;
    leaveAt: string;
    returnAt: string;
    reason: string | null;
    submittedAt: string;
    decidedAt: string | null;
    decisionReason: string | null;
    version: number;
    decidedBy: { fullName: string } | null;
  };
};

export type WithdrawLeaveApplicationMutationVariables = Exact<{
  id: string | number;
}>;

export type WithdrawLeaveApplicationMutation = {
  withdrawLeaveApplication: {
    withdrawnAt: string | null;
    id: string;
    status: LeaveStatus;
    leaveAt: string;
    returnAt: string;
    reason: string | null;
    submittedAt: string;
    decidedAt: string | null;
    decisionReason: string | null;
    version: number;
  };
};

export type RequestLeaveDocumentUploadMutationVariables = Exact<{
  applicationId: string | number;
  kind: LeaveDocumentKind;
}>;

export type RequestLeaveDocumentUploadMutation = {
  requestLeaveDocumentUpload: {
    uploadUrl: string;
    method: string;
    expiresAt: string;
    maxBytes: number;
    acceptedContentTypes: Array<string>;
  };
};

export type RemoveLeaveDocumentMutationVariables = Exact<{
  applicationId: string | number;
  documentId: string | number;
}>;

export type RemoveLeaveDocumentMutation = {
  removeLeaveDocument: { id: string; documents: Array<{ id: string; kind: LeaveDocumentKind }> };
};

export type NotificationFieldsFragment = {
  id: string;
  key: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
  read: boolean;
};

export type MyNotificationsQueryVariables = Exact<{
  unreadOnly?: boolean | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}>;

export type MyNotificationsQuery = {
  unreadNotificationCount: number;
  myNotifications: {
    total: number;
    page: number;
    pages: number;
    items: Array<{
      id: string;
      key: string;
      title: string;
      body: string;
      data: Record<string, unknown>;
      createdAt: string;
      readAt: string | null;
      read: boolean;
    }>;
  };
};

export type UnreadNotificationCountQueryVariables = Exact<{ [key: string]: never }>;

export type UnreadNotificationCountQuery = { unreadNotificationCount: number };

export type MarkNotificationsReadMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;

export type MarkNotificationsReadMutation = { markNotificationsRead: { markedCount: number; unreadCount: number } };

export type MarkAllNotificationsReadMutationVariables = Exact<{ [key: string]: never }>;

export type MarkAllNotificationsReadMutation = {
  markAllNotificationsRead: { markedCount: number; unreadCount: number };
};

export type CreateNotificationStreamTicketMutationVariables = Exact<{ [key: string]: never }>;

export type CreateNotificationStreamTicketMutation = { createNotificationStreamTicket: string };

export type StartPatrolMutationVariables = Exact<{
  building: string;
  entrance: number;
  date: string;
}>;

export type StartPatrolMutation = {
  startPatrol: {
    id: string;
    date: string;
    building: string;
    entrance: number;
    status: PatrolStatus;
    progress: { total: number; checked: number; present: number; absent: number };
    entries: Array<{
      id: string;
      status: PatrolEntryStatus;
      reason: string | null;
      student: { id: string; fullName: string; residence: { room: string } | null };
      leave: { status: LeaveStatus; returnAt: string } | null;
    }>;
  };
};

export type MarkPatrolEntryMutationVariables = Exact<{
  entryId: string | number;
  present: boolean;
  reason?: string | null | undefined;
}>;

export type MarkPatrolEntryMutation = {
  markPatrolEntry: { id: string; status: PatrolEntryStatus; present: boolean | null; reason: string | null };
};

export type CompletePatrolMutationVariables = Exact<{
  id: string | number;
}>;

export type CompletePatrolMutation = {
  completePatrol: {
    id: string;
    status: PatrolStatus;
    completedAt: string | null;
    progress: { total: number; checked: number; present: number; absent: number };
  };
};

export type PatrolsQueryVariables = Exact<{
  filter?: PatrolFilter | null | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}>;

export type PatrolsQuery = {
  patrols: {
    total: number;
    page: number;
    pages: number;
    items: Array<{
      id: string;
      date: string;
      building: string;
      entrance: number;
      status: PatrolStatus;
      progress: { total: number; absent: number };
    }>;
  };
};

export type PatrolQueryVariables = Exact<{
  id: string | number;
}>;

export type PatrolQuery = {
  patrol: {
    id: string;
    date: string;
    building: string;
    entrance: number;
    status: PatrolStatus;
    progress: { total: number; checked: number; present: number; absent: number };
    entries: Array<{
      id: string;
      status: PatrolEntryStatus;
      reason: string | null;
      student: { id: string; fullName: string; residence: { room: string } | null };
      leave: { status: LeaveStatus; returnAt: string } | null;
    }>;
  } | null;
};

export type PatrolFieldsFragment = {
  id: string;
  date: string;
  building: string;
  entrance: number;
  status: PatrolStatus;
  progress: { total: number; checked: number; present: number; absent: number };
  entries: Array<{
    id: string;
    status: PatrolEntryStatus;
    reason: string | null;
    student: { id: string; fullName: string; residence: { room: string } | null };
    leave: { status: LeaveStatus; returnAt: string } | null;
  }>;
};

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CheckOutBatchFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment CheckOutBatchFields on CheckOutBatch {
  id
  reason
  total
  succeeded
  failed
  inProgress
  createdAt
  endedAt
}
    `,
  { fragmentName: 'CheckOutBatchFields' },
) as unknown as TypedDocumentString<CheckOutBatchFieldsFragment, unknown>;
export const DutyScheduleFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment DutyScheduleFields on DutySchedule {
  id
  date
  roomNumber
  status
  deadlineAt
  version
}
    `,
  { fragmentName: 'DutyScheduleFields' },
) as unknown as TypedDocumentString<DutyScheduleFieldsFragment, unknown>;
export const LeaveApplicationSummaryFragmentDoc = new TypedDocumentString(
  `
    fragment LeaveApplicationSummary on LeaveApplication {
  id
  status
  leaveAt
  returnAt
  reason
  submittedAt
  decidedAt
  decisionReason
  version
}
    `,
  { fragmentName: 'LeaveApplicationSummary' },
) as unknown as TypedDocumentString<LeaveApplicationSummaryFragment, unknown>;
export const NotificationFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment NotificationFields on Notification {
  id
  key
  title
  body
  data
  createdAt
  readAt
  read
}
    `,
  { fragmentName: 'NotificationFields' },
) as unknown as TypedDocumentString<NotificationFieldsFragment, unknown>;
export const PatrolFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment PatrolFields on Patrol {
  id
  date
  building
  entrance
  status
  progress {
    total
    checked
    present
    absent
  }
  entries {
    id
    status
    reason
    student {
      id
      fullName
      residence {
        room
      }
    }
    leave {
      status
      returnAt
    }
  }
}
    `,
  { fragmentName: 'PatrolFields' },
) as unknown as TypedDocumentString<PatrolFieldsFragment, unknown>;
export const CheckOutStudentsDocument = new TypedDocumentString(
  `
    mutation CheckOutStudents($userIds: [ID!]!, $reason: String!) {
  checkOut(userIds: $userIds, reason: $reason) {
    ...CheckOutBatchFields
  }
}
    fragment CheckOutBatchFields on CheckOutBatch {
  id
  reason
  total
  succeeded
  failed
  inProgress
  createdAt
  endedAt
}`,
  { hash: 'sha256:67f27acd90e2fd1884ef5df03eb2587d745008a037ea03c7716e03a2a3374e54' },
) as unknown as TypedDocumentString<CheckOutStudentsMutation, CheckOutStudentsMutationVariables>;
export const CheckOutCohortDocument = new TypedDocumentString(
  `
    mutation CheckOutCohort($filter: CheckOutCohortFilter, $everyone: Boolean = false, $reason: String!) {
  checkOutCohort(filter: $filter, everyone: $everyone, reason: $reason) {
    ...CheckOutBatchFields
    skippedRunning {
      id
      fullName
    }
  }
}
    fragment CheckOutBatchFields on CheckOutBatch {
  id
  reason
  total
  succeeded
  failed
  inProgress
  createdAt
  endedAt
}`,
  { hash: 'sha256:6da6f208f676fba0d35d951069660808853c4dbbdd1100d73088f91122df6306' },
) as unknown as TypedDocumentString<CheckOutCohortMutation, CheckOutCohortMutationVariables>;
export const CheckOutProgressDocument = new TypedDocumentString(
  `
    query CheckOutProgress($batchId: ID!, $status: CheckOutStatus, $page: Int = 1, $size: Int = 50) {
  checkOutBatch(id: $batchId) {
    ...CheckOutBatchFields
    items(status: $status, page: $page, size: $size) {
      total
      page
      pages
      items {
        checkoutId
        student {
          id
          fullName
        }
        studentName
        room
        status
        step
        compensating
        doneSteps
        compensatedSteps
        failureCode
        failureReason
        attempts
        updatedAt
      }
    }
  }
}
    fragment CheckOutBatchFields on CheckOutBatch {
  id
  reason
  total
  succeeded
  failed
  inProgress
  createdAt
  endedAt
}`,
  { hash: 'sha256:f1803711ab95ae75baaaa443256434db23f97026819b00a423542c00ab615347' },
) as unknown as TypedDocumentString<CheckOutProgressQuery, CheckOutProgressQueryVariables>;
export const CheckOutBatchesDocument = new TypedDocumentString(
  `
    query CheckOutBatches($mine: Boolean = false, $page: Int = 1, $size: Int = 20) {
  checkOutBatches(mine: $mine, page: $page, size: $size) {
    total
    items {
      ...CheckOutBatchFields
      requestedBy {
        fullName
      }
    }
  }
}
    fragment CheckOutBatchFields on CheckOutBatch {
  id
  reason
  total
  succeeded
  failed
  inProgress
  createdAt
  endedAt
}`,
  { hash: 'sha256:6202c4b20c65445794d7f9210818640346ca9a02f4a78740cb443c74aea57882' },
) as unknown as TypedDocumentString<CheckOutBatchesQuery, CheckOutBatchesQueryVariables>;
export const GenerateDutyRosterDocument = new TypedDocumentString(
  `
    mutation GenerateDutyRoster($input: GenerateDutyRosterInput!) {
  generateDutyRoster(input: $input) {
    id
    month
    schedules {
      ...DutyScheduleFields
    }
  }
}
    fragment DutyScheduleFields on DutySchedule {
  id
  date
  roomNumber
  status
  deadlineAt
  version
}`,
  { hash: 'sha256:a214d886e1808179c9cd9ceca62dfe6e893c85f08f2215be757bdb08bbeb25d6' },
) as unknown as TypedDocumentString<GenerateDutyRosterMutation, GenerateDutyRosterMutationVariables>;
export const DutyRosterDocument = new TypedDocumentString(
  `
    query DutyRoster($building: String!, $entrance: Int!, $month: String!) {
  dutyRoster(building: $building, entrance: $entrance, month: $month) {
    id
    month
    generatedAt
    schedules {
      ...DutyScheduleFields
    }
  }
}
    fragment DutyScheduleFields on DutySchedule {
  id
  date
  roomNumber
  status
  deadlineAt
  version
}`,
  { hash: 'sha256:27400f19692b69cde43c5f0b9804487e39d70ce886304ba5f9dc3dfe9571a1f1' },
) as unknown as TypedDocumentString<DutyRosterQuery, DutyRosterQueryVariables>;
export const DutyCalendarDocument = new TypedDocumentString(
  `
    query DutyCalendar($building: String!, $entrance: Int!, $month: String!) {
  dutyCalendar(building: $building, entrance: $entrance, month: $month) {
    dates
    rows {
      roomNumber
      floor
      duties {
        id
        date
        status
      }
    }
  }
}
    `,
  { hash: 'sha256:31fabe6e30ec1990a2c10711cd42978f9df6efcdff6d0dc96a23951dcd08f19e' },
) as unknown as TypedDocumentString<DutyCalendarQuery, DutyCalendarQueryVariables>;
export const MoveDutyDocument = new TypedDocumentString(
  `
    mutation MoveDuty($input: MoveDutyInput!) {
  moveDuty(input: $input) {
    ...DutyScheduleFields
  }
}
    fragment DutyScheduleFields on DutySchedule {
  id
  date
  roomNumber
  status
  deadlineAt
  version
}`,
  { hash: 'sha256:37b56d0cdafedd9dec0ca6f77cdd6571356d4dea26575595397c94588a90a24c' },
) as unknown as TypedDocumentString<MoveDutyMutation, MoveDutyMutationVariables>;
export const MyDutySchedulesDocument = new TypedDocumentString(
  `
    query MyDutySchedules($from: Date, $to: Date) {
  me {
    id
    dutySchedules(from: $from, to: $to) {
      ...DutyScheduleFields
      report {
        status
        missingCategories
      }
    }
  }
}
    fragment DutyScheduleFields on DutySchedule {
  id
  date
  roomNumber
  status
  deadlineAt
  version
}`,
  { hash: 'sha256:79ffdd1f8a0432d3242eda447f3b69e93bf0e6092ecad302986934b68c528974' },
) as unknown as TypedDocumentString<MyDutySchedulesQuery, MyDutySchedulesQueryVariables>;
export const CreateRoomCalendarFeedDocument = new TypedDocumentString(
  `
    mutation CreateRoomCalendarFeed($roomId: ID!) {
  createRoomCalendarFeed(roomId: $roomId) {
    url
  }
}
    `,
  { hash: 'sha256:b2197398076b6a10584caed17a54718ec6ba82fe5fe23379d1e7f8548cfdc53f' },
) as unknown as TypedDocumentString<CreateRoomCalendarFeedMutation, CreateRoomCalendarFeedMutationVariables>;
export const RequestDutyPhotoUploadDocument = new TypedDocumentString(
  `
    mutation RequestDutyPhotoUpload($input: RequestDutyPhotoUploadInput!) {
  requestDutyPhotoUpload(input: $input) {
    uploadUrl
    method
    expiresAt
    maxBytes
    acceptedContentTypes
  }
}
    `,
  { hash: 'sha256:b642e8f9db145bc643c9c503b40c55cfb2fe3f89899bf3b27d0c718b4921e98f' },
) as unknown as TypedDocumentString<RequestDutyPhotoUploadMutation, RequestDutyPhotoUploadMutationVariables>;
export const SubmitDutyReportDocument = new TypedDocumentString(
  `
    mutation SubmitDutyReport($scheduleId: ID!) {
  submitDutyReport(scheduleId: $scheduleId) {
    ...DutyScheduleFields
  }
}
    fragment DutyScheduleFields on DutySchedule {
  id
  date
  roomNumber
  status
  deadlineAt
  version
}`,
  { hash: 'sha256:dd29cbf525a8aa35d7af2037af54010988d0ea52b696aa6ae1cd684947c4b91a' },
) as unknown as TypedDocumentString<SubmitDutyReportMutation, SubmitDutyReportMutationVariables>;
export const DutyReportsToReviewDocument = new TypedDocumentString(
  `
    query DutyReportsToReview($filter: DutyReportFilter, $page: Int, $size: Int) {
  dutyReportsToReview(filter: $filter, page: $page, size: $size) {
    total
    page
    pages
    items {
      id
      status
      submittedAt
      schedule {
        id
        roomNumber
        date
      }
      photos {
        category
        url
      }
    }
  }
}
    `,
  { hash: 'sha256:24174a96e87078d09ae040d6e0ba0907744c967de2d576b6f515178915e0c466' },
) as unknown as TypedDocumentString<DutyReportsToReviewQuery, DutyReportsToReviewQueryVariables>;
export const AcceptDutyReportDocument = new TypedDocumentString(
  `
    mutation AcceptDutyReport($scheduleId: ID!) {
  acceptDutyReport(scheduleId: $scheduleId) {
    ...DutyScheduleFields
  }
}
    fragment DutyScheduleFields on DutySchedule {
  id
  date
  roomNumber
  status
  deadlineAt
  version
}`,
  { hash: 'sha256:1cd4c326d41fdebbe4b4b4b4377edd2cb9ee6adab12234b38e320cf2289eee79' },
) as unknown as TypedDocumentString<AcceptDutyReportMutation, AcceptDutyReportMutationVariables>;
export const RejectDutyReportDocument = new TypedDocumentString(
  `
    mutation RejectDutyReport($input: RejectDutyReportInput!) {
  rejectDutyReport(input: $input) {
    ...DutyScheduleFields
  }
}
    fragment DutyScheduleFields on DutySchedule {
  id
  date
  roomNumber
  status
  deadlineAt
  version
}`,
  { hash: 'sha256:c994dd11147a9bd295c6ca8066431fd618ae8f79ade246bcaaa8fc9a0fed92d2' },
) as unknown as TypedDocumentString<RejectDutyReportMutation, RejectDutyReportMutationVariables>;
export const DutySanctionsDocument = new TypedDocumentString(
  `
    query DutySanctions($filter: DutySanctionFilter, $page: Int, $size: Int) {
  dutySanctions(filter: $filter, page: $page, size: $size) {
    total
    items {
      id
      status
      dutyDate
      user {
        fullName
      }
    }
  }
}
    `,
  { hash: 'sha256:02e29e1f5eed364cb5d2318b5c58f72d91c249dd2656fbd23d8957a7b6456f9c' },
) as unknown as TypedDocumentString<DutySanctionsQuery, DutySanctionsQueryVariables>;
export const ResolveSanctionDocument = new TypedDocumentString(
  `
    mutation ResolveSanction($input: ResolveSanctionInput!) {
  resolveSanction(input: $input) {
    id
    status
    resolvedAt
  }
}
    `,
  { hash: 'sha256:8064e8c6c75bb09599935bfb171ec478ec55d6de870df4aaaac873c849f39293' },
) as unknown as TypedDocumentString<ResolveSanctionMutation, ResolveSanctionMutationVariables>;
export const StudentHomeDocument = new TypedDocumentString(
  `
    query StudentHome($applications: Int = 5, $notifications: Int = 10) {
  me {
    id
    fullName
    roles
    residence {
      building
      entrance
      room
    }
    leaveApplications(size: $applications) {
      ...LeaveApplicationSummary
    }
    notifications(size: $notifications) {
      total
      items {
        ...NotificationFields
      }
    }
  }
  unreadNotificationCount
}
    fragment LeaveApplicationSummary on LeaveApplication {
  id
  status
  leaveAt
  returnAt
  reason
  submittedAt
  decidedAt
  decisionReason
  version
}
fragment NotificationFields on Notification {
  id
  key
  title
  body
  data
  createdAt
  readAt
  read
}`,
  { hash: 'sha256:ebe2e97650395bc4f9782fab8e268572bda68a0f13691765a994801255d85a83' },
) as unknown as TypedDocumentString<StudentHomeQuery, StudentHomeQueryVariables>;
export const LoginDocument = new TypedDocumentString(
  `
    mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    accessToken
    refreshToken
    expiresAt
    user {
      id
      fullName
      roles
    }
  }
}
    `,
  { hash: 'sha256:2602bfb3a8716249911fa1988e8c9d84c4b9c79bd546c217358a9bac521526bb' },
) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const RefreshSessionDocument = new TypedDocumentString(
  `
    mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) {
    accessToken
    refreshToken
    expiresAt
  }
}
    `,
  { hash: 'sha256:d467bac671338fc995ba56a1b5e2d73e4bf086b4257340f5ff9c352f84b51fb2' },
) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const LogoutDocument = new TypedDocumentString(
  `
    mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken)
}
    `,
  { hash: 'sha256:44df27831b2e811e41361abb45896fc013bf9f0e37f54ae93fdb75c2c1f24da5' },
) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const MeDocument = new TypedDocumentString(
  `
    query Me {
  me {
    id
    fullName
    roles
    isMinor
    residence {
      building
      entrance
      floor
      room
      roomId
    }
  }
}
    `,
  { hash: 'sha256:2922748d21b7a88a94921ebc3ddd32bdced64938dbc92232d1f8d2a9a9ebda4e' },
) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const ResidentsDocument = new TypedDocumentString(
  `
    query Residents($filter: UserFilter, $page: Int, $size: Int) {
  users(filter: $filter, page: $page, size: $size) {
    total
    page
    pages
    items {
      id
      fullName
      residence {
        room
      }
    }
  }
}
    `,
  { hash: 'sha256:00978e4624e37319208a77eb44e1ff74415074d551a18e61229bb3764bb3fd74' },
) as unknown as TypedDocumentString<ResidentsQuery, ResidentsQueryVariables>;
export const CampusDocument = new TypedDocumentString(
  `
    query Campus {
  campus {
    code
    name
    entrances {
      number
      rooms {
        number
        residents {
          fullName
        }
      }
    }
  }
}
    `,
  { hash: 'sha256:06edf16425beb73c0e4f5484e71180d752f377ed24e5f0ade92d6e8a9688f756' },
) as unknown as TypedDocumentString<CampusQuery, CampusQueryVariables>;
export const SubmitLeaveApplicationDocument = new TypedDocumentString(
  `
    mutation SubmitLeaveApplication($input: SubmitLeaveApplicationInput!) {
  submitLeaveApplication(input: $input) {
    ...LeaveApplicationSummary
  }
}
    fragment LeaveApplicationSummary on LeaveApplication {
  id
  status
  leaveAt
  returnAt
  reason
  submittedAt
  decidedAt
  decisionReason
  version
}`,
  { hash: 'sha256:dc82b4e0726b0917ca6e562f7754a19be7ca12276c1f6e5a8ef2ca94c1089e09' },
) as unknown as TypedDocumentString<SubmitLeaveApplicationMutation, SubmitLeaveApplicationMutationVariables>;
export const MyLeaveApplicationsDocument = new TypedDocumentString(
  `
    query MyLeaveApplications($status: LeaveStatus, $page: Int, $size: Int) {
  me {
    id
    leaveApplications(status: $status, page: $page, size: $size) {
      ...LeaveApplicationSummary
    }
  }
}
    fragment LeaveApplicationSummary on LeaveApplication {
  id
  status
  leaveAt
  returnAt
  reason
  submittedAt
  decidedAt
  decisionReason
  version
}`,
  { hash: 'sha256:96e58e3bec6125bd0a9d63e733b22c7bcdddd4b3652d502f3f654c50295e4b99' },
) as unknown as TypedDocumentString<MyLeaveApplicationsQuery, MyLeaveApplicationsQueryVariables>;
export const LeaveApplicationsDocument = new TypedDocumentString(
  `
    query LeaveApplications($filter: LeaveApplicationFilter, $page: Int, $size: Int) {
  leaveApplications(filter: $filter, page: $page, size: $size) {
    total
    page
    size
    pages
    items {
      ...LeaveApplicationSummary
      isMinor
      contactPhone
      applicant {
        id
        fullName
      }
      residence {
        building
        entrance
        room
      }
    }
  }
}
    fragment LeaveApplicationSummary on LeaveApplication {
  id
  status
  leaveAt
  returnAt
  reason
  submittedAt
  decidedAt
  decisionReason
  version
}`,
  { hash: 'sha256:81b354d35a07891067cab970811351e735a363249b55feb05ad16112f78a509e' },
) as unknown as TypedDocumentString<LeaveApplicationsQuery, LeaveApplicationsQueryVariables>;
export const LeaveApplicationDocument = new TypedDocumentString(
  `
    query LeaveApplication($id: ID!) {
  leaveApplication(id: $id) {
    ...LeaveApplicationSummary
    contactPhone
    isMinor
    applicant {
      id
      fullName
    }
    decidedBy {
      fullName
    }
    documents {
      id
      kind
      contentType
      sizeBytes
      durationSeconds
      downloadUrl
      downloadUrlExpiresAt
    }
    history {
      version
      type
      at
      actor {
        fullName
      }
    }
  }
}
    fragment LeaveApplicationSummary on LeaveApplication {
  id
  status
  leaveAt
  returnAt
  reason
  submittedAt
  decidedAt
  decisionReason
  version
}`,
  { hash: 'sha256:cb2a3a94a22f036717369c6251db972dbe7d42445cdd2ea9ffedc217c3d82ec3' },
) as unknown as TypedDocumentString<LeaveApplicationQuery, LeaveApplicationQueryVariables>;
export const DecideLeaveApplicationDocument = new TypedDocumentString(
  `
    mutation DecideLeaveApplication($id: ID!, $decision: LeaveDecision!, $reason: String) {
  decideLeaveApplication(id: $id, decision: $decision, reason: $reason) {
    ...LeaveApplicationSummary
    decidedBy {
      fullName
    }
  }
}
    fragment LeaveApplicationSummary on LeaveApplication {
  id
  status
  leaveAt
  returnAt
  reason
  submittedAt
  decidedAt
  decisionReason
  version
}`,
  { hash: 'sha256:12389859e99fcaa1aa1afc0c3da955eabe554c9a459814846ac4f2e445a2e1ef' },
) as unknown as TypedDocumentString<DecideLeaveApplicationMutation, DecideLeaveApplicationMutationVariables>;
export const WithdrawLeaveApplicationDocument = new TypedDocumentString(
  `
    mutation WithdrawLeaveApplication($id: ID!) {
  withdrawLeaveApplication(id: $id) {
    ...LeaveApplicationSummary
    withdrawnAt
  }
}
    fragment LeaveApplicationSummary on LeaveApplication {
  id
  status
  leaveAt
  returnAt
  reason
  submittedAt
  decidedAt
  decisionReason
  version
}`,
  { hash: 'sha256:c8ed5af8698e4c5e6a0cfc7b86d01e5ed0d39c261035be2ffc3d90676fdb4b2f' },
) as unknown as TypedDocumentString<WithdrawLeaveApplicationMutation, WithdrawLeaveApplicationMutationVariables>;
export const RequestLeaveDocumentUploadDocument = new TypedDocumentString(
  `
    mutation RequestLeaveDocumentUpload($applicationId: ID!, $kind: LeaveDocumentKind!) {
  requestLeaveDocumentUpload(applicationId: $applicationId, kind: $kind) {
    uploadUrl
    method
    expiresAt
    maxBytes
    acceptedContentTypes
  }
}
    `,
  { hash: 'sha256:7cc5a9c2a67877bc4162cb5288452fcc0e3826971ad547bcf12ced5e60ab34f8' },
) as unknown as TypedDocumentString<RequestLeaveDocumentUploadMutation, RequestLeaveDocumentUploadMutationVariables>;
export const RemoveLeaveDocumentDocument = new TypedDocumentString(
  `
    mutation RemoveLeaveDocument($applicationId: ID!, $documentId: ID!) {
  removeLeaveDocument(applicationId: $applicationId, documentId: $documentId) {
    id
    documents {
      id
      kind
    }
  }
}
    `,
  { hash: 'sha256:2179f5d353596355224dc9d4eac39a56dbe041ee6f9d51d13d4e5967e9a02994' },
) as unknown as TypedDocumentString<RemoveLeaveDocumentMutation, RemoveLeaveDocumentMutationVariables>;
export const MyNotificationsDocument = new TypedDocumentString(
  `
    query MyNotifications($unreadOnly: Boolean, $page: Int, $size: Int) {
  myNotifications(unreadOnly: $unreadOnly, page: $page, size: $size) {
    total
    page
    pages
    items {
      ...NotificationFields
    }
  }
  unreadNotificationCount
}
    fragment NotificationFields on Notification {
  id
  key
  title
  body
  data
  createdAt
  readAt
  read
}`,
  { hash: 'sha256:913b8fb13165652e725586cbdb79edcb315cb4787a2985431af78ce242133ddb' },
) as unknown as TypedDocumentString<MyNotificationsQuery, MyNotificationsQueryVariables>;
export const UnreadNotificationCountDocument = new TypedDocumentString(
  `
    query UnreadNotificationCount {
  unreadNotificationCount
}
    `,
  { hash: 'sha256:dcaff2ad9c68794a7528d4ec7ed97809a40f2fbb54acd15c6586b339adef7bac' },
) as unknown as TypedDocumentString<UnreadNotificationCountQuery, UnreadNotificationCountQueryVariables>;
export const MarkNotificationsReadDocument = new TypedDocumentString(
  `
    mutation MarkNotificationsRead($ids: [ID!]!) {
  markNotificationsRead(ids: $ids) {
    markedCount
    unreadCount
  }
}
    `,
  { hash: 'sha256:70d19b12b370ceeed05708b585e5e12b31aef16ecc4872f6d271c67ec39dbf33' },
) as unknown as TypedDocumentString<MarkNotificationsReadMutation, MarkNotificationsReadMutationVariables>;
export const MarkAllNotificationsReadDocument = new TypedDocumentString(
  `
    mutation MarkAllNotificationsRead {
  markAllNotificationsRead {
    markedCount
    unreadCount
  }
}
    `,
  { hash: 'sha256:547057a25536f9a0d0fba0e576747dc2185beabc80949a5ae475739afd93e53f' },
) as unknown as TypedDocumentString<MarkAllNotificationsReadMutation, MarkAllNotificationsReadMutationVariables>;
export const CreateNotificationStreamTicketDocument = new TypedDocumentString(
  `
    mutation CreateNotificationStreamTicket {
  createNotificationStreamTicket
}
    `,
  { hash: 'sha256:423e47dac65ea8892a5565a5f40fe2707c122b0f148515525236dd1903b0a62d' },
) as unknown as TypedDocumentString<
  CreateNotificationStreamTicketMutation,
  CreateNotificationStreamTicketMutationVariables
>;
export const StartPatrolDocument = new TypedDocumentString(
  `
    mutation StartPatrol($building: String!, $entrance: Int!, $date: Date!) {
  startPatrol(building: $building, entrance: $entrance, date: $date) {
    ...PatrolFields
  }
}
    fragment PatrolFields on Patrol {
  id
  date
  building
  entrance
  status
  progress {
    total
    checked
    present
    absent
  }
  entries {
    id
    status
    reason
    student {
      id
      fullName
      residence {
        room
      }
    }
    leave {
      status
      returnAt
    }
  }
}`,
  { hash: 'sha256:0341fabef98e08a759b30bd85468d186620beb15533d2bf8e62c3f020737adff' },
) as unknown as TypedDocumentString<StartPatrolMutation, StartPatrolMutationVariables>;
export const MarkPatrolEntryDocument = new TypedDocumentString(
  `
    mutation MarkPatrolEntry($entryId: ID!, $present: Boolean!, $reason: String) {
  markPatrolEntry(entryId: $entryId, present: $present, reason: $reason) {
    id
    status
    present
    reason
  }
}
    `,
  { hash: 'sha256:9428d666755c1ff5fe03265c6913c585d3ad797d2d157fa61bea04e37fe1561c' },
) as unknown as TypedDocumentString<MarkPatrolEntryMutation, MarkPatrolEntryMutationVariables>;
export const CompletePatrolDocument = new TypedDocumentString(
  `
    mutation CompletePatrol($id: ID!) {
  completePatrol(id: $id) {
    id
    status
    completedAt
    progress {
      total
      checked
      present
      absent
    }
  }
}
    `,
  { hash: 'sha256:af00f26930a234cf890a56ac96cd440e2dd593dbf413d234bdb1b3aab043a342' },
) as unknown as TypedDocumentString<CompletePatrolMutation, CompletePatrolMutationVariables>;
export const PatrolsDocument = new TypedDocumentString(
  `
    query Patrols($filter: PatrolFilter, $page: Int, $size: Int) {
  patrols(filter: $filter, page: $page, size: $size) {
    total
    page
    pages
    items {
      id
      date
      building
      entrance
      status
      progress {
        total
        absent
      }
    }
  }
}
    `,
  { hash: 'sha256:725e135a048f6ac9966e42a3b8538eb1fbb3193167af8afbab37cb42dbb37705' },
) as unknown as TypedDocumentString<PatrolsQuery, PatrolsQueryVariables>;
export const PatrolDocument = new TypedDocumentString(
  `
    query Patrol($id: ID!) {
  patrol(id: $id) {
    ...PatrolFields
  }
}
    fragment PatrolFields on Patrol {
  id
  date
  building
  entrance
  status
  progress {
    total
    checked
    present
    absent
  }
  entries {
    id
    status
    reason
    student {
      id
      fullName
      residence {
        room
      }
    }
    leave {
      status
      returnAt
    }
  }
}`,
  { hash: 'sha256:7b1a7bc6d5cd21a8a071ba42097a3ce175f5a1f17e986e7048321a07f8879e2a' },
) as unknown as TypedDocumentString<PatrolQuery, PatrolQueryVariables>;
