import { eventually } from '@campus/testkit';
import type { LeaveHarness } from './harness';

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
