// The duty service's records (domain spec §6). Plain data: rules live beside them in domain/,
// persistence in repository/.

/** YYYY-MM-DD, a campus-local calendar date. */
export type LocalDate = string;
/** YYYY-MM, a campus-local calendar month. */
export type Month = string;

/** A room as identity knows it (the duty service keeps a copy on each schedule it writes). */
export interface RoomRef {
  roomId: string;
  building: string;
  entrance: number;
  floor: number;
  number: string;
}

/** A resident of a room, as far as duty needs one (sanctions and reminders go to them). */
export interface Resident {
  userId: string;
  roomId: string;
  fullName: string;
}

export const DUTY_STATUSES = ['pending', 'report_submitted', 'accepted', 'overdue'] as const;
export type DutyStatus = (typeof DUTY_STATUSES)[number];

/** The campus-local clock times the duty rules name (config; defaults 23:00, 18:00, 09:00, 09:00). */
export interface DutyTimes {
  /**
   * HH:MM[:SS] on the duty day: without a submitted or accepted report the duty is overdue (after
   * a rejection at or past it, the same time of the campus day after the rejection).
   */
  deadline: string;
  /** HH:MM[:SS] on the day before: "duty tomorrow". */
  eveningReminder: string;
  /** HH:MM[:SS] on the duty day: "duty today". */
  morningReminder: string;
  /** HH:MM[:SS] on the day after the deadline's: when the sanctioned residents are invited to the educators. */
  sanctionInvitation: string;
}

/** The instants of one duty date, computed in the campus time zone. */
export interface DutyMoments {
  /**
   * The duty day's deadline; a rejection at or after it moves it to the next campus day's
   * (deadline.ts afterRejection).
   */
  deadlineAt: Date;
  eveningReminderAt: Date;
  morningReminderAt: Date;
}

/** One room's duty on one date. */
export interface DutySchedule extends DutyMoments {
  id: string;
  rosterId: string;
  room: RoomRef;
  dutyDate: LocalDate;
  month: Month;
  status: DutyStatus;
  eveningRemindedAt: Date | null;
  morningRemindedAt: Date | null;
  overdueAt: Date | null;
  /** Optimistic concurrency: every change increments it. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The month's roster of one entrance (its schedules hang off it). */
export interface Roster {
  id: string;
  building: string;
  entrance: number;
  month: Month;
  generatedBy: string;
  generatedAt: Date;
}

/** The photo checklist of a report (domain spec §6); kitchen_appliances is optional. */
export const CHECKLIST_CATEGORIES = [
  'kitchen_stove',
  'kitchen_countertop_1',
  'kitchen_countertop_2',
  'kitchen_sink',
  'kitchen_appliances',
  'kitchen_general',
  'kitchen_tables_chairs',
  'laundry_cleanliness',
  'laundry_machines',
  'lights_off',
] as const;
export type ChecklistCategory = (typeof CHECKLIST_CATEGORIES)[number];
export const OPTIONAL_CATEGORIES: readonly ChecklistCategory[] = ['kitchen_appliances'];

export const REPORT_STATUSES = ['draft', 'submitted', 'accepted', 'rejected'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface ReportPhoto {
  id: string;
  reportId: string;
  category: ChecklistCategory;
  contentType: string;
  sizeBytes: number;
  /** Where the bytes are (never published). */
  storageKey: string;
  uploadedBy: string;
  uploadedAt: Date;
}

/**
 * One attempt at reporting a duty: photos are added to the schedule's open (draft) report, which
 * is then submitted, and accepted or rejected; after a rejection the next photo opens a new draft.
 */
export interface DutyReport {
  id: string;
  scheduleId: string;
  status: ReportStatus;
  photos: ReportPhoto[];
  submittedBy: string | null;
  submittedAt: Date | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  rejectionReason: string | null;
  createdAt: Date;
}

export const SANCTION_STATUSES = ['open', 'resolved'] as const;
export type SanctionStatus = (typeof SANCTION_STATUSES)[number];

/** An overdue duty's consequence for one resident: an invitation to the educators. */
export interface Sanction {
  id: string;
  scheduleId: string;
  userId: string;
  room: RoomRef;
  dutyDate: LocalDate;
  /** From when the resident is expected at the educators' office (09:00 the day after the deadline). */
  invitedAt: Date;
  status: SanctionStatus;
  createdAt: Date;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

/**
 * requested (by a resident of the asking room) → accepted (by a resident of the other room) →
 * approved (educator or head; the dates are exchanged). declined: the other room said no;
 * rejected: staff said no; cancelled: the asking room withdrew it.
 */
export const SWAP_STATUSES = ['requested', 'accepted', 'approved', 'declined', 'rejected', 'cancelled'] as const;
export type SwapStatus = (typeof SWAP_STATUSES)[number];

export interface DutySwap {
  id: string;
  building: string;
  entrance: number;
  /** The asking room's duty and the one it wants in exchange (dates as they were when asked). */
  fromScheduleId: string;
  toScheduleId: string;
  fromRoomId: string;
  toRoomId: string;
  fromDate: LocalDate;
  toDate: LocalDate;
  status: SwapStatus;
  requestedBy: string;
  requestedAt: Date;
  respondedBy: string | null;
  respondedAt: Date | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  /** Why it was declined, rejected or cancelled (optional). */
  reason: string | null;
}
