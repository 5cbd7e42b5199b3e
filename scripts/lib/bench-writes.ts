// Write scenarios of `npm run bench`: the same mutations through the router and on the subgraph
// directly, interleaved (router, direct, then direct, router …), each worker signed in as its own
// user where the demo campus has enough of them (64 students; the 3 educators share the decisions).
// Reports req/s, p50/p99 and errors; a GraphQL `errors` array counts as an error.

export interface WriteTarget {
  name: string;
  url: string;
}

export interface WriteScenario {
  name: string;
  /** One request for worker `worker`, its `n`-th: the body and the bearer token to send. */
  request(worker: number, n: number): { query: string; variables?: Record<string, unknown>; token: string } | undefined;
  concurrency: number;
}

export interface WriteResult {
  requests: number;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  errors: number;
  firstError?: string;
}

export async function runWrites(target: WriteTarget, scenario: WriteScenario, seconds: number): Promise<WriteResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const end = Date.now() + seconds * 1000;
  const worker = async (w: number) => {
    for (let n = 0; Date.now() < end; n++) {
      const call = scenario.request(w, n);
      if (!call) return; // this worker's supply (e.g. pending applications) is used up
      const t0 = performance.now();
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${call.token}` },
        body: JSON.stringify({ query: call.query, variables: call.variables ?? {} }),
      });
      const json = (await res.json().catch(() => ({ errors: [{ message: `HTTP ${res.status}` }] }))) as {
        errors?: Array<{ message: string; extensions?: { code?: string } }>;
      };
      latencies.push(performance.now() - t0);
      if (res.status !== 200 || json.errors?.length) {
        errors++;
        firstError ??= json.errors?.[0]?.extensions?.code ?? json.errors?.[0]?.message ?? `HTTP ${res.status}`;
      }
    }
  };
  await Promise.all(Array.from({ length: scenario.concurrency }, (_, w) => worker(w)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies.length
      ? Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1))
      : 0;
  return {
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsed),
    p50_ms: at(0.5),
    p99_ms: at(0.99),
    errors,
    ...(firstError ? { firstError } : {}),
  };
}

/** Runs each scenario on every target, alternating the order per round so neither always goes first. */
export async function interleaved(
  scenarios: Array<{ scenario: WriteScenario; targets: WriteTarget[] }>,
  seconds: number,
): Promise<Record<string, WriteResult>> {
  const results: Record<string, WriteResult> = {};
  for (const [round, { scenario, targets }] of scenarios.entries()) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      const key = `${scenario.name} — ${target.name}`;
      results[key] = await runWrites(target, scenario, seconds);
      console.log(key, results[key]);
    }
  }
  return results;
}
