import { DomainError, sha256Hex, type AuthContext } from '@campus/platform';
import type { Session } from '../../src/domain/sessions';
import { AuthService } from '../../src/services/auth.service';
import {
  FakeAccessTokens,
  InMemoryRefreshTokens,
  InMemoryUsers,
  caller,
  fakeHasher,
  frozenClock,
  seconds,
} from '../support/fakes';

const POLICY = { maxFailures: 5, windowSeconds: 900, lockoutSeconds: 900, maxDelaySeconds: 60 };
const WEEK = 7 * 24 * 3600;

function setup() {
  const time = frozenClock();
  const users = new InMemoryUsers();
  const refreshTokens = new InMemoryRefreshTokens();
  const warnings: string[] = [];
  const service = new AuthService({
    users,
    refreshTokens,
    hasher: fakeHasher,
    accessTokens: new FakeAccessTokens(time),
    clock: time,
    settings: { refreshTokenTtlSeconds: WEEK, throttle: POLICY },
    log: { warn: (_details, message) => warnings.push(message) },
  });
  const student = users.add({ email: 'student@sirius.local', password: 'correct-horse' });
  const admin = users.add({ email: 'admin@sirius.local', roles: ['admin'], password: 'admin-password' });
  return { time, users, refreshTokens, service, student, admin, warnings };
}

/** The error a promise rejects with (fails the test if it resolves). */
async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('login', () => {
  it('issues an access token and a stored, hashed, 7-day refresh token', async () => {
    const { service, refreshTokens, student, time } = setup();
    const session = await service.login({ email: 'student@sirius.local', password: 'correct-horse' });
    expect(session.user.id).toBe(student.id);
    expect(session.accessToken).toMatch(/^access:/);
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.refreshExpiresAt.getTime() - time.now().getTime()).toBe(WEEK * 1000);
    expect(refreshTokens.rows).toHaveLength(1);
    expect(refreshTokens.rows[0]?.tokenHash).toBe(sha256Hex(session.refreshToken));
    expect(refreshTokens.rows[0]?.tokenHash).not.toContain(session.refreshToken);
  });

  it('answers a wrong password and an unknown e-mail identically', async () => {
    const { service } = setup();
    const wrong = await failure(service.login({ email: 'student@sirius.local', password: 'nope-nope' }));
    const unknown = await failure(service.login({ email: 'ghost@sirius.local', password: 'nope-nope' }));
    expect(wrong.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(unknown.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(unknown.message).toBe(wrong.message);
  });

  it('refuses a deactivated account, but only to someone who knows the password', async () => {
    const { service, users, student } = setup();
    await users.update(student.id, { isActive: false });
    expect((await failure(service.login({ email: student.email, password: 'correct-horse' }))).code).toBe(
      'AUTH_ACCOUNT_DISABLED',
    );
    expect((await failure(service.login({ email: student.email, password: 'wrong-pass' }))).code).toBe(
      'AUTH_INVALID_CREDENTIALS',
    );
  });
});

describe('login throttling', () => {
  const fail = (service: AuthService) =>
    failure(service.login({ email: 'student@sirius.local', password: 'wrong-pass' }));
  const succeed = (service: AuthService) => service.login({ email: 'student@sirius.local', password: 'correct-horse' });

  it('locks the account for 15 minutes after 5 failures within 15 minutes', async () => {
    const { service, time, warnings } = setup();
    for (let i = 0; i < 5; i++) {
      expect((await fail(service)).code).toBe('AUTH_INVALID_CREDENTIALS');
      time.advance(seconds(60));
    }
    const locked = await failure(succeed(service));
    expect(locked.code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    expect(locked.kind).toBe('TOO_MANY_REQUESTS');
    expect(locked.details.retryAfterSeconds).toBe(900 - 60);
    expect(warnings).toContain('account locked after failed sign-ins');

    time.advance(seconds(840));
    await expect(succeed(service)).resolves.toBeDefined();
  });

  it('does not count failures spread over more than the window', async () => {
    const { service, time } = setup();
    for (let i = 0; i < 4; i++) await fail(service);
    time.advance(seconds(901));
    await fail(service);
    await expect(succeed(service)).resolves.toBeDefined();
  });

  it('resets the counter on a successful login', async () => {
    const { service, users, student } = setup();
    for (let i = 0; i < 4; i++) await fail(service);
    expect(users.get(student.id).throttle.failedAttempts).toBe(4);
    await succeed(service);
    expect(users.get(student.id).throttle.failedAttempts).toBe(0);
    for (let i = 0; i < 4; i++) await fail(service);
    await expect(succeed(service)).resolves.toBeDefined();
  });

  it("locks only the guessing client: the owner signs in from another address after the account's delay", async () => {
    const { service, time } = setup();
    const guess = () =>
      failure(service.login({ email: 'student@sirius.local', password: 'wrong-pass', client: '203.0.113.9' }));
    for (let i = 0; i < 5; i++) {
      expect((await guess()).code).toBe('AUTH_INVALID_CREDENTIALS');
      time.advance(seconds(1));
    }
    // The guesser's address is locked for the lockout; the account only waits 2^(n−max) s after a failure.
    expect((await guess()).details.retryAfterSeconds).toBe(900 - 1);
    const owner = { email: 'student@sirius.local', password: 'correct-horse', client: '198.51.100.7' };
    await expect(service.login(owner)).resolves.toBeDefined();
  });

  it('slows every client down once failures pile up, at most maxDelaySeconds between attempts', async () => {
    const { service, time } = setup();
    for (let i = 0; i < 12; i++) {
      await failure(service.login({ email: 'student@sirius.local', password: 'wrong-pass', client: `10.0.0.${i}` }));
      time.advance(seconds(60));
    }
    const early = await failure(service.login({ email: 'student@sirius.local', password: 'wrong', client: 'x' }));
    expect(early.code).toBe('AUTH_INVALID_CREDENTIALS');
    const delayed = await failure(
      service.login({ email: 'student@sirius.local', password: 'correct-horse', client: 'owner' }),
    );
    expect(delayed.code).toBe('AUTH_TOO_MANY_ATTEMPTS');
    expect(delayed.details.retryAfterSeconds).toBe(60);
    time.advance(seconds(60));
    await expect(
      service.login({ email: 'student@sirius.local', password: 'correct-horse', client: 'owner' }),
    ).resolves.toBeDefined();
  });

  it('retries the optimistic update when another attempt changed the counter meanwhile', async () => {
    const { service, users, student } = setup();
    const original = users.updateThrottle.bind(users);
    let interfered = false;
    users.updateThrottle = async (id, expected, next) => {
      if (!interfered) {
        interfered = true;
        users.get(id).throttle = { ...expected, failedAttempts: 2, firstFailedAt: new Date() };
        return false;
      }
      return original(id, expected, next);
    };
    await fail(service);
    expect(users.get(student.id).throttle.failedAttempts).toBe(3);
  });
});

describe('refresh', () => {
  async function signedIn() {
    const ctx = setup();
    const session = await ctx.service.login({ email: 'student@sirius.local', password: 'correct-horse' });
    return { ...ctx, session };
  }

  it('rotates: a new token in the same family, the old one marked rotated', async () => {
    const { service, refreshTokens, session } = await signedIn();
    const next = await service.refresh(session.refreshToken);
    expect(next.refreshToken).not.toBe(session.refreshToken);
    const [old, fresh] = refreshTokens.rows;
    expect(old?.rotatedAt).not.toBeNull();
    expect(fresh?.familyId).toBe(old?.familyId);
    expect(fresh?.tokenHash).toBe(sha256Hex(next.refreshToken));
  });

  it('detects reuse of a rotated token and revokes the whole family', async () => {
    const { service, refreshTokens, session, warnings } = await signedIn();
    const next = await service.refresh(session.refreshToken);
    expect((await failure(service.refresh(session.refreshToken))).code).toBe('AUTH_REFRESH_TOKEN_REUSED');
    expect(refreshTokens.rows.every((r) => r.revokedAt !== null)).toBe(true);
    expect((await failure(service.refresh(next.refreshToken))).code).toBe('AUTH_INVALID_REFRESH_TOKEN');
    expect(warnings).toContain('refresh token reuse detected; token family revoked');
  });

  it('treats losing a concurrent rotation as reuse', async () => {
    const { service, refreshTokens, session } = await signedIn();
    refreshTokens.loseNextRotation = true;
    expect((await failure(service.refresh(session.refreshToken))).code).toBe('AUTH_REFRESH_TOKEN_REUSED');
    expect(refreshTokens.rows.every((r) => r.revokedAt !== null)).toBe(true);
  });

  it('leaves other sign-ins alone when one family is revoked', async () => {
    const { service, session } = await signedIn();
    const other = await service.login({ email: 'student@sirius.local', password: 'correct-horse' });
    await service.refresh(session.refreshToken);
    await failure(service.refresh(session.refreshToken));
    await expect(service.refresh(other.refreshToken)).resolves.toBeDefined();
  });

  it('refuses expired, unknown and logged-out tokens', async () => {
    const { service, session, time } = await signedIn();
    expect((await failure(service.refresh('not-a-token'))).code).toBe('AUTH_INVALID_REFRESH_TOKEN');
    time.advance(seconds(WEEK + 1));
    expect((await failure(service.refresh(session.refreshToken))).code).toBe('AUTH_REFRESH_TOKEN_EXPIRED');

    const fresh = await signedIn();
    await fresh.service.logout(fresh.session.refreshToken);
    expect((await failure(fresh.service.refresh(fresh.session.refreshToken))).code).toBe('AUTH_INVALID_REFRESH_TOKEN');
  });

  it('ends the sessions of a deactivated user', async () => {
    const { service, users, student, session, refreshTokens } = await signedIn();
    await users.update(student.id, { isActive: false });
    expect((await failure(service.refresh(session.refreshToken))).code).toBe('AUTH_ACCOUNT_DISABLED');
    expect(refreshTokens.rows[0]?.revokedAt).not.toBeNull();
  });
});

describe('logout', () => {
  it('revokes the family of the presented token; false for an unknown token', async () => {
    const ctx = setup();
    const session: Session = await ctx.service.login({ email: 'student@sirius.local', password: 'correct-horse' });
    expect(await ctx.service.logout('unknown')).toBe(false);
    expect(await ctx.service.logout(session.refreshToken)).toBe(true);
    expect(ctx.refreshTokens.rows[0]?.revokedAt).not.toBeNull();
  });

  it('logoutEverywhere revokes every session of the caller and needs a signed-in caller', async () => {
    const { service, student, refreshTokens } = setup();
    await service.login({ email: 'student@sirius.local', password: 'correct-horse' });
    await service.login({ email: 'student@sirius.local', password: 'correct-horse' });
    await service.login({ email: 'admin@sirius.local', password: 'admin-password' });
    expect(await service.logoutEverywhere(caller(student))).toBe(true);
    expect(refreshTokens.rows.filter((r) => r.userId === student.id).every((r) => r.revokedAt)).toBe(true);
    expect(refreshTokens.rows.filter((r) => r.userId !== student.id).every((r) => !r.revokedAt)).toBe(true);
    expect((await failure(service.logoutEverywhere(null))).code).toBe('UNAUTHENTICATED');
  });
});

describe('changePassword', () => {
  it('lets users change their own password with the current one, ending their sessions', async () => {
    const { service, student, users, refreshTokens } = setup();
    await service.login({ email: student.email, password: 'correct-horse' });
    await service.changePassword(caller(student), { currentPassword: 'correct-horse', newPassword: 'battery-staple' });
    expect(users.get(student.id).passwordHash).toBe('hashed:battery-staple');
    expect(refreshTokens.rows.every((r) => r.revokedAt)).toBe(true);
    await expect(service.login({ email: student.email, password: 'battery-staple' })).resolves.toBeDefined();
  });

  it('requires and checks the current password for your own account', async () => {
    const { service, student } = setup();
    const me: AuthContext = caller(student);
    expect((await failure(service.changePassword(me, { newPassword: 'battery-staple' }))).code).toBe(
      'AUTH_CURRENT_PASSWORD_REQUIRED',
    );
    expect(
      (await failure(service.changePassword(me, { currentPassword: 'wrong', newPassword: 'battery-staple' }))).code,
    ).toBe('AUTH_INVALID_CREDENTIALS');
    expect(
      (await failure(service.changePassword(me, { currentPassword: 'correct-horse', newPassword: 'short' }))).code,
    ).toBe('AUTH_WEAK_PASSWORD');
  });

  it("lets an admin set anyone's password without the current one, lifting a lock", async () => {
    const { service, student, admin, users, time } = setup();
    for (let i = 0; i < 5; i++) await failure(service.login({ email: student.email, password: 'wrong-pass' }));
    await service.changePassword(caller(admin), { userId: student.id, newPassword: 'new-password' });
    time.advance(seconds(1));
    await expect(service.login({ email: student.email, password: 'new-password' })).resolves.toBeDefined();
    expect(users.get(student.id).throttle.lockedUntil).toBeNull();
  });

  it("refuses to let a non-admin change someone else's password", async () => {
    const { service, student, admin } = setup();
    expect(
      (await failure(service.changePassword(caller(student), { userId: admin.id, newPassword: 'whatever-1' }))).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await failure(
          service.changePassword(caller(admin), {
            userId: 'f0000000-0000-0000-0000-000000000000',
            newPassword: 'whatever-1',
          }),
        )
      ).code,
    ).toBe('NOT_FOUND');
  });
});

it('purges refresh tokens that expired longer ago than the grace period', async () => {
  const { service, refreshTokens, time } = setup();
  await service.login({ email: 'student@sirius.local', password: 'correct-horse' });
  time.advance(seconds(WEEK + 100));
  expect(await service.purgeExpiredTokens(3600)).toBe(0);
  time.advance(seconds(3600));
  expect(await service.purgeExpiredTokens(3600)).toBe(1);
  expect(refreshTokens.rows).toHaveLength(0);
});
