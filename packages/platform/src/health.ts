/** A readiness check: throws when down; may return details worth showing (e.g. job counts). */
export type HealthCheck = () => Promise<void | Record<string, unknown>>;

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, 'up' | 'down'>;
  failing: string[];
  /** What checks that are up reported about themselves, by check name. */
  details?: Record<string, Record<string, unknown>>;
}

/**
 * Readiness checks by name (database, broker, a gRPC dependency…). Checks run concurrently, each
 * bounded by a timeout; a report names every failing check. Reasons are logged, not returned,
 * because readiness may be reachable from outside (the router's).
 */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  constructor(
    private readonly timeoutMs = 2_000,
    private readonly onFailure: (name: string, error: unknown) => void = () => undefined,
  ) {}

  add(name: string, check: HealthCheck): this {
    this.checks.set(name, check);
    return this;
  }

  async readiness(): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const results = await Promise.all(
      entries.map(async ([name, check]) => {
        try {
          const details = await withTimeout(check(), this.timeoutMs, name);
          return [name, 'up', details ?? undefined] as const;
        } catch (error) {
          this.onFailure(name, error);
          return [name, 'down', undefined] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results.map(([n, s]) => [n, s])) as Record<string, 'up' | 'down'>;
    const failing = results.filter(([, s]) => s === 'down').map(([n]) => n);
    const details = Object.fromEntries(results.filter(([, , d]) => d).map(([n, , d]) => [n, d!]));
    return {
      status: failing.length ? 'unavailable' : 'ok',
      checks,
      failing,
      ...(Object.keys(details).length ? { details } : {}),
    };
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A service's readiness checks: each failing check is logged as a warning, naming it. */
export function readinessChecks(logger: { warn(obj: object, msg: string): void }, timeoutMs = 2_000): HealthRegistry {
  return new HealthRegistry(timeoutMs, (name, error) =>
    logger.warn({ check: name, err: error }, 'readiness check failed'),
  );
}
