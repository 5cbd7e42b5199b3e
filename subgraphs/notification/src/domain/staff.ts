// Who is who, as far as notifications care: a person's roles, the entrances a staff member
// answers for (domain §2: educators see the whole campus unless assigned entrances) and the entrance
// a student lives in (a student role such as student_head applies there).
import type { EntranceRef, Role } from '@campus/platform';

export interface DirectoryUser {
  id: string;
  fullName: string;
  roles: string[];
  /** Entrances a staff member is assigned to; none means campus-wide. */
  assignedEntrances: EntranceRef[];
  /** The entrance the user lives in; null for staff and students without a room. */
  residence: EntranceRef | null;
}

/** A student living in an entrance, and the room they live in (identity's residence.room). */
export interface EntranceResident {
  id: string;
  room: string;
}

export const EDUCATOR_ROLES: readonly Role[] = ['educator', 'educator_head'];

/** Whether a staff member covers `entrance` (campus-wide staff cover every entrance). */
export function coversEntrance(user: DirectoryUser, entrance: EntranceRef | null): boolean {
  if (!entrance || user.assignedEntrances.length === 0) return true;
  return user.assignedEntrances.some((e) => e.building === entrance.building && e.entrance === entrance.entrance);
}

/** Whether a user lives in `entrance` (where a student role such as student_head applies). */
export function livesInEntrance(user: DirectoryUser, entrance: EntranceRef): boolean {
  return user.residence?.building === entrance.building && user.residence.entrance === entrance.entrance;
}
