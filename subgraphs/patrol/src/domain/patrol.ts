// The records of the patrol service: a patrol (one evening's roll-call of an entrance), its entries
// (one per minor), and what identity and leave tell it about residents and their leaves.

export type PatrolStatus = 'in_progress' | 'completed';
export type EntryStatus = 'unchecked' | 'present' | 'absent';

export interface PatrolRecord {
  id: string;
  /** Campus-local date, YYYY-MM-DD. */
  date: string;
  building: string;
  entrance: number;
  status: PatrolStatus;
  /** The instant leaves were checked against. */
  eveningAt: Date;
  startedBy: string;
  startedAt: Date;
  completedBy: string | null;
  completedAt: Date | null;
}

export interface EntryRecord {
  id: string;
  patrolId: string;
  studentId: string;
  fullName: string | null;
  room: string | null;
  status: EntryStatus;
  reason: string | null;
  leaveApplicationId: string | null;
  leaveReason: string | null;
  addedManually: boolean;
  checkedBy: string | null;
  checkedAt: Date | null;
}

/** Which patrols a listing asks for; an absent member does not filter. */
export interface PatrolFilter {
  date?: string;
  building?: string;
  entrance?: number;
  status?: PatrolStatus;
}

/** What marking an entry changes. */
export type EntryMark = Pick<EntryRecord, 'status' | 'reason' | 'checkedBy' | 'checkedAt'>;

/** A resident as identity describes them (only what the patrol needs). */
export interface Resident {
  id: string;
  fullName: string;
  building: string | null;
  entrance: number | null;
  room: string | null;
  isMinor: boolean;
  isActive: boolean;
}

/** An approved leave covering the evening, as leave describes it. */
export interface CoveringLeave {
  applicationId: string;
  studentId: string;
  reason: string;
}
