// What other services ask identity over gRPC: token validation, users, role checks. Callers are
// internal services that have already authorised their own request.
import { DomainError, validationError, type AuthContext, type EntranceRef } from '@campus/platform';
import { namesPlace, placeOf } from '../domain/campus';
import { IdentityErrors, userNotFound } from '../domain/errors';
import { MAX_DIRECTORY_USERS } from '../domain/limits';
import { parseRole, roleReachesEntrance } from '../domain/roles';
import type { UserDetail, UserFilter, UserOfDetail, UserRecord } from '../domain/users';
import type { AccessTokenVerifier, UserStore } from './ports';

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

/** GetUsers' answer: the users, and whether the place the query names is in the layout. */
export interface DirectoryUsers<D extends UserDetail> {
  users: Array<UserOfDetail<D>>;
  /** False only when no user matches and the layout lacks the building, entrance, floor or room named. */
  placeKnown: boolean;
}

export interface RoleCheck {
  userId: string;
  role: string;
  entrance?: EntranceRef;
}

export interface DirectoryServiceDeps {
  users: UserStore;
  verifier: AccessTokenVerifier;
}

export class DirectoryService {
  constructor(private readonly deps: DirectoryServiceDeps) {}

  async validateToken(token: string): Promise<TokenValidation> {
    try {
      const auth = await this.deps.verifier.verify(token);
      return { valid: true, reason: '', auth, expiresAt: auth.expiresAt ?? null };
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

  /**
   * Users by filter and/or ids (all must match), active ones unless asked otherwise; `detail`
   * 'summary' reads only what a roll-call or a roster needs (names, residence, flags). With them,
   * whether the place the filter names exists, so that a caller tells "nobody lives there" from
   * "there is no such entrance" (patrol refuses a roll-call of the latter).
   */
  async getUsers<D extends UserDetail>(
    { includeInactive, ...filter }: DirectoryQuery,
    detail: D,
  ): Promise<DirectoryUsers<D>> {
    if (filter.ids && filter.ids.length > MAX_DIRECTORY_USERS) {
      throw validationError(`At most ${MAX_DIRECTORY_USERS} ids per call`, {
        fields: { ids: `at most ${MAX_DIRECTORY_USERS}` },
      });
    }
    const where: UserFilter = { ...filter, ...(includeInactive ? {} : { isActive: true }) };
    const users = await this.deps.users.list(where, MAX_DIRECTORY_USERS + 1, detail);
    if (users.length > MAX_DIRECTORY_USERS) {
      throw IdentityErrors.error('TOO_MANY_USERS', `More than ${MAX_DIRECTORY_USERS} users match; narrow the filter`, {
        maxUsers: MAX_DIRECTORY_USERS,
      });
    }
    // Users found live there, so the layout is asked only for an empty answer: a roll-call of a
    // lived-in entrance pays nothing for it.
    const placeKnown = users.length > 0 || !namesPlace(filter) || (await this.deps.users.placeExists(placeOf(filter)));
    return { users, placeKnown };
  }

  /**
   * CheckPlace: whether the layout has the building (and the entrance, when given), so that a
   * service filing something under a building refuses a code the campus lacks. One EXISTS.
   */
  placeKnown(place: { building: string; entrance?: number | undefined }): Promise<boolean> {
    return this.deps.users.placeExists(placeOf(place));
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
