import { LRUCache } from 'lru-cache';
import { sha256Hex } from './secrets';

export interface VerifiedTokenCacheOptions {
  /** Most tokens kept; the least recently used one is dropped beyond it. */
  maxEntries: number;
  /**
   * Longest a verification is reused, whatever the token's exp: bounds how long a signing key
   * withdrawn in an emergency (removed from the JWKS) still lets its tokens in.
   */
  maxAgeMs: number;
  /** Epoch milliseconds; injected so tests can move time. */
  now?: () => number;
}

/**
 * Results of successful token verifications, so a service does not re-check the same ES256
 * signature on every request a client makes with one token. Keyed by the token's SHA-256 (the key
 * is fixed-size and the map holds no bearer token as a key); an entry is never used at or after the
 * token's exp (its TTL in the LRU is min(exp, maxAgeMs)). Only successes are stored: a refused
 * token is verified again each time. An LRU from lru-cache bounds the entries.
 */
export class VerifiedTokenCache<T extends NonNullable<unknown>> {
  private readonly entries: LRUCache<string, T> | null;
  private readonly now: () => number;

  constructor(private readonly options: VerifiedTokenCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 0)
      throw new RangeError('maxEntries must be a whole number ≥ 0');
    this.now = options.now ?? Date.now;
    this.entries =
      options.maxEntries === 0
        ? null
        : new LRUCache<string, T>({
            max: options.maxEntries,
            ttl: options.maxAgeMs,
            // read the clock on every get (the default caches it for 1 ms), so no entry outlives exp
            ttlResolution: 0,
            perf: { now: this.now },
          });
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }

  /** The cached verification of `token`, unless absent or expired. */
  get(token: string): T | undefined {
    return this.entries?.get(sha256Hex(token));
  }

  /** Remembers a successful verification of `token`, which expires at `expiresAtMs` (epoch ms). */
  set(token: string, value: T, expiresAtMs: number): void {
    if (!this.entries) return;
    // lru-cache treats an entry as stale once more than `ttl` ms have passed; one ms less makes
    // it unusable from exp on (at or after), as a JWT's exp demands.
    const ttl = Math.min(expiresAtMs - this.now(), this.options.maxAgeMs) - 1;
    if (!(ttl > 0)) return; // already expired (or NaN): nothing worth keeping
    this.entries.set(sha256Hex(token), value, { ttl });
  }

  clear(): void {
    this.entries?.clear();
  }
}
