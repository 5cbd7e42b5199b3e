// Identity's step of a check-out saga (domain spec §9): the student is deactivated, leaves the room
// and loses every session, while the room place stays held for them until the saga ends (finished:
// the place is free; undone: they are back in it).
import type { UserRecord, ResidenceRecord } from './users';

/** Only students live in campus rooms, so only they are checked out. */
export const canBeCheckedOut = (user: Pick<UserRecord, 'roles'>): boolean => user.roles.includes('student');

/** What DeactivateAndVacate did; userId null: nothing, the check-out had been undone first. */
export interface VacateResult {
  userId: string | null;
  /** The room the student left (null: none); its place stays held while the check-out runs. */
  previousResidence: ResidenceRecord | null;
  /** Refresh tokens revoked. */
  sessionsRevoked: number;
}

/** What ReactivateAndRestore put back; userId null: nothing, the check-out had deactivated nobody. */
export interface RestoreResult {
  userId: string | null;
  /** The room the student is back in (null: they had none). */
  residence: ResidenceRecord | null;
}

export const NOTHING_VACATED: VacateResult = { userId: null, previousResidence: null, sessionsRevoked: 0 };
export const NOTHING_RESTORED: RestoreResult = { userId: null, residence: null };
