// What the patrol rules need from the outside world, as plain interfaces: the patrol store
// (PostgreSQL, repository/), the resident directory (identity over gRPC) and the leave registry
// (leave over gRPC). Services depend on these only, so the rules are testable without a network.
import type { CloudEvent } from '@campus/platform';

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

export interface PatrolFilter {
  date?: string;
  building?: string;
  entrance?: number;
  status?: PatrolStatus;
}

export type EntryMark = Pick<EntryRecord, 'status' | 'reason' | 'checkedBy' | 'checkedAt'>;

/** Changes to one patrol, made while its row is locked, committed together with their events. */
export interface PatrolUnitOfWork {
  /** The locked patrol; null if it does not exist. */
  readonly patrol: PatrolRecord | null;
  entries(): Promise<EntryRecord[]>;
  markEntry(entryId: string, mark: EntryMark): Promise<EntryRecord>;
  addEntry(entry: EntryRecord): Promise<EntryRecord>;
  complete(by: string, at: Date): Promise<PatrolRecord>;
  delete(): Promise<void>;
  enqueue(events: readonly CloudEvent[]): Promise<void>;
}

export interface PatrolStore {
  findPatrols(ids: readonly string[]): Promise<PatrolRecord[]>;
  findPatrolByKey(date: string, building: string, entrance: number): Promise<PatrolRecord | null>;
  listPatrols(filter: PatrolFilter, skip: number, take: number): Promise<{ items: PatrolRecord[]; total: number }>;
  /** Entries of these patrols, each patrol's in display order (room, name). */
  entriesOf(patrolIds: readonly string[]): Promise<EntryRecord[]>;
  findEntry(id: string): Promise<EntryRecord | null>;
  /** Creates a patrol, its entries and its events atomically; 'duplicate' if the evening's patrol exists. */
  createPatrol(patrol: PatrolRecord, entries: readonly EntryRecord[], events: readonly CloudEvent[]): Promise<'created' | 'duplicate'>;
  /** Runs `work` in one transaction with the patrol's row locked (serialises changes to a patrol). */
  withLockedPatrol<T>(patrolId: string, work: (uow: PatrolUnitOfWork) => Promise<T>): Promise<T>;
}

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

export interface ResidentDirectory {
  /** The active minor residents of an entrance. */
  minorResidents(building: string, entrance: number): Promise<Resident[]>;
  /** One user; null if identity knows none with that id. */
  findUser(id: string): Promise<Resident | null>;
}

export interface CoveringLeave {
  applicationId: string;
  studentId: string;
  reason: string;
}

export interface LeaveRegistry {
  /**
   * Approved leaves whose period covers `at`. With `studentIds`, only those students' leaves;
   * without, every covering leave (the caller filters).
   */
  approvedLeavesAt(at: Date, studentIds?: readonly string[]): Promise<CoveringLeave[]>;
}
