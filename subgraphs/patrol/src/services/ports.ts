// What the patrol rules need from the outside world, as plain interfaces: the patrol store
// (PostgreSQL, repository/), the resident directory (identity over gRPC) and the leave registry
// (leave over gRPC). Services depend on these only, so the rules are testable without a network.
import type { CloudEvent } from '@campus/platform';
import type { CoveringLeave, EntryMark, EntryRecord, PatrolFilter, PatrolRecord, Resident } from '../domain/patrol';

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
  createPatrol(
    patrol: PatrolRecord,
    entries: readonly EntryRecord[],
    events: readonly CloudEvent[],
  ): Promise<'created' | 'duplicate'>;
  /** Runs `work` in one transaction with the patrol's row locked (serialises changes to a patrol). */
  withLockedPatrol<T>(patrolId: string, work: (uow: PatrolUnitOfWork) => Promise<T>): Promise<T>;
}

export interface ResidentDirectory {
  /**
   * The active minor residents of an entrance ([] for an entrance without any); null when identity's
   * layout has no such entrance (asked in the same call, so a start still asks identity once).
   */
  minorResidents(building: string, entrance: number): Promise<Resident[] | null>;
  /** One user; null if identity knows none with that id. */
  findUser(id: string): Promise<Resident | null>;
}

export interface LeaveRegistry {
  /**
   * Approved leaves whose period covers `at`. With `studentIds`, only those students' leaves;
   * without, every covering leave (the caller filters).
   */
  approvedLeavesAt(at: Date, studentIds?: readonly string[]): Promise<CoveringLeave[]>;
}
