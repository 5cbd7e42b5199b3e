// Who may read which field of a User, whichever path reached it (me, user(id), users, the campus
// tree, or a federated reference from leave/patrol): the one rule the User field resolvers apply.
import { hasRole, isStaff, type AuthContext } from '@campus/platform';
import type { UserSummary } from './users';

/** User fields that are not for every signed-in caller; a refused one resolves to null. */
export type ProtectedUserField =
  | 'email'
  | 'phone'
  | 'isMinor'
  | 'isActive'
  | 'checkInDate'
  | 'checkOutDate'
  | 'parentContact';

/** Room contacts an entrance head keeps for their own entrance (spec §2). */
const HEAD_FIELDS: readonly ProtectedUserField[] = ['email', 'phone', 'isMinor'];
/** A patrol needs to know who is a minor on its roll-call, not how to reach them. */
const PATROL_FIELDS: readonly ProtectedUserField[] = ['isMinor'];
/** Parents' contacts stay with staff and the student themself. */
const PERSONAL_ONLY: readonly ProtectedUserField[] = ['parentContact'];

const livesInEntranceOf = (caller: AuthContext, user: UserSummary): boolean =>
  !!caller.residence &&
  !!user.residence &&
  caller.residence.building === user.residence.building &&
  caller.residence.entrance === user.residence.entrance;

/**
 * Whether `auth` may read `field` of `user`:
 * - the user themself (`provenSelf`: they signed in within this very request) and staff: every field;
 * - a student_head: email, phone, isMinor of the residents of their own entrance;
 * - a student_patrol: isMinor of the residents of their own entrance;
 * - anybody else: none (names, roles and residence are not protected).
 */
export function canReadUserField(
  auth: AuthContext | null | undefined,
  user: UserSummary,
  field: ProtectedUserField,
  provenSelf = false,
): boolean {
  if (provenSelf || (auth && auth.userId === user.id)) return true;
  if (!auth) return false;
  if (isStaff(auth)) return true;
  if (PERSONAL_ONLY.includes(field) || !livesInEntranceOf(auth, user)) return false;
  if (hasRole(auth, 'student_head') && HEAD_FIELDS.includes(field)) return true;
  return hasRole(auth, 'student_patrol') && PATROL_FIELDS.includes(field);
}
