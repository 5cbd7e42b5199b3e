// Who may see what. Every denial is FORBIDDEN.
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
 * (their roommates).
 */
export function assertCanSeeResidents(auth: Caller, room: RoomRecord): AuthContext {
  const caller = requireAuth(auth);
  if (isStaff(caller)) return caller;
  const home = caller.residence;
  if (home && home.building === room.building) {
    if (home.entrance === room.entrance && hasRole(caller, ...RESIDENT_SCOPED_ROLES)) return caller;
    if (home.room === room.number) return caller;
  }
  throw forbidden(`You may not see the residents of room ${room.number} in building ${room.building}`, {
    building: room.building,
    room: room.number,
  });
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
