// The patrol's business rules as pure functions (no I/O), so each is unit-tested on its own.
import {
  STAFF_ROLES,
  actsOnEntrance,
  forbidden,
  isStaff,
  localDate,
  zonedInstant,
  requireAuth,
  type AuthContext,
  type EntranceScopeRule,
} from '@campus/platform';
import { patrolErrors } from './errors';
import type { EntryMark, EntryRecord, EntryStatus, PatrolRecord, Resident } from './patrol';

/** Who may start, fill, complete and read an entrance's patrols. */
export const PATROL_SCOPE: EntranceScopeRule = {
  campusWide: STAFF_ROLES,
  resident: ['student_patrol'],
};

/**
 * The caller may act on (or read) this stored patrol. A refusal names only what the caller sent
 * (`sent`: the patrol or entry id) and the rule: never the patrol itself, which they may not read.
 */
export function requirePatrolScope(
  auth: AuthContext | null | undefined,
  patrol: PatrolRecord,
  sent: Record<string, string>,
): AuthContext {
  const caller = requireAuth(auth);
  if (!actsOnEntrance(caller, patrol, PATROL_SCOPE)) {
    throw forbidden("You may only act on your own entrance's patrols", { ...sent, rule: 'patrol_entrance_scope' });
  }
  return caller;
}

/** Why a student may not be added to the patrol (null: they may). */
export type ResidentRefusal = 'unknown' | 'inactive' | 'adult' | 'other_entrance';

export function residentRefusal(student: Resident | null, patrol: PatrolRecord): ResidentRefusal | null {
  if (!student) return 'unknown';
  if (!student.isActive) return 'inactive';
  if (!student.isMinor) return 'adult';
  if (student.building !== patrol.building || student.entrance !== patrol.entrance) return 'other_entrance';
  return null;
}

/**
 * The PATROL_NOT_A_RESIDENT refusal: staff (who read the directory anyway) learn why; a patrol
 * student only that the id is not a minor resident of their entrance, so that adding ids cannot
 * probe whether a person exists, is active, is an adult or lives elsewhere.
 */
export function notAResident(
  caller: AuthContext,
  input: { patrolId: string; studentId: string },
  why: ResidentRefusal,
) {
  return patrolErrors.notAResident({ ...input, reason: isStaff(caller) ? why : 'not_a_minor_resident' });
}

export interface PatrolTimeSettings {
  timeZone: string;
  /** Campus-local "HH:MM" before which today's patrol may not start. */
  earliestStart: string;
}

/** That evening at the earliest start time (campus clock). */
export const eveningOf = (date: string, settings: PatrolTimeSettings): Date =>
  zonedInstant(date, settings.earliestStart, settings.timeZone);

/** How long an evening's roll-call may run after its earliest start (22:00 → 06:00). */
export const NIGHT_MS = 8 * 60 * 60 * 1000;

/**
 * The instant a patrol of `date` checks leaves against ("leave before, return after the patrol
 * time", domain spec §4): when it starts, during that night. A minor back from a leave at 22:30 is
 * on the list of a patrol started at 23:15, not pre-marked absent. A past evening caught up after
 * its night is checked at its earliest start time.
 */
export function patrolTimeOf(date: string, now: Date, settings: PatrolTimeSettings): Date {
  const evening = eveningOf(date, settings);
  const elapsed = now.getTime() - evening.getTime();
  return elapsed >= 0 && elapsed < NIGHT_MS ? now : evening;
}

/**
 * A patrol may start for a past evening (catching up) or for today from the earliest start time
 * on, both judged on the campus clock; never for a future date.
 */
export function assertStartAllowed(date: string, now: Date, settings: PatrolTimeSettings): void {
  const today = localDate(now, settings.timeZone);
  if (date > today) throw patrolErrors.dateInFuture({ date, today, timeZone: settings.timeZone });
  if (date === today && now.getTime() < eveningOf(date, settings).getTime()) {
    throw patrolErrors.tooEarly({ date, earliestStart: settings.earliestStart, timeZone: settings.timeZone });
  }
}

/** A completed patrol is final. */
export function assertInProgress(patrol: PatrolRecord): void {
  if (patrol.status !== 'in_progress') throw patrolErrors.alreadyCompleted(patrol.id);
}

/** Completion needs every entry checked (present or absent). */
export function assertAllChecked(patrolId: string, entries: readonly EntryRecord[]): void {
  const unchecked = entries.filter((e) => e.status === 'unchecked');
  if (unchecked.length) {
    throw patrolErrors.notAllChecked({
      patrolId,
      unchecked: unchecked.length,
      uncheckedEntryIds: unchecked.map((e) => e.id),
    });
  }
}

/** An entry's reason when an approved leave without written words covers the evening. */
export const APPROVED_LEAVE_REASON = 'Approved leave';

/**
 * An entry's reason as the caller may read it. A leave's own words are for staff: leave shows them
 * to nobody else (they may be private, e.g. a doctor's appointment), so a student_patrol reads only
 * that an approved leave covers the evening. A reason the patrol wrote itself is theirs to read.
 */
export function visibleReason(auth: AuthContext | null | undefined, entry: EntryRecord): string | null {
  const fromLeave = entry.leaveReason !== null && entry.reason === entry.leaveReason;
  return fromLeave && !isStaff(auth) ? APPROVED_LEAVE_REASON : entry.reason;
}

/**
 * The new state of an entry marked present or absent. An absence needs a reason, except when an
 * approved leave covers the evening: then the leave's reason stands unless another is given.
 */
export function markOf(entry: EntryRecord, present: boolean, reason: string | null, by: string, at: Date): EntryMark {
  if (present) return { status: 'present', reason: null, checkedBy: by, checkedAt: at };
  const given = reason?.trim() || null;
  const effective = given ?? entry.leaveReason;
  if (!effective) throw patrolErrors.reasonRequired(entry.id);
  return { status: 'absent', reason: effective, checkedBy: by, checkedAt: at };
}

export interface Progress {
  total: number;
  checked: number;
  present: number;
  absent: number;
}

export function progressOf(entries: readonly { status: EntryStatus }[]): Progress {
  let present = 0;
  let absent = 0;
  for (const entry of entries) {
    if (entry.status === 'present') present++;
    else if (entry.status === 'absent') absent++;
  }
  return { total: entries.length, checked: present + absent, present, absent };
}

// Built once: localeCompare with a locale builds a collator on every call (~10 µs, which made
// sorting a 25-entry list cost most of a millisecond). Same order as localeCompare(…, 'ru', …).
const byRoom = new Intl.Collator('ru', { numeric: true });
const byName = new Intl.Collator('ru');
const byId = new Intl.Collator();

/** Display order of a patrol's list: by room, then name, then id (stable). */
export function compareEntries(a: EntryRecord, b: EntryRecord): number {
  return (
    byRoom.compare(a.room ?? '\uffff', b.room ?? '\uffff') ||
    byName.compare(a.fullName ?? '', b.fullName ?? '') ||
    byId.compare(a.id, b.id)
  );
}
