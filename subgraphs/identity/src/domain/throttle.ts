// Login throttling, in two layers, so that guessing is slow and yet nobody can lock the owner out:
// - per account and client (address): after `maxFailures` failed sign-ins within `windowSeconds` of
//   the first one, that client is locked for `lockoutSeconds` on that account (other clients are not);
// - per account, every client together: beyond `maxFailures` failures, each further failure makes the
//   next attempt wait `2^(failures − maxFailures)` seconds, at most `maxDelaySeconds`; the count
//   forgets failures once none came for `windowSeconds`. A waiting owner retries within that cap.
// A successful sign-in clears the account's state and its client's.
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
  /** Cap of the per-account progressive delay. */
  maxDelaySeconds: number;
}

export const CLEAR_THROTTLE: ThrottleState = {
  failedAttempts: 0,
  firstFailedAt: null,
  lastFailedAt: null,
  lockedUntil: null,
};

/** Whom a sign-in attempt comes from when identity is told nothing better. */
export const UNKNOWN_CLIENT = 'unknown';

/** Seconds the (account, client) pair stays locked; 0 when it is not locked. */
export function lockedForSeconds(state: ThrottleState, now: Date): number {
  return state.lockedUntil ? secondsUntil(state.lockedUntil, now) : 0;
}

/** The (account, client) state after one more failed attempt. */
export function afterFailedAttempt(
  state: ThrottleState,
  now: Date,
  policy: Pick<ThrottlePolicy, 'maxFailures' | 'windowSeconds' | 'lockoutSeconds'>,
): ThrottleState {
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

const latestFailure = (state: ThrottleState): Date | null => state.lastFailedAt ?? state.firstFailedAt;

const accountWindowOpen = (state: ThrottleState, now: Date, policy: Pick<ThrottlePolicy, 'windowSeconds'>) => {
  const latest = latestFailure(state);
  return latest !== null && now.getTime() - latest.getTime() < policy.windowSeconds * 1000;
};

/** The account-wide state after one more failed attempt from any client: a count, never a lock. */
export function afterAccountFailure(
  state: ThrottleState,
  now: Date,
  policy: Pick<ThrottlePolicy, 'windowSeconds'>,
): ThrottleState {
  const open = accountWindowOpen(state, now, policy);
  return {
    failedAttempts: (open ? state.failedAttempts : 0) + 1,
    firstFailedAt: open ? state.firstFailedAt : now,
    lastFailedAt: now,
    lockedUntil: null,
  };
}

/** Seconds any client must still wait before the account takes another attempt; 0: go ahead. */
export function accountDelaySeconds(state: ThrottleState, now: Date, policy: ThrottlePolicy): number {
  const latest = latestFailure(state);
  if (!latest || !accountWindowOpen(state, now, policy)) return 0;
  const beyond = state.failedAttempts - policy.maxFailures;
  if (beyond < 0) return 0;
  const delay = Math.min(2 ** Math.min(beyond, 30), policy.maxDelaySeconds);
  return secondsUntil(addSeconds(latest, delay), now);
}

export const isClear = (state: ThrottleState): boolean =>
  state.failedAttempts === 0 && state.firstFailedAt === null && state.lockedUntil === null;
