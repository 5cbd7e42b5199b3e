// Login throttling per account: after `maxFailures` failed sign-ins within `windowSeconds` of the
// first one, the account is locked for `lockoutSeconds`. A successful sign-in clears the state.
import { addSeconds, secondsUntil } from './time';

export interface ThrottleState {
  failedAttempts: number;
  firstFailedAt: Date | null;
  lastFailedAt: Date | null;
  lockedUntil: Date | null;
}

export interface ThrottlePolicy {
  maxFailures: number;
  windowSeconds: number;
  lockoutSeconds: number;
}

export const CLEAR_THROTTLE: ThrottleState = {
  failedAttempts: 0,
  firstFailedAt: null,
  lastFailedAt: null,
  lockedUntil: null,
};

/** Seconds the account stays locked; 0 when it is not locked. */
export function lockedForSeconds(state: ThrottleState, now: Date): number {
  return state.lockedUntil ? secondsUntil(state.lockedUntil, now) : 0;
}

/** The state after one more failed attempt. */
export function afterFailedAttempt(state: ThrottleState, now: Date, policy: ThrottlePolicy): ThrottleState {
  const windowOpen =
    state.firstFailedAt !== null && now.getTime() - state.firstFailedAt.getTime() < policy.windowSeconds * 1000;
  const failedAttempts = (windowOpen ? state.failedAttempts : 0) + 1;
  if (failedAttempts >= policy.maxFailures) {
    // The lock starts a fresh count: after it, the next failures open a new window.
    return {
      failedAttempts: 0,
      firstFailedAt: null,
      lastFailedAt: now,
      lockedUntil: addSeconds(now, policy.lockoutSeconds),
    };
  }
  return {
    failedAttempts,
    firstFailedAt: windowOpen ? state.firstFailedAt : now,
    lastFailedAt: now,
    lockedUntil: null,
  };
}

export const isClear = (state: ThrottleState): boolean =>
  state.failedAttempts === 0 && state.firstFailedAt === null && state.lockedUntil === null;
