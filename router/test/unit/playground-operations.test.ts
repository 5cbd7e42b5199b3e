import fs from 'node:fs';
import path from 'node:path';
import { ApolloGateway } from '@apollo/gateway';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { REPO_ROOT } from '../../src/config';
import { DEMO_CREDENTIALS, LOGIN_MUTATION, LOGOUT_MUTATION, defaultTabs } from '../../src/playground/operations';

// The playground's examples must stay valid against the checked-in supergraph: when a subgraph
// renames a field they use, this fails instead of the playground.
describe('playground operations against supergraph.graphql', () => {
  let gateway: ApolloGateway;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    process.env.APOLLO_TELEMETRY_DISABLED = '1';
    const supergraphSdl = fs.readFileSync(path.join(REPO_ROOT, 'supergraph.graphql'), 'utf8');
    gateway = new ApolloGateway({ supergraphSdl });
    ({ schema } = await gateway.load());
  });

  afterAll(() => gateway.stop());

  it.each([
    ['login', LOGIN_MUTATION],
    ['logout', LOGOUT_MUTATION],
    ...defaultTabs(DEMO_CREDENTIALS).map((tab, i): [string, string] => [`tab ${i + 1}`, tab.query]),
  ])('%s is valid', (_name, query) => {
    expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
  });
});
