// Password hashing with argon2id (@node-rs/argon2).
import { hash, verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../services/ports';

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
