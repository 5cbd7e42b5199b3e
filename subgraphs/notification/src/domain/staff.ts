// Who is who, as far as notifications care: a person's roles, the entrances a staff member
// answers for (domain §2: educators see the whole campus unless assigned entrances) and the entrance
// a student lives in (a student role such as student_head applies there).
import type { EntranceRef, EntranceScopeRule, Role } from '@campus/platform';

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

const sameEntrance = (a: EntranceRef, b: EntranceRef): boolean =>
  a.building === b.building && a.entrance === b.entrance;

/**
 * Whether a user may act on `entrance` under a producer's scope rule, as the platform's
 * actsOnEntrance decides it for their token: a campus-wide role anywhere (an educator is one even
 * with entrances assigned as educator_head), an assigned role on the assigned entrances only (an
 * educator_head with none acts nowhere), a resident role where the user lives.
 */
export function reachesEntrance(user: DirectoryUser, entrance: EntranceRef, rule: EntranceScopeRule): boolean {
  const holds = (roles: readonly Role[] | undefined) => (roles ?? []).some((role) => user.roles.includes(role));
  if (holds(rule.campusWide)) return true;
  if (holds(rule.assigned) && user.assignedEntrances.some((e) => sameEntrance(e, entrance))) return true;
  return holds(rule.resident) && !!user.residence && sameEntrance(user.residence, entrance);
}
