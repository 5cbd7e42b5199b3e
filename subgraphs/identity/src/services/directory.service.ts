// What other services ask identity over gRPC: token validation, users, role checks. Callers are
// internal services that have already authorised their own request.
import { DomainError, ROLES, validationError, type AuthContext, type EntranceRef, type Role } from '@campus/platform';
import { decodeJwt } from 'jose';
import { IdentityErrorCodes, userNotFound } from './errors';
import type { UserFilter, UserRecord } from './model';
import type { UserStore } from './ports';

export const MAX_DIRECTORY_USERS = 1000;

export interface TokenValidation {
  valid: boolean;
  /** Why not: "expired" or "invalid"; empty when valid. */
  reason: '' | 'expired' | 'invalid';
  auth: AuthContext | null;
  expiresAt: Date | null;
}

export interface DirectoryQuery extends Omit<UserFilter, 'isActive' | 'search'> {
  includeInactive: boolean;
}

export interface RoleCheck {
  userId: string;
  role: string;
  entrance?: EntranceRef;
}

export interface DirectoryServiceDeps {
  users: UserStore;
  verifier: { verify(token: string): Promise<AuthContext> };
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

export function parseRole(code: string): Role {
  const role = ROLES.find((r) => r === code);
  if (!role) throw validationError(`Unknown role "${code}"; one of ${ROLES.join(', ')}`, { fields: { role: 'unknown role' } });
  return role;
}

export class DirectoryService {
  constructor(private readonly deps: DirectoryServiceDeps) {}

  async validateToken(token: string): Promise<TokenValidation> {
    try {
      const auth = await this.deps.verifier.verify(token);
      const { exp } = decodeJwt(token);
      return { valid: true, reason: '', auth, expiresAt: exp === undefined ? null : new Date(exp * 1000) };
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'UNAUTHENTICATED') throw error;
      const reason = error.details.reason === 'expired' ? 'expired' : 'invalid';
      return { valid: false, reason, auth: null, expiresAt: null };
    }
  }

  async getUser(id: string): Promise<UserRecord> {
    const [user] = await this.deps.users.findByIds([id]);
    if (!user) throw userNotFound(id);
    return user;
  }

  /** Users by filter and/or ids (all must match), active ones unless asked otherwise. */
  async getUsers({ includeInactive, ...filter }: DirectoryQuery): Promise<UserRecord[]> {
    if (filter.ids && filter.ids.length > MAX_DIRECTORY_USERS) {
      throw validationError(`At most ${MAX_DIRECTORY_USERS} ids per call`, { fields: { ids: `at most ${MAX_DIRECTORY_USERS}` } });
    }
    const where: UserFilter = { ...filter, ...(includeInactive ? {} : { isActive: true }) };
    const users = await this.deps.users.list(where, MAX_DIRECTORY_USERS + 1);
    if (users.length > MAX_DIRECTORY_USERS) {
      throw validationError(`More than ${MAX_DIRECTORY_USERS} users match; narrow the filter`, { maxUsers: MAX_DIRECTORY_USERS }, IdentityErrorCodes.TOO_MANY_USERS);
    }
    return users;
  }

  /** hasRole: the user holds the role and is active. inScope: that, and it reaches the entrance (if one is given). */
  async checkUserRole({ userId, role: code, entrance }: RoleCheck): Promise<{ hasRole: boolean; inScope: boolean }> {
    const role = parseRole(code);
    const user = await this.getUser(userId);
    const hasRole = user.isActive && user.roles.includes(role);
    const inScope = hasRole && (entrance === undefined || roleReachesEntrance(user, role, entrance));
    return { hasRole, inScope };
  }
}
