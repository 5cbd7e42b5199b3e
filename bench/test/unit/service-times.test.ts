import { serviceTimesOf } from '../../src/service-times';

it("adds up the GraphQL operations' and the SQL statements' seconds of a subgraph's /metrics", () => {
  const text = [
    '# HELP campus_request_duration_seconds Request latency by transport, operation and outcome',
    'campus_request_duration_seconds_bucket{le="0.005",transport="graphql",operation="Me",outcome="ok",service="identity"} 10',
    'campus_request_duration_seconds_sum{transport="graphql",operation="Me",outcome="ok",service="identity"} 0.25',
    'campus_request_duration_seconds_sum{transport="graphql",operation="_entities",outcome="ok",service="identity"} 0.5',
    // an upload, not a GraphQL operation
    'campus_request_duration_seconds_sum{transport="http",operation="upload",outcome="ok",service="duty"} 9',
    'campus_request_duration_seconds_count{transport="graphql",operation="Me",outcome="ok",service="identity"} 10',
    'campus_db_statement_duration_seconds_sum{statement="identity.users-by-ids",service="identity"} 0.125',
    'campus_db_statement_duration_seconds_sum{statement="unnamed",service="identity"} 0.0625',
    'campus_db_statement_duration_seconds_count{statement="unnamed",service="identity"} 3',
  ].join('\n');
  expect(serviceTimesOf(text)).toEqual({ operationSeconds: 0.75, sqlSeconds: 0.1875 });
});
