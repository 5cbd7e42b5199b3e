import type { LeaveHarness } from './harness';

/**
 * Polls `probe` until it returns a value `accept`s (then returns it), failing after `timeoutMs`
 * with the last value seen. For waiting on asynchronous effects, never as an assertion by itself.
 */
export async function eventually<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface OutboxRow {
  id: string;
  type: string;
  published: boolean;
}

/** The service's outbox, in publication order. */
export async function outboxRows(h: LeaveHarness): Promise<OutboxRow[]> {
  const { rows } = await h.leave.internals.pool.query<OutboxRow>(
    'SELECT id::text AS id, type, published_at IS NOT NULL AS published FROM outbox ORDER BY seq',
  );
  return rows;
}

/** Waits until the relay has published every outbox row, then until the observer has them all. */
export async function allPublished(h: LeaveHarness, timeoutMs = 30_000): Promise<OutboxRow[]> {
  const rows = await eventually(
    () => outboxRows(h),
    (r) => r.every((row) => row.published),
    timeoutMs,
    'the outbox to drain',
  );
  await h.observer.flush();
  return rows;
}

/** GET a service health endpoint: status and JSON body. */
export async function health(
  baseUrl: string,
  which: 'liveness' | 'readiness',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}/health/${which}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
