import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { weakPassword } from './errors';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a hash that cannot be parsed. */
  verify(passwordHash: string, password: string): Promise<boolean>;
}

/**
 * Argon2id with the library defaults (m = 19 MiB, t = 2, p = 1: the OWASP baseline, ~25 ms here).
 * Runs on the libuv thread pool, so hashing does not block the event loop.
 */
export const argon2Hasher: PasswordHasher = {
  hash: (password) => hash(password),
  verify: async (passwordHash, password) => {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  },
};

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

/** A random password nobody knows (24 base64url characters, 144 bits). */
export const generatePassword = (): string => randomBytes(18).toString('base64url');
