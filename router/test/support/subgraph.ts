import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { parse, type DocumentNode } from 'graphql';

export const TEST_SUBGRAPH_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    me: User
    hello: String!
    tree: TreeNode!
    roster(shift: Shift!, filter: RosterFilter): [String!]!
  }

  # An enum and an input type, whose misspellings graphql-js answers with "Did you mean …?".
  enum Shift {
    MORNING
    EVENING
  }

  input RosterFilter {
    building: String
  }

  # The session mutations in identity's shape.
  type Mutation {
    login(email: String!, password: String!): AuthPayload!
    refreshSession(refreshToken: String!): AuthPayload!
    logout(refreshToken: String!): Boolean!
  }

  type AuthPayload {
    accessToken: String!
    refreshToken: String!
    expiresAt: String!
    user: User!
  }

  type User @key(fields: "id") {
    id: ID!
    fullName: String!
    roles: [String!]!
  }

  type TreeNode {
    name: String!
    child: TreeNode!
  }
`;

export const testSubgraphTypeDefs = (): DocumentNode => parse(TEST_SUBGRAPH_SDL);

const user = { id: 'user-1', fullName: 'Test Educator', roles: ['educator'] };
const session = (accessToken: string) => ({
  accessToken,
  refreshToken: 'refresh-1',
  expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  user,
});

export interface TestSubgraph {
  name: string;
  url: string;
  /** Its schema, as composed into the router's supergraph. */
  typeDefs: DocumentNode;
  /** GraphQL requests this subgraph has received. */
  readonly requests: number;
  /** Headers of the last GraphQL request. */
  readonly lastHeaders: http.IncomingHttpHeaders;
  stop(): Promise<void>;
}

/**
 * A real federated subgraph on a free port that counts the GraphQL requests it receives, so a
 * test can prove the router did (or did not) call it. Extra routes serve proxy tests.
 */
export async function startTestSubgraph(
  name = 'test',
  routes?: (app: express.Express) => void,
  issueToken: () => string | Promise<string> = () => 'issued-by-identity',
): Promise<TestSubgraph> {
  return startSubgraph(
    name,
    testSubgraphTypeDefs(),
    {
      Query: { me: () => user, hello: () => 'world', tree: () => ({ name: 'root' }), roster: () => [] },
      Mutation: {
        login: async () => session(await issueToken()),
        refreshSession: async () => session(await issueToken()),
        logout: () => true,
      },
      TreeNode: { child: (parent: { name: string }) => ({ name: `${parent.name}.child` }) },
    },
    routes,
  );
}

/** A federated subgraph of the given schema and resolvers on a free port (see startTestSubgraph). */
export async function startSubgraph(
  name: string,
  typeDefs: DocumentNode,
  resolvers: GraphQLResolverMap<unknown>,
  routes?: (app: express.Express) => void,
): Promise<TestSubgraph> {
  const apollo = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs, resolvers }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  await apollo.start();
  let requests = 0;
  let lastHeaders: http.IncomingHttpHeaders = {};
  const app = express();
  app.get('/health/liveness', (_req, res) => {
    res.json({ status: 'ok' });
  });
  routes?.(app);
  app.use(
    '/graphql',
    (req, _res, next) => {
      requests++;
      lastHeaders = req.headers;
      next();
    },
    express.json(),
    expressMiddleware(apollo),
  );
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    typeDefs,
    get requests() {
      return requests;
    },
    get lastHeaders() {
      return lastHeaders;
    },
    stop: async () => {
      await apollo.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A subgraph that accepts connections and reads requests but never answers them, as a hung
 * process does. Its GraphQL schema (for composition) is the test subgraph's.
 */
export async function startSilentSubgraph(name: string): Promise<TestSubgraph> {
  let requests = 0;
  let lastHeaders: http.IncomingHttpHeaders = {};
  const server = http.createServer((req) => {
    requests++;
    lastHeaders = req.headers;
    req.resume(); // read the request, answer nothing
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    typeDefs: testSubgraphTypeDefs(),
    get requests() {
      return requests;
    },
    get lastHeaders() {
      return lastHeaders;
    },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
