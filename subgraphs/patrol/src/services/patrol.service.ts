// The patrol use cases: who may do what (authorisation is a business rule), the time window, the
// roll-call list built from identity and leave, the completion guard. No transport or SQL here.
import { randomUUID } from 'node:crypto';
import {
  forbidden,
  fromDependencies,
  hasRole,
  isStaff,
  pageOf,
  pageRequest,
  requireAuth,
  requireEntranceScope,
  requireRole,
  type AuthContext,
  type Clock,
  type Page,
} from '@campus/platform';
import { patrolErrors } from '../domain/errors';
import type { CoveringLeave, EntryRecord, PatrolFilter, PatrolRecord, Resident } from '../domain/patrol';
import {
  APPROVED_LEAVE_REASON,
  PATROL_SCOPE,
  assertAllChecked,
  assertInProgress,
  assertStartAllowed,
  compareEntries,
  markOf,
  notAResident,
  patrolTimeOf,
  requirePatrolScope,
  residentRefusal,
  type PatrolTimeSettings,
} from '../domain/rules';
import { patrolCompleted, patrolStarted } from '../events/patrol-events';
import type { LeaveRegistry, PatrolStore, ResidentDirectory } from './ports';

/** The reason an entry gets when the covering leave has none written down. */
export const DEFAULT_LEAVE_REASON = APPROVED_LEAVE_REASON;

// What the use cases take, already parsed and validated by the transports (schemas/).
export interface StartPatrolInput {
  building: string;
  entrance: number;
  /** Campus-local date, YYYY-MM-DD. */
  date: string;
}

/** A started patrol with its entries in display order (the answer needs them; no read-back). */
export interface StartedPatrol {
  patrol: PatrolRecord;
  entries: EntryRecord[];
}

export interface MarkEntryInput {
  entryId: string;
  present: boolean;
  /** Null when none is given; an absence covered by a leave needs none. */
  reason: string | null;
}

export interface AddEntryInput {
  patrolId: string;
  studentId: string;
}

export interface ListPatrolsInput {
  filter: PatrolFilter;
  page?: number | null;
  size?: number | null;
}

export interface PatrolServiceDeps {
  store: PatrolStore;
  residents: ResidentDirectory;
  leaves: LeaveRegistry;
  clock: Clock;
  time: PatrolTimeSettings;
  newId?: () => string;
}

export class PatrolService {
  private readonly newId: () => string;

  constructor(private readonly deps: PatrolServiceDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  // ── reads ────────────────────────────────────────────────────────────────────────────────────

  /** One patrol, or null if there is none; the caller must be allowed to see its entrance. */
  async getPatrol(auth: AuthContext | null, id: string): Promise<PatrolRecord | null> {
    this.requireReader(auth);
    const [patrol] = await this.deps.store.findPatrols([id]);
    if (!patrol) return null;
    requirePatrolScope(auth, patrol, { id });
    return patrol;
  }

  /** Staff see every patrol; a student_patrol only their own entrance's. */
  async listPatrols(auth: AuthContext | null, input: ListPatrolsInput): Promise<Page<PatrolRecord>> {
    const caller = this.requireReader(auth);
    const page = pageRequest(input.page, input.size);
    const filter = this.visibleTo(caller, input.filter);
    const { items, total } = await this.deps.store.listPatrols(filter, page.skip, page.take);
    return pageOf(items, total, page);
  }

  /** Whether the caller may see this patrol (for entity references resolved in batches). */
  assertCanRead(auth: AuthContext | null, patrol: PatrolRecord): void {
    requirePatrolScope(this.requireReader(auth), patrol, { id: patrol.id });
  }

  /** Patrols by id, unscoped: for trusted internal callers and already authorised parents. */
  findPatrols(ids: readonly string[]): Promise<PatrolRecord[]> {
    return this.deps.store.findPatrols(ids);
  }

  /** Unscoped listing for trusted internal callers (gRPC). */
  async listPatrolsInternal(input: ListPatrolsInput): Promise<Page<PatrolRecord>> {
    const page = pageRequest(input.page, input.size);
    const { items, total } = await this.deps.store.listPatrols(input.filter, page.skip, page.take);
    return pageOf(items, total, page);
  }

  /** The entries of each patrol in display order, in one query (DataLoader batches). */
  async entriesByPatrol(patrolIds: readonly string[]): Promise<Map<string, EntryRecord[]>> {
    const byPatrol = new Map<string, EntryRecord[]>(patrolIds.map((id) => [id, []]));
    for (const entry of await this.deps.store.entriesOf(patrolIds)) byPatrol.get(entry.patrolId)?.push(entry);
    for (const entries of byPatrol.values()) entries.sort(compareEntries);
    return byPatrol;
  }

  // ── writes ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Starts the evening roll-call of an entrance: one entry per minor resident (identity), those on
   * an approved leave covering the patrol time (leave) pre-marked absent with the leave's reason.
   */
  async startPatrol(auth: AuthContext | null, input: StartPatrolInput): Promise<StartedPatrol> {
    const { date, building, entrance } = input;
    const caller = requireEntranceScope(auth, { building, entrance }, PATROL_SCOPE);
    const now = this.deps.clock.now();
    assertStartAllowed(date, now, this.deps.time);

    const eveningAt = patrolTimeOf(date, now, this.deps.time);
    // Three independent questions at once (a round trip less than asking the first one first):
    // is the patrol already there; identity names the entrance's minors (or says there is no such
    // entrance, in the same answer); leave lists every approved leave covering the evening
    // (GetApprovedLeaves with all_students), joined by student id. An existing patrol is the answer
    // whatever identity and leave said.
    const [existing, answers] = await Promise.allSettled([
      this.deps.store.findPatrolByKey(date, building, entrance),
      fromDependencies(
        patrolErrors.dependencyUnavailable,
        ['identity', this.deps.residents.minorResidents(building, entrance)],
        ['leave', this.deps.leaves.approvedLeavesAt(eveningAt)],
      ),
    ]);
    if (existing.status === 'rejected') throw existing.reason;
    if (existing.value) throw patrolErrors.alreadyExists({ date, building, entrance, patrolId: existing.value.id });
    if (answers.status === 'rejected') throw answers.reason;
    const [residents, leaves] = answers.value;
    // An entrance the layout lacks (a typo, a building's wrong code) is refused: an empty patrol
    // of it could be completed at once, and would read as "nobody missing" there.
    if (residents === null) throw patrolErrors.entranceNotFound({ building, entrance });
    const minors = residents.filter((r) => r.isMinor); // identity filters already; an adult must never be listed
    const leaveOf = coveringLeaves(leaves);
    const patrol: PatrolRecord = {
      id: this.newId(),
      date,
      building,
      entrance,
      status: 'in_progress',
      eveningAt,
      startedBy: caller.userId,
      startedAt: now,
      completedBy: null,
      completedAt: null,
    };
    const entries = minors.map((r) => this.newEntry(patrol, r, leaveOf.get(r.id), false));
    const outcome = await this.deps.store.createPatrol(patrol, entries, [patrolStarted(patrol, entries)]);
    if (outcome === 'duplicate') throw patrolErrors.alreadyExists({ date, building, entrance }); // lost a race
    return { patrol, entries: entries.sort(compareEntries) };
  }

  /** Marks one entry present, or absent with a reason (a covering leave's reason suffices). */
  async markEntry(auth: AuthContext | null, input: MarkEntryInput): Promise<EntryRecord> {
    const caller = requireAuth(auth);
    const entry = await this.deps.store.findEntry(input.entryId);
    if (!entry) throw patrolErrors.entryNotFound(input.entryId);
    return this.deps.store.withLockedPatrol(entry.patrolId, async (uow) => {
      const patrol = this.existing(uow.patrol, entry.patrolId);
      requirePatrolScope(caller, patrol, { entryId: input.entryId });
      assertInProgress(patrol);
      return uow.markEntry(entry.id, markOf(entry, input.present, input.reason, caller.userId, this.deps.clock.now()));
    });
  }

  /** Adds a minor resident of the entrance who is missing from the list (e.g. moved in today). */
  async addEntry(auth: AuthContext | null, input: AddEntryInput): Promise<EntryRecord> {
    const caller = requireAuth(auth);
    const [patrol] = await this.deps.store.findPatrols([input.patrolId]);
    if (!patrol) throw patrolErrors.notFound(input.patrolId);
    requirePatrolScope(caller, patrol, { patrolId: input.patrolId });
    assertInProgress(patrol);

    // Independent questions, asked at once: who is this student, and are they on leave that evening.
    const [student, leaves] = await fromDependencies(
      patrolErrors.dependencyUnavailable,
      ['identity', this.deps.residents.findUser(input.studentId)],
      ['leave', this.deps.leaves.approvedLeavesAt(patrol.eveningAt, [input.studentId])],
    );
    const refusal = residentRefusal(student, patrol);
    if (refusal || !student) throw notAResident(caller, input, refusal ?? 'unknown');
    return this.deps.store.withLockedPatrol(patrol.id, async (uow) => {
      const locked = this.existing(uow.patrol, patrol.id);
      assertInProgress(locked); // may have been completed while identity and leave answered
      const listed = (await uow.entries()).find((e) => e.studentId === student.id);
      if (listed) throw patrolErrors.entryExists({ patrolId: patrol.id, studentId: student.id, entryId: listed.id });
      return uow.addEntry(this.newEntry(locked, student, coveringLeaves(leaves).get(student.id), true));
    });
  }

  /** Completes the patrol once every entry is checked; final, and announces the absentees. */
  async completePatrol(auth: AuthContext | null, patrolId: string): Promise<PatrolRecord> {
    const caller = requireAuth(auth);
    return this.deps.store.withLockedPatrol(patrolId, async (uow) => {
      const patrol = this.existing(uow.patrol, patrolId);
      requirePatrolScope(caller, patrol, { patrolId });
      assertInProgress(patrol);
      const entries = await uow.entries();
      assertAllChecked(patrol.id, entries);
      const completed = await uow.complete(caller.userId, this.deps.clock.now());
      await uow.enqueue([patrolCompleted(completed, [...entries].sort(compareEntries))]);
      return completed;
    });
  }

  /** Removes a patrol started by mistake (admin only, while in progress). */
  async deletePatrol(auth: AuthContext | null, patrolId: string): Promise<boolean> {
    requireRole(auth, 'admin');
    return this.deps.store.withLockedPatrol(patrolId, async (uow) => {
      assertInProgress(this.existing(uow.patrol, patrolId));
      await uow.delete();
      return true;
    });
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────

  private existing(patrol: PatrolRecord | null, id: string): PatrolRecord {
    if (!patrol) throw patrolErrors.notFound(id);
    return patrol;
  }

  /** Patrols are visible to staff and to the patrol students of the entrance. */
  private requireReader(auth: AuthContext | null): AuthContext {
    const caller = requireAuth(auth);
    if (!isStaff(caller) && !hasRole(caller, 'student_patrol'))
      throw forbidden('Only staff and patrol students see patrols');
    return caller;
  }

  private visibleTo(caller: AuthContext, filter: PatrolFilter): PatrolFilter {
    if (isStaff(caller)) return filter;
    const own = caller.residence;
    if (!own) throw forbidden('A patrol student without a residence sees no patrols');
    if (
      (filter.building !== undefined && filter.building !== own.building) ||
      (filter.entrance !== undefined && filter.entrance !== own.entrance)
    ) {
      throw forbidden(`You may only see the patrols of building ${own.building}, entrance ${own.entrance}`, {
        building: own.building,
        entrance: own.entrance,
      });
    }
    return { ...filter, building: own.building, entrance: own.entrance };
  }

  private newEntry(
    patrol: PatrolRecord,
    resident: Resident,
    leave: CoveringLeave | undefined,
    addedManually: boolean,
  ): EntryRecord {
    const leaveReason = leave ? leave.reason.trim() || DEFAULT_LEAVE_REASON : null;
    return {
      id: this.newId(),
      patrolId: patrol.id,
      studentId: resident.id,
      fullName: resident.fullName || null,
      room: resident.room,
      // Pre-marked by the system (checkedBy null); the patrol can still re-mark a student it finds in.
      status: leave ? 'absent' : 'unchecked',
      reason: leaveReason,
      leaveApplicationId: leave?.applicationId ?? null,
      leaveReason,
      addedManually,
      checkedBy: null,
      checkedAt: leave ? this.deps.clock.now() : null,
    };
  }
}

/** The covering leave of each student (the first one, if several overlap). */
function coveringLeaves(leaves: readonly CoveringLeave[]): Map<string, CoveringLeave> {
  const byStudent = new Map<string, CoveringLeave>();
  for (const leave of leaves) if (!byStudent.has(leave.studentId)) byStudent.set(leave.studentId, leave);
  return byStudent;
}
