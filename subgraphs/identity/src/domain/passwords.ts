// The password policy, and passwords nobody knows (accounts created without one).
import { secureToken } from '@campus/platform';
import { weakPassword } from './errors';

export const MIN_PASSWORD_LENGTH = 8;
/** Bounded so that nobody can make the server hash megabytes. */
export const MAX_PASSWORD_LENGTH = 128;

/** The password policy; AUTH_WEAK_PASSWORD names what is wrong. */
export function assertPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw weakPassword(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw weakPassword(`The password must have at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  if (password.trim().length === 0) throw weakPassword('The password must not be blank');
}

/** A random password nobody knows (24 base64url characters, 144 bits); it passes the policy. */
export const generatePassword = (): string => secureToken(18);
