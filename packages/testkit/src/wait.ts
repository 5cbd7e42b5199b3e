const POLL_INTERVAL_MS = 50;

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
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
}

/** Polls `probe` until it returns something truthy, and returns that. */
export async function waitFor<T>(
  probe: () => Promise<T> | T,
  what: string,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  return (await eventually(probe, Boolean, timeoutMs, what)) as NonNullable<T>;
}
