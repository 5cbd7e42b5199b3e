// What the subgraphs' own /metrics say about a slice: the time their GraphQL operations took and
// the time their SQL statements took (issue 13: no subgraph operation may spend more than 2× the
// time of its SQL). Read before and after each slice; the difference is the slice's.
export interface ServiceTimes {
  /** Seconds of GraphQL operations served (`campus_request_duration_seconds`, transport graphql). */
  operationSeconds: number;
  /** Seconds of database statements (`campus_db_statement_duration_seconds`). */
  sqlSeconds: number;
}

const OPERATION = /^campus_request_duration_seconds_sum\{[^}]*transport="graphql"[^}]*\} (\S+)$/;
const STATEMENT = /^campus_db_statement_duration_seconds_sum\{[^}]*\} (\S+)$/;

/** Sums the two from Prometheus text. */
export function serviceTimesOf(metricsText: string): ServiceTimes {
  const times: ServiceTimes = { operationSeconds: 0, sqlSeconds: 0 };
  for (const line of metricsText.split('\n')) {
    const operation = OPERATION.exec(line);
    if (operation) times.operationSeconds += Number(operation[1]);
    const statement = STATEMENT.exec(line);
    if (statement) times.sqlSeconds += Number(statement[1]);
  }
  return times;
}

/** Reads and adds up the times of every subgraph process (their /metrics URLs). */
export function serviceTimesReader(metricsUrls: readonly string[]): () => Promise<ServiceTimes> {
  return async () => {
    const all = await Promise.all(metricsUrls.map(async (url) => serviceTimesOf(await (await fetch(url)).text())));
    return {
      operationSeconds: all.reduce((sum, t) => sum + t.operationSeconds, 0),
      sqlSeconds: all.reduce((sum, t) => sum + t.sqlSeconds, 0),
    };
  };
}
