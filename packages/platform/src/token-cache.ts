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

interface Entry<T> {
  value: T;
  /** Epoch ms after which the entry is not used: min(token exp, cached + maxAgeMs). */
  validUntil: number;
}

/**
 * Results of successful token verifications, so a service does not re-check the same ES256
 * signature on every request a client makes with one token. Keyed by the token's SHA-256 (the key
 * is fixed-size and the map holds no bearer token as a key); an entry is never used at or after the
 * token's exp. Only successes are stored: a refused token is verified again each time.
 *
 * A Map in insertion order is the LRU (a hit moves its entry to the end). lru-cache is not a
 * dependency here (only v5 is hoisted, for Babel); this needs nothing more than get/set/evict.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;

  constructor(private readonly options: VerifiedTokenCacheOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 0)
      throw new RangeError('maxEntries must be a whole number ≥ 0');
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached verification of `token`, unless absent or expired (an expired entry is dropped). */
  get(token: string): T | undefined {
    const key = sha256Hex(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.now() >= entry.validUntil) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }

  /** Remembers a successful verification of `token`, which expires at `expiresAtMs` (epoch ms). */
  set(token: string, value: T, expiresAtMs: number): void {
    if (this.options.maxEntries === 0) return;
    const now = this.now();
    const validUntil = Math.min(expiresAtMs, now + this.options.maxAgeMs);
    if (!(validUntil > now)) return; // already expired (or NaN): nothing worth keeping
    const key = sha256Hex(token);
    this.entries.delete(key);
    this.entries.set(key, { value, validUntil });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
