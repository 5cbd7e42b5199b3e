// What each subgraph operation took and what its SQL statements took, read off the subgraphs'
// /metrics before and after a measured slice (campus_request_duration_seconds and
// campus_request_database_*; packages/platform/src/database-time.ts): issue 13's "no subgraph
// operation spends more than 2× the time of its SQL", in time, beside the CPU ratio.

/** Running totals of one subgraph operation, keyed "<service> <operation>". */
export interface OperationTotals {
  count: number;
  seconds: number;
  statements: number;
  sqlSeconds: number;
  /** Waiting for a connection of the subgraph's pool. */
  waitSeconds: number;
}

export type OperationTimes = Map<string, OperationTotals>;

const noTotals = (): OperationTotals => ({ count: 0, seconds: 0, statements: 0, sqlSeconds: 0, waitSeconds: 0 });

/** Per operation in the report: what one took, in ms, and its statements. */
export interface OperationTime {
  count: number;
  ms: number;
  sql_ms: number;
  statements: number;
  /** Waiting for a database connection, not in `sql_ms`. */
  wait_ms: number;
}

const SAMPLE =
  /^(campus_request_duration_seconds|campus_grpc_call_duration_seconds)_(sum|count)\{([^}]*)\} (\S+)$|^campus_request_database_(seconds|wait_seconds|statements)_total\{([^}]*)\} (\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;
const labelsOf = (text: string) => Object.fromEntries([...text.matchAll(LABEL)].map((m) => [m[1]!, m[2]!]));

/**
 * The operations' totals in one Prometheus text exposition, every outcome summed: GraphQL
 * operations, and gRPC methods served (keyed by their path, as their statements are).
 */
export function parseOperationTimes(text: string, into: OperationTimes = new Map()): OperationTimes {
  const totalsOf = (service: string | undefined, operation: string) => {
    const key = `${service ?? '?'} ${operation}`;
    let totals = into.get(key);
    if (!totals) into.set(key, (totals = noTotals()));
    return totals;
  };
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match) continue;
    if (match[1]) {
      const labels = labelsOf(match[3]!);
      const grpc = match[1] === 'campus_grpc_call_duration_seconds';
      const operation = grpc
        ? labels.side === 'server' && labels.method
        : labels.transport === 'graphql' && labels.operation;
      if (!operation) continue;
      const totals = totalsOf(labels.service, operation);
      if (match[2] === 'sum') totals.seconds += Number(match[4]);
      else totals.count += Number(match[4]);
    } else {
      const labels = labelsOf(match[6]!);
      if (labels.transport !== 'graphql' && labels.transport !== 'grpc') continue;
      const totals = totalsOf(labels.service, labels.operation ?? '');
      if (match[5] === 'seconds') totals.sqlSeconds += Number(match[7]);
      else if (match[5] === 'wait_seconds') totals.waitSeconds += Number(match[7]);
      else totals.statements += Number(match[7]);
    }
  }
  return into;
}

/** Every subgraph's operation totals now (their /metrics URLs). */
export async function scrapeOperationTimes(metricsUrls: readonly string[]): Promise<OperationTimes> {
  const texts = await Promise.all(metricsUrls.map(async (url) => (await fetch(url)).text()));
  const times: OperationTimes = new Map();
  for (const text of texts) parseOperationTimes(text, times);
  return times;
}

/** What happened between two scrapes, added to `into`. */
export function addDifference(into: OperationTimes, before: OperationTimes, after: OperationTimes): void {
  for (const [key, end] of after) {
    const start = before.get(key) ?? noTotals();
    if (end.count === start.count) continue;
    const sum = into.get(key) ?? noTotals();
    sum.count += end.count - start.count;
    sum.seconds += end.seconds - start.seconds;
    sum.statements += end.statements - start.statements;
    sum.sqlSeconds += end.sqlSeconds - start.sqlSeconds;
    sum.waitSeconds += end.waitSeconds - start.waitSeconds;
    into.set(key, sum);
  }
}

/**
 * Per operation, what one took: the operations the slices ran at least `minShare` as often as the
 * busiest one (leaving out what the stack did meanwhile on its own, and the bench's sign-ins).
 */
export function perOperation(totals: OperationTimes, minShare = 0.1): Record<string, OperationTime> {
  const most = Math.max(0, ...[...totals.values()].map((t) => t.count));
  const round = (n: number) => Number(n.toFixed(3));
  return Object.fromEntries(
    [...totals]
      .filter(([, t]) => t.count >= most * minShare && t.count > 0)
      .map(([key, t]) => [
        key,
        {
          count: t.count,
          ms: round((t.seconds * 1000) / t.count),
          sql_ms: round((t.sqlSeconds * 1000) / t.count),
          statements: round(t.statements / t.count),
          wait_ms: round((t.waitSeconds * 1000) / t.count),
        },
      ]),
  );
}

/** The operation that spends the most time per unit of its SQL's, and that ratio (operations with SQL). */
export function mostOverSql(
  operations: Record<string, OperationTime> | undefined,
): { key: string; ratio: number } | undefined {
  let worst: { key: string; ratio: number } | undefined;
  for (const [key, op] of Object.entries(operations ?? {})) {
    if (!op.sql_ms) continue;
    const ratio = op.ms / op.sql_ms;
    if (!worst || ratio > worst.ratio) worst = { key, ratio };
  }
  return worst;
}
