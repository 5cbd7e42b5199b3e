import { DomainError, type AuthContext } from '@campus/platform';
import { assertCanViewUser, campusScopeOf, canSeeParentContact, canSeeResidents } from '../../src/domain/access';
import type { RoomRecord } from '../../src/domain/campus';
import { canonicalRoles, distinctEntrances, validateRoleAssignment } from '../../src/domain/roles';
import {
  accountDelaySeconds,
  afterAccountFailure,
  afterFailedAttempt,
  CLEAR_THROTTLE,
  isClear,
  lockedForSeconds,
} from '../../src/domain/throttle';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return 'OK';
};

describe('role combinations', () => {
  const valid = (
    roles: Parameters<typeof validateRoleAssignment>[0]['roles'],
    hasResidence = false,
    entrances = [] as { building: string; entrance: number }[],
  ) => codeOf(() => validateRoleAssignment({ roles, entrances, hasResidence }));

  it.each([
    [['student'], true],
    [['student'], false],
    [['student', 'student_head'], true],
    [['student', 'student_patrol', 'student_head'], true],
    [['educator'], false],
    [['educator', 'educator_head'], false],
    [['admin', 'educator'], false],
  ] as const)('accepts %j (residence: %s)', (roles, hasResidence) => {
    expect(valid([...roles], hasResidence)).toBe('OK');
  });

  it('never mixes staff and student roles, with its own code', () => {
    expect(valid(['student', 'educator'], true)).toBe('AUTH_INVALID_ROLE_COMBINATION');
    expect(valid(['admin', 'student_patrol', 'student'], true)).toBe('AUTH_INVALID_ROLE_COMBINATION');
    expect(valid(['student_head', 'educator_head'])).toBe('AUTH_INVALID_ROLE_COMBINATION');
  });

  it('needs the student role under patrol/head, and a residence for their scope', () => {
    expect(valid(['student_head'], true)).toBe('AUTH_INVALID_ROLE_COMBINATION');
    expect(valid(['student', 'student_patrol'], false)).toBe('AUTH_RESIDENCE_REQUIRED');
  });

  it('allows entrances only for an educator_head and a residence only for students', () => {
    const e = [{ building: '8', entrance: 1 }];
    expect(valid(['educator_head'], false, e)).toBe('OK');
    expect(valid(['educator'], false, e)).toBe('AUTH_ENTRANCES_NOT_ALLOWED');
    expect(valid(['admin'], true)).toBe('AUTH_RESIDENCE_NOT_ALLOWED');
    expect(valid([])).toBe('AUTH_ROLES_REQUIRED');
  });

  it('returns roles once, in canonical order', () => {
    expect(
      validateRoleAssignment({ roles: ['student_head', 'student', 'student_head'], entrances: [], hasResidence: true }),
    ).toEqual(['student', 'student_head']);
    expect(canonicalRoles(['admin', 'educator'])).toEqual(['educator', 'admin']);
    expect(
      distinctEntrances([
        { building: '8', entrance: 1 },
        { building: '8', entrance: 1 },
        { building: '9', entrance: 1 },
      ]),
    ).toHaveLength(2);
  });
});

describe('login throttle state', () => {
  const policy = { maxFailures: 3, windowSeconds: 60, lockoutSeconds: 300 };
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

  it('counts failures within the window from the first one, then locks', () => {
    let state = afterFailedAttempt(CLEAR_THROTTLE, at(0), policy);
    state = afterFailedAttempt(state, at(30), policy);
    expect(state).toMatchObject({ failedAttempts: 2, firstFailedAt: at(0), lockedUntil: null });
    state = afterFailedAttempt(state, at(59), policy);
    expect(state.lockedUntil).toEqual(new Date(at(59).getTime() + 300_000));
    expect(state.failedAttempts).toBe(0);
    expect(lockedForSeconds(state, at(60))).toBe(299);
    expect(lockedForSeconds(state, at(59 + 300))).toBe(0);
  });

  it('opens a new window when the first failure is older than the window', () => {
    let state = afterFailedAttempt(CLEAR_THROTTLE, at(0), policy);
    state = afterFailedAttempt(state, at(10), policy);
    state = afterFailedAttempt(state, at(61), policy);
    expect(state).toMatchObject({ failedAttempts: 1, firstFailedAt: at(61), lockedUntil: null });
    expect(isClear(state)).toBe(false);
    expect(isClear(CLEAR_THROTTLE)).toBe(true);
  });
});

describe('visibility and scope', () => {
  const auth = (
    roles: AuthContext['roles'],
    residence: AuthContext['residence'] = null,
    userId = 'u1',
  ): AuthContext => ({
    userId,
    roles,
    residence,
    isMinor: false,
    entrances: [],
    token: 't',
  });
  const home = { building: '8', entrance: 1, floor: 2, room: '1201' };
  const room = (entrance: number, number: string): RoomRecord => ({
    id: 'r',
    building: '8',
    entrance,
    floor: 2,
    number,
    capacity: 2,
  });

  it('lets staff see anyone and others only themselves', () => {
    expect(codeOf(() => assertCanViewUser(auth(['educator']), 'u2'))).toBe('OK');
    expect(codeOf(() => assertCanViewUser(auth(['student']), 'u1'))).toBe('OK');
    expect(codeOf(() => assertCanViewUser(auth(['student', 'student_head'], home), 'u2'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertCanViewUser(null, 'u1'))).toBe('UNAUTHENTICATED');
  });

  it('shows parent contacts to staff and the user themself only', () => {
    expect(canSeeParentContact(auth(['admin']), 'u2')).toBe(true);
    expect(canSeeParentContact(auth(['student']), 'u1')).toBe(true);
    expect(canSeeParentContact(auth(['student', 'student_head'], home), 'u2')).toBe(false);
    expect(canSeeParentContact(null, 'u1')).toBe(false);
  });

  it('gives staff the whole campus, a head their own entrance, and nobody else anything', () => {
    expect(campusScopeOf(auth(['educator_head']))).toEqual({ kind: 'all' });
    expect(campusScopeOf(auth(['student', 'student_head'], home))).toEqual({
      kind: 'entrance',
      entrance: { building: '8', entrance: 1 },
    });
    expect(codeOf(() => campusScopeOf(auth(['student', 'student_patrol'], home)))).toBe('FORBIDDEN');
    expect(codeOf(() => campusScopeOf(auth(['student', 'student_head'])))).toBe('FORBIDDEN');
  });

  it("shows a room's residents to staff, its entrance's head/patrol and its own residents", () => {
    expect(canSeeResidents(auth(['educator']), room(3, '3201'))).toBe(true);
    expect(canSeeResidents(auth(['student', 'student_patrol'], home), room(1, '1302'))).toBe(true);
    expect(canSeeResidents(auth(['student', 'student_head'], home), room(2, '2201'))).toBe(false);
    expect(canSeeResidents(auth(['student'], home), room(1, '1201'))).toBe(true);
    expect(canSeeResidents(auth(['student'], home), room(1, '1202'))).toBe(false);
    // the same room number and entrance in another building is another room
    expect(canSeeResidents(auth(['student', 'student_head'], { ...home, building: '9' }), room(1, '1201'))).toBe(false);
    expect(canSeeResidents(undefined, room(1, '1202'))).toBe(false);
  });
});

describe('login throttle: per client and per account', () => {
  const policy = { maxFailures: 3, windowSeconds: 600, lockoutSeconds: 900, maxDelaySeconds: 60 };
  const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, s));

  it('delays the account progressively beyond maxFailures, capped, and never locks it', () => {
    let state = CLEAR_THROTTLE;
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      state = afterAccountFailure(state, at(i), policy);
      delays.push(accountDelaySeconds(state, at(i), policy));
    }
    expect(delays).toEqual([0, 0, 1, 2, 4, 8, 16, 32, 60, 60]);
    expect(state.lockedUntil).toBeNull();
    expect(accountDelaySeconds(state, at(9 + 30), policy)).toBe(30);
    expect(accountDelaySeconds(state, at(9 + 60), policy)).toBe(0);
  });

  it('forgets account failures once none came for the window', () => {
    let state = CLEAR_THROTTLE;
    for (let i = 0; i < 5; i++) state = afterAccountFailure(state, at(i * 100), policy);
    expect(state.failedAttempts).toBe(5);
    expect(accountDelaySeconds(state, at(400 + 599), policy)).toBe(0);
    state = afterAccountFailure(state, at(400 + 600), policy);
    expect(state).toMatchObject({ failedAttempts: 1, firstFailedAt: at(1000) });
  });
});
