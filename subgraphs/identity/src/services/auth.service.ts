// Sign-in, session refresh with rotation and reuse detection, sign-out, password changes.
import { randomUUID } from 'node:crypto';
import { requireAuth, requireRole, secureToken, sha256Hex, type AuthContext, type Clock } from '@campus/platform';
import {
  accountDisabled,
  IdentityErrors,
  invalidCredentials,
  invalidRefreshToken,
  refreshTokenExpired,
  refreshTokenReused,
  tooManyAttempts,
  userNotFound,
} from '../domain/errors';
import { assertPasswordPolicy, generatePassword } from '../domain/passwords';
import type { RefreshTokenRecord, Session } from '../domain/sessions';
import {
  accountDelaySeconds,
  afterAccountFailure,
  afterFailedAttempt,
  CLEAR_THROTTLE,
  isClear,
  lockedForSeconds,
  UNKNOWN_CLIENT,
  type ThrottlePolicy,
  type ThrottleState,
} from '../domain/throttle';
import { addSeconds } from '../domain/time';
import type { Credentials, UserRecord } from '../domain/users';
import type { AccessTokenIssuer, PasswordHasher, RefreshTokenStore, SecurityLog, UserStore } from './ports';

export interface AuthSettings {
  refreshTokenTtlSeconds: number;
  throttle: ThrottlePolicy;
}

export interface AuthServiceDeps {
  users: UserStore;
  refreshTokens: RefreshTokenStore;
  hasher: PasswordHasher;
  accessTokens: AccessTokenIssuer;
  clock: Clock;
  settings: AuthSettings;
  log?: SecurityLog;
}

export interface LoginInput {
  /** Already normalised (lower-case). */
  email: string;
  password: string;
  /** Whom the attempt comes from (client address); throttled apart from other clients. */
  client?: string;
}

export interface ChangePasswordInput {
  /** Whose password; the caller's own when absent. */
  userId?: string | null;
  currentPassword?: string | null;
  newPassword: string;
}

/** Optimistic updates of the throttle state are retried this often under contention. */
const THROTTLE_UPDATE_ATTEMPTS = 5;

export class AuthService {
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: AuthServiceDeps) {}

  async login({ email, password, client = UNKNOWN_CLIENT }: LoginInput): Promise<Session> {
    const credentials = await this.deps.users.findCredentialsByEmail(email);
    if (!credentials) {
      await this.spendVerificationTime(password);
      throw invalidCredentials();
    }
    const clientThrottle = await this.verifyThrottled(credentials, password, client);
    // Checked after the password, so the state of an account is only told to its owner.
    if (!credentials.isActive) throw accountDisabled();
    if (!isClear(credentials.throttle)) {
      await this.deps.users.updateThrottle(credentials.userId, credentials.throttle, CLEAR_THROTTLE);
    }
    if (!isClear(clientThrottle)) await this.deps.users.clearClientThrottles(credentials.userId, client);
    const user = await this.requireUser(credentials.userId);
    const now = this.deps.clock.now();
    const refresh = this.newRefreshToken(user.id, randomUUID(), now);
    await this.deps.refreshTokens.insert(refresh.row);
    return this.session(user, refresh.token, refresh.row.expiresAt);
  }

  /**
   * Exchanges a refresh token for a new pair. The presented token is rotated (single use); one that
   * was already rotated proves a copy exists, so its whole family (this sign-in) is revoked.
   */
  async refresh(refreshToken: string): Promise<Session> {
    const now = this.deps.clock.now();
    const current = await this.deps.refreshTokens.findByHash(sha256Hex(refreshToken));
    if (!current) throw invalidRefreshToken();
    if (current.rotatedAt) throw await this.reuseDetected(current, now);
    if (current.revokedAt) throw invalidRefreshToken();
    if (current.expiresAt.getTime() <= now.getTime()) throw refreshTokenExpired();
    const user = (await this.deps.users.findByIds([current.userId]))[0];
    if (!user?.isActive) {
      await this.deps.refreshTokens.revokeFamily(current.familyId, now);
      throw accountDisabled();
    }
    const next = this.newRefreshToken(user.id, current.familyId, now);
    // Two concurrent refreshes with the same token: only one rotation wins, the other is a reuse.
    if (!(await this.deps.refreshTokens.rotate(current.id, now, next.row)))
      throw await this.reuseDetected(current, now);
    return this.session(user, next.token, next.row.expiresAt);
  }

  /** Ends the sign-in the token belongs to (its family). False when the token is unknown. */
  async logout(refreshToken: string): Promise<boolean> {
    const current = await this.deps.refreshTokens.findByHash(sha256Hex(refreshToken));
    if (!current) return false;
    await this.deps.refreshTokens.revokeFamily(current.familyId, this.deps.clock.now());
    return true;
  }

  async logoutEverywhere(auth: AuthContext | null): Promise<boolean> {
    const caller = requireAuth(auth);
    await this.revokeAllSessions(caller.userId);
    return true;
  }

  /**
   * Users change their own password knowing the current one; an admin sets anyone else's without
   * it (and thereby lifts a login lock). Either way every session of that user ends.
   */
  async changePassword(
    auth: AuthContext | null,
    input: ChangePasswordInput,
    client = UNKNOWN_CLIENT,
  ): Promise<boolean> {
    const caller = requireAuth(auth);
    const targetId = input.userId ?? caller.userId;
    const own = targetId === caller.userId;
    if (!own) requireRole(caller, 'admin');
    assertPasswordPolicy(input.newPassword);
    const credentials = await this.deps.users.findCredentialsById(targetId);
    if (!credentials) throw userNotFound(targetId);
    if (own) await this.verifyCurrentPassword(credentials, input.currentPassword, client);
    await this.deps.users.setPasswordHash(targetId, await this.deps.hasher.hash(input.newPassword));
    if (!own) {
      if (!isClear(credentials.throttle)) {
        await this.deps.users.updateThrottle(targetId, credentials.throttle, CLEAR_THROTTLE);
      }
      await this.deps.users.clearClientThrottles(targetId);
    }
    await this.revokeAllSessions(targetId);
    return true;
  }

  async revokeAllSessions(userId: string): Promise<number> {
    return this.deps.refreshTokens.revokeAllOfUser(userId, this.deps.clock.now());
  }

  /** Deletes refresh tokens that expired more than `graceSeconds` ago (kept a while for forensics). */
  async purgeExpiredTokens(graceSeconds: number): Promise<number> {
    return this.deps.refreshTokens.deleteExpiredBefore(addSeconds(this.deps.clock.now(), -graceSeconds));
  }

  private async verifyCurrentPassword(
    credentials: Credentials,
    currentPassword: string | null | undefined,
    client: string,
  ): Promise<void> {
    if (!currentPassword) {
      throw IdentityErrors.error('CURRENT_PASSWORD_REQUIRED', 'Give your current password to change it', {
        fields: { currentPassword: 'is required' },
      });
    }
    await this.verifyThrottled(credentials, currentPassword, client);
  }

  /**
   * Checks a password under the throttles (domain/throttle.ts): neither a locked client nor any client
   * during the account's delay is even tried. Answers the client's throttle state as it was.
   */
  private async verifyThrottled(credentials: Credentials, password: string, client: string): Promise<ThrottleState> {
    const now = this.deps.clock.now();
    const policy = this.deps.settings.throttle;
    const clientThrottle = await this.deps.users.findClientThrottle(credentials.userId, client);
    const wait = Math.max(
      lockedForSeconds(clientThrottle, now),
      accountDelaySeconds(credentials.throttle, now, policy),
    );
    if (wait > 0) throw tooManyAttempts(wait);
    if (await this.deps.hasher.verify(credentials.passwordHash, password)) return clientThrottle;
    await this.recordAccountFailure(credentials, now);
    await this.recordClientFailure(credentials.userId, client, clientThrottle, now);
    throw invalidCredentials();
  }

  private async recordAccountFailure(credentials: Credentials, now: Date): Promise<void> {
    let state = credentials.throttle;
    for (let attempt = 0; attempt < THROTTLE_UPDATE_ATTEMPTS; attempt++) {
      const next = afterAccountFailure(state, now, this.deps.settings.throttle);
      if (await this.deps.users.updateThrottle(credentials.userId, state, next)) return;
      const fresh = await this.deps.users.findCredentialsById(credentials.userId);
      if (!fresh) return;
      state = fresh.throttle;
    }
  }

  private async recordClientFailure(userId: string, client: string, current: ThrottleState, now: Date): Promise<void> {
    let state = current;
    for (let attempt = 0; attempt < THROTTLE_UPDATE_ATTEMPTS; attempt++) {
      const next = afterFailedAttempt(state, now, this.deps.settings.throttle);
      if (await this.deps.users.updateClientThrottle(userId, client, state, next)) {
        if (next.lockedUntil) {
          this.deps.log?.warn(
            { userId, client, lockedUntil: next.lockedUntil },
            'account locked after failed sign-ins',
          );
        }
        return;
      }
      state = await this.deps.users.findClientThrottle(userId, client);
    }
  }

  private async reuseDetected(token: RefreshTokenRecord, now: Date): Promise<Error> {
    await this.deps.refreshTokens.revokeFamily(token.familyId, now);
    this.deps.log?.warn(
      { userId: token.userId, familyId: token.familyId },
      'refresh token reuse detected; token family revoked',
    );
    return refreshTokenReused();
  }

  /** Unknown e-mails cost as much time as known ones, so timing does not reveal accounts. */
  private async spendVerificationTime(password: string): Promise<void> {
    this.dummyHash ??= this.deps.hasher.hash(generatePassword());
    await this.deps.hasher.verify(await this.dummyHash, password);
  }

  private newRefreshToken(userId: string, familyId: string, now: Date) {
    // Opaque and random; only its SHA-256 is stored, so a database leak yields nothing presentable.
    const token = secureToken();
    const expiresAt = addSeconds(now, this.deps.settings.refreshTokenTtlSeconds);
    return { token, row: { userId, familyId, tokenHash: sha256Hex(token), expiresAt } };
  }

  private async session(user: UserRecord, refreshToken: string, refreshExpiresAt: Date): Promise<Session> {
    const access = await this.deps.accessTokens.issue(user);
    return { accessToken: access.token, accessExpiresAt: access.expiresAt, refreshToken, refreshExpiresAt, user };
  }

  private async requireUser(id: string): Promise<UserRecord> {
    const user = (await this.deps.users.findByIds([id]))[0];
    if (!user) throw userNotFound(id);
    return user;
  }
}
