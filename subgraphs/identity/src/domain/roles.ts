// Which role sets a user may hold, and how far each role reaches.
import { ROLES, STAFF_ROLES, STUDENT_ROLES, validationError, type EntranceRef, type Role } from '@campus/platform';
import { IdentityErrors } from './errors';
import type { UserRecord } from './users';

/** Student roles that act on the entrance the student lives in. */
export const RESIDENT_SCOPED_ROLES: readonly Role[] = ['student_patrol', 'student_head'];

export interface RoleAssignment {
  roles: readonly Role[];
  entrances: readonly EntranceRef[];
  hasResidence: boolean;
}

/** Roles in canonical order (as ROLES lists them), without duplicates. */
export const canonicalRoles = (roles: readonly Role[]): Role[] => ROLES.filter((r) => roles.includes(r));

/**
 * Validates a role set together with what depends on it and returns it in canonical order:
 * - at least one role;
 * - staff roles (educator, educator_head, admin) never together with student roles;
 * - student_patrol / student_head only for a student, who must live somewhere (their scope);
 * - a residence only for students; assigned entrances only for an educator_head.
 */
export function validateRoleAssignment({ roles, entrances, hasResidence }: RoleAssignment): Role[] {
  const set = canonicalRoles(roles);
  if (set.length === 0) throw IdentityErrors.error('ROLES_REQUIRED', 'A user needs at least one role');
  const staff = set.filter((r) => STAFF_ROLES.includes(r));
  const student = set.filter((r) => STUDENT_ROLES.includes(r));
  if (staff.length > 0 && student.length > 0) {
    throw IdentityErrors.error(
      'INVALID_ROLE_COMBINATION',
      `Staff roles (${staff.join(', ')}) cannot be combined with student roles (${student.join(', ')})`,
      {
        roles: set,
      },
    );
  }
  const scoped = set.filter((r) => RESIDENT_SCOPED_ROLES.includes(r));
  if (scoped.length > 0 && !set.includes('student')) {
    throw IdentityErrors.error('INVALID_ROLE_COMBINATION', `${scoped.join(', ')} require the student role`, {
      roles: set,
    });
  }
  if (entrances.length > 0 && !set.includes('educator_head')) {
    throw IdentityErrors.error('ENTRANCES_NOT_ALLOWED', 'Only an educator_head can be assigned entrances', {
      roles: set,
    });
  }
  if (hasResidence && !set.includes('student')) {
    throw IdentityErrors.error('RESIDENCE_NOT_ALLOWED', 'Only students live in campus rooms', { roles: set });
  }
  if (scoped.length > 0 && !hasResidence) {
    throw IdentityErrors.error(
      'RESIDENCE_REQUIRED',
      `${scoped.join(', ')} act on their own entrance, so the student needs a residence`,
      {
        roles: set,
      },
    );
  }
  return set;
}

/** The same entrance listed once; order kept. */
export function distinctEntrances(entrances: readonly EntranceRef[]): EntranceRef[] {
  const seen = new Set<string>();
  return entrances.filter((e) => {
    const key = `${e.building}\u0000${e.entrance}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const sameEntrance = (a: EntranceRef, b: EntranceRef) => a.building === b.building && a.entrance === b.entrance;

/**
 * Whether a role held by `user` reaches an entrance: educator and admin act campus-wide, an
 * educator_head on their assigned entrances, student roles on the entrance the student lives in.
 */
export function roleReachesEntrance(user: UserRecord, role: Role, entrance: EntranceRef): boolean {
  switch (role) {
    case 'educator':
    case 'admin':
      return true;
    case 'educator_head':
      return user.assignedEntrances.some((e) => sameEntrance(e, entrance));
    default:
      return user.residence !== null && sameEntrance(user.residence, entrance);
  }
}

/** A role code as other services send it; VALIDATION_ERROR when it is not one of ROLES. */
export function parseRole(code: string): Role {
  const role = ROLES.find((r) => r === code);
  if (!role) {
    throw validationError(`Unknown role "${code}"; one of ${ROLES.join(', ')}`, { fields: { role: 'unknown role' } });
  }
  return role;
}
