import { LRUCache } from 'lru-cache';
import type { ApplicantSnapshot } from '../domain/leave-application';
import type { ApplicantDirectory } from '../services/ports';

export interface ApplicantCacheOptions {
  /** How long an applicant's facts (active, minor, residence) are reused; 0 = never. */
  ttlMs: number;
  /** Most applicants kept (the least recently used are dropped). */
  maxEntries: number;
}

/**
 * Identity's answer about an applicant, reused for a short while: a student submitting several
 * applications (or a burst of students) costs one gRPC lookup per student per `ttlMs`, not one per
 * submission, and concurrent lookups of one student share one call. Safe to reuse because the
 * caller of a submission is always the applicant themself (the token only authorizes the lookup)
 * and the facts change rarely; the price is that a deactivation or a move reaches submissions up to
 * `ttlMs` late. Failures are never cached.
 */
export class CachedApplicantDirectory implements ApplicantDirectory {
  private readonly cache: LRUCache<string, ApplicantSnapshot, string> | null;

  constructor(
    private readonly inner: ApplicantDirectory,
    options: ApplicantCacheOptions,
  ) {
    this.cache =
      options.ttlMs > 0
        ? new LRUCache<string, ApplicantSnapshot, string>({
            max: options.maxEntries,
            ttl: options.ttlMs,
            fetchMethod: (userId, _stale, { context: callerToken }) => this.inner.applicant(userId, callerToken),
          })
        : null;
  }

  async applicant(userId: string, callerToken: string): Promise<ApplicantSnapshot> {
    if (!this.cache) return this.inner.applicant(userId, callerToken);
    const snapshot = await this.cache.fetch(userId, { context: callerToken });
    // fetch resolves undefined only when fetchMethod does, which the inner directory never does
    return snapshot ?? this.inner.applicant(userId, callerToken);
  }
}
