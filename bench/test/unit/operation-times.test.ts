import { addDifference, mostOverSql, parseOperationTimes, perOperation } from '../../src/operation-times';

// Two scrapes of two subgraphs, as prom-client writes them (default label `service` last).
const scrape = (users: number, me: number) => `# HELP campus_request_duration_seconds Request latency
campus_request_duration_seconds_bucket{le="0.005",transport="graphql",operation="Users",outcome="ok",service="identity"} ${users}
campus_request_duration_seconds_sum{transport="graphql",operation="Users",outcome="ok",service="identity"} ${users * 0.0009}
campus_request_duration_seconds_count{transport="graphql",operation="Users",outcome="ok",service="identity"} ${users}
campus_request_duration_seconds_sum{transport="graphql",operation="Users",outcome="FORBIDDEN",service="identity"} 0.001
campus_request_duration_seconds_count{transport="graphql",operation="Users",outcome="FORBIDDEN",service="identity"} 1
campus_request_duration_seconds_sum{transport="http",operation="upload",outcome="ok",service="identity"} 5
campus_request_duration_seconds_count{transport="http",operation="upload",outcome="ok",service="identity"} 5
campus_request_database_statements_total{transport="graphql",operation="Users",service="identity"} ${users}
campus_request_database_seconds_total{transport="graphql",operation="Users",service="identity"} ${users * 0.0006}
campus_request_database_wait_seconds_total{transport="graphql",operation="Users",service="identity"} ${users * 0.0001}
campus_grpc_call_duration_seconds_sum{side="server",method="/campus.identity.v1.IdentityService/GetUsers",code="OK",service="identity"} 0.002
campus_grpc_call_duration_seconds_count{side="server",method="/campus.identity.v1.IdentityService/GetUsers",code="OK",service="identity"} 2
campus_grpc_call_duration_seconds_sum{side="client",method="/campus.leave.v1.LeaveService/GetApprovedLeaves",code="OK",service="identity"} 9
campus_request_database_statements_total{transport="grpc",operation="/campus.identity.v1.IdentityService/GetUsers",service="identity"} 2
campus_request_database_seconds_total{transport="grpc",operation="/campus.identity.v1.IdentityService/GetUsers",service="identity"} 0.001
campus_request_duration_seconds_sum{transport="graphql",operation="Me",outcome="ok",service="leave"} ${me * 0.0004}
campus_request_duration_seconds_count{transport="graphql",operation="Me",outcome="ok",service="leave"} ${me}
`;

describe("the subgraphs' operation times between two scrapes", () => {
  it('sums the outcomes of a GraphQL operation and keeps its statements and their time', () => {
    const times = parseOperationTimes(scrape(10, 3));
    expect(times.get('identity Users')).toEqual({
      count: 11,
      seconds: expect.closeTo(0.01, 6),
      statements: 10,
      sqlSeconds: expect.closeTo(0.006, 6),
      waitSeconds: expect.closeTo(0.001, 6),
    });
    expect(times.has('identity upload')).toBe(false); // not a GraphQL operation
    expect(times.get('leave Me')).toMatchObject({ count: 3, statements: 0, sqlSeconds: 0 });
    // a gRPC method served, by its path; the calls a service makes are not its operations
    expect(times.get('identity /campus.identity.v1.IdentityService/GetUsers')).toEqual({
      count: 2,
      seconds: 0.002,
      statements: 2,
      sqlSeconds: 0.001,
      waitSeconds: 0,
    });
    expect([...times.keys()].some((key) => key.includes('LeaveService'))).toBe(false);
  });

  it('reports per call what happened between the scrapes, leaving out what barely ran', () => {
    const totals = new Map();
    addDifference(totals, parseOperationTimes(scrape(10, 3)), parseOperationTimes(scrape(1010, 4)));
    const operations = perOperation(totals);
    // Me ran once against Users' 1,000 times: below a tenth of the busiest, left out
    expect(Object.keys(operations)).toEqual(['identity Users']);
    expect(operations['identity Users']).toEqual({ count: 1000, ms: 0.9, sql_ms: 0.6, statements: 1, wait_ms: 0.1 });
    expect(mostOverSql(operations)).toEqual({ key: 'identity Users', ratio: expect.closeTo(1.5, 6) });
  });

  it('names no ratio for operations that ran no SQL', () => {
    expect(mostOverSql({ 'leave Me': { count: 5, ms: 0.4, sql_ms: 0, statements: 0, wait_ms: 0 } })).toBeUndefined();
  });
});
