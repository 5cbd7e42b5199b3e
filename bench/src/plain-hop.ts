// The floor under a gateway hop (`BENCH_GATEWAYS=…,hop`): a plain Node HTTP server that answers the
// bench's queries joining two subgraphs with the bench's own plan for each — the same subgraph calls
// as "subgraphs directly", their answers merged — and nothing else: no GraphQL parsing, validation,
// planning, authentication, limits, metrics or tracing. What it adds over the direct calls is what
// any Node process between the client and the subgraphs pays on this machine (one more HTTP
// exchange, the answers parsed and serialised again), against issue 13's 1.3× of the direct p99.
// Started by the bench once the reads' data exists (the duty month is part of a query):
//   SUBGRAPH_URLS='{"identity":"http://…/graphql",…}' DUTY_MONTH=2026-12 PORT=… node --import tsx bench/src/plain-hop.ts
import { serveJson } from './json-server';
import type { Outcome } from './load';
import { readScenarios } from './reads';

const urls = JSON.parse(process.env.SUBGRAPH_URLS ?? '{}') as Record<string, string>;
const scenarios = readScenarios({
  concurrency: 1,
  staff: [],
  students: [],
  subgraphUrl: (name) => urls[name] ?? '',
  ...(process.env.DUTY_MONTH ? { dutyMonth: process.env.DUTY_MONTH } : {}),
  coworkings: 'coworking' in urls,
  leave: 'leave' in urls,
  notification: 'notification' in urls,
});
/** Each join query's plan, by the query text the bench sends. */
const plans = new Map(
  scenarios.flatMap((s) => (s.goals?.join && s.direct && s.query ? [[s.query, s.direct] as const] : [])),
);

const READY_QUERY = '{ __typename }';

async function answer(body: string, authorization: string | undefined): Promise<[number, unknown]> {
  const { query } = JSON.parse(body) as { query?: string };
  if (query === READY_QUERY) return [200, { data: { __typename: 'Query' } }];
  const plan = query ? plans.get(query) : undefined;
  if (!query || !plan)
    return [400, { errors: [{ message: 'not a query this hop has a plan for', extensions: { code: 'BAD_REQUEST' } }] }];
  const token = authorization?.replace(/^Bearer /, '') ?? '';
  const outcome: Outcome = await plan({ query, token });
  return outcome.ok
    ? [200, { data: outcome.data }]
    : [200, { errors: [{ message: outcome.error ?? 'failed', extensions: { code: outcome.error } }] }];
}

serveJson(Number(process.env.PORT), (body, req) => answer(body, req.headers.authorization));
// exit at once (idle keep-alive connections would hold a close), so that a CPU profile is written
process.once('SIGTERM', () => process.exit(0));
