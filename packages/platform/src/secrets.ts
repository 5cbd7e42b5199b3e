import { hash, randomBytes } from 'node:crypto';

/**
 * An unguessable opaque token (refresh tokens, upload links, stream tickets): `bytes` random bytes
 * in base64url, 43 characters for the default 256 bits.
 */
export function secureToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 16) throw new RangeError('a secure token needs at least 16 random bytes');
  return randomBytes(bytes).toString('base64url');
}

/**
 * SHA-256 as lower-case hex: what is stored of a token, so a database leak yields nothing usable.
 * One-shot `crypto.hash` (Node ≥ 20.12): ~1.0 µs against ~1.6 µs for a Hash object per call on a
 * bearer token, which the router hashes for every request (the verified-token cache's key).
 */
export function sha256Hex(value: string | Buffer): string {
  return hash('sha256', value, 'hex');
}
