// Who may see what. An assert… denial is FORBIDDEN; a can… rule lets a field answer nothing instead.
import { forbidden, hasRole, isStaff, requireAuth, type AuthContext, type EntranceRef } from '@campus/platform';
import type { RoomRecord } from './campus';
import { RESIDENT_SCOPED_ROLES } from './roles';

type Caller = AuthContext | null | undefined;

const isSelf = (auth: Caller, userId: string): boolean => !!auth && auth.userId === userId;

/** Staff see everyone; anybody else only themself. */
export function assertCanViewUser(auth: Caller, userId: string): AuthContext {
  const caller = requireAuth(auth);
  if (!isStaff(caller) && !isSelf(caller, userId)) throw forbidden('You may only see your own profile');
  return caller;
}

/** Parent contacts are for staff and the student themself. */
export const canSeeParentContact = (auth: Caller, userId: string): boolean => isStaff(auth) || isSelf(auth, userId);

/**
 * Residents of a room: staff; a head or patrol of that room's entrance; the room's own residents
 * (their roommates). Not an assertion: rooms are reached from other services' data anybody may read
 * (a duty swap names the other room), so Room.residents answers a caller outside this rule with none
 * rather than failing the whole answer, as the guarded User fields answer null.
 */
export function canSeeResidents(auth: Caller, room: RoomRecord): boolean {
  if (!auth) return false;
  if (isStaff(auth)) return true;
  const home = auth.residence;
  if (!home || home.building !== room.building) return false;
  return (home.entrance === room.entrance && hasRole(auth, ...RESIDENT_SCOPED_ROLES)) || home.room === room.number;
}

/** The part of the campus a caller may browse: all of it, or one entrance. */
export type CampusScope = { kind: 'all' } | { kind: 'entrance'; entrance: EntranceRef };

/** Staff browse the whole campus; a student_head only their own entrance; others nothing. */
export function campusScopeOf(auth: Caller): CampusScope {
  const caller = requireAuth(auth);
  if (isStaff(caller)) return { kind: 'all' };
  if (hasRole(caller, 'student_head') && caller.residence) {
    return { kind: 'entrance', entrance: { building: caller.residence.building, entrance: caller.residence.entrance } };
  }
  throw forbidden('Only staff and entrance heads may browse the campus');
}
