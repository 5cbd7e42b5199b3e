import { serveJwks, testTokens, testUser, type JwksServer, type TestTokens } from '@campus/testkit';
import { postGraphQL, type GraphQLBody } from '../support/http';
import { startTestRouter, type TestRouter } from '../support/router';
import { startTestSubgraph, type TestSubgraph } from '../support/subgraph';

let tokens: TestTokens;
let jwks: JwksServer;
let subgraph: TestSubgraph;
let open: TestRouter; // introspection on (development)
let closed: TestRouter; // introspection off (as in production)

beforeAll(async () => {
  tokens = await testTokens();
  jwks = await serveJwks(tokens.jwks);
  subgraph = await startTestSubgraph('test');
  open = await startTestRouter([subgraph], { AUTH_JWKS_URL: jwks.url });
  closed = await startTestRouter([subgraph], { AUTH_JWKS_URL: jwks.url, GRAPHQL_INTROSPECTION: 'false' });
});

afterAll(async () => {
  await Promise.all([open?.close(), closed?.close()]);
  await Promise.all([subgraph?.stop(), jwks?.stop()]);
});

async function asUser(router: TestRouter, body: GraphQLBody) {
  const token = await tokens.tokenFor(testUser({ id: 'user-1', roles: ['educator'] }));
  return postGraphQL(`${router.url}/graphql`, body, { authorization: `Bearer ${token}` });
}

describe('operations the router cannot run', () => {
  it.each([
    ['signed in', true],
    ['anonymous', false],
  ])(
    'answers an unknown operationName with 400 OPERATION_NOT_FOUND (%s), calling no subgraph',
    async (_l, signedIn) => {
      const body = { query: 'query A { hello } mutation B { logout(refreshToken: "r") }', operationName: 'C' };
      const before = subgraph.requests;
      const res = signedIn ? await asUser(open, body) : await postGraphQL(`${open.url}/graphql`, body);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions).toMatchObject({
        code: 'OPERATION_NOT_FOUND',
        details: { operationName: 'C' },
      });
      expect(subgraph.requests).toBe(before);
    },
  );

  it('answers several operations without an operationName with 400 OPERATION_NOT_FOUND', async () => {
    const res = await asUser(open, { query: 'query A { hello } query B { hello }' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toMatchObject({
      code: 'OPERATION_NOT_FOUND',
      details: { operationName: null },
    });
  });

  it('answers a subscription with 400 SUBSCRIPTIONS_NOT_SUPPORTED', async () => {
    const res = await asUser(open, { query: 'subscription S { hello }' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('SUBSCRIPTIONS_NOT_SUPPORTED');
  });
});

describe('suggestions', () => {
  const badEnum = { query: 'query R($s: Shift!) { roster(shift: $s) }', variables: { s: 'MORNIN' } };
  const badInputField = {
    query: 'query R($f: RosterFilter) { roster(shift: MORNING, filter: $f) }',
    variables: { f: { buildin: '8' } },
  };
  const badField = { query: '{ helo }' };

  it('keeps "Did you mean" while introspection is on', async () => {
    const res = await asUser(open, badEnum);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.message).toMatch(/Did you mean the enum value "MORNING"\?/);
  });

  it.each([
    ['a misspelled enum value in variables', badEnum, 'BAD_USER_INPUT'],
    ['a misspelled input field in variables', badInputField, 'BAD_USER_INPUT'],
    ['a misspelled field', badField, 'GRAPHQL_VALIDATION_FAILED'],
  ])('strips suggestions from %s while introspection is off', async (_l, body, code) => {
    const res = await asUser(closed, body);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(JSON.stringify(res.body)).not.toMatch(/Did you mean|MORNING|"building"/);
  });
});
