// The query-plan warm-up: every operation of the trusted-documents manifest is planned into Apollo
// Gateway's cache at start, and a warmed operation's first request does not call the planner.
import fs from 'node:fs';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { REPO_ROOT } from '@campus/testkit';
import { Kind, parse } from 'graphql';
import pino from 'pino';
import { DEFAULT_PERSISTED_OPERATIONS_FILE } from '../../src/config';
import type { RouterContext } from '../../src/context';
import { createGateway } from '../../src/gateway';
import { PersistedOperations } from '../../src/persisted-operations';
import { warmQueryPlans } from '../../src/query-plan-warmup';
import { subgraphsOf } from '../../src/supergraph';

const logger = pino({ level: 'silent' });
const sdl = fs.readFileSync(path.join(REPO_ROOT, 'supergraph.graphql'), 'utf8');
const manifest = PersistedOperations.load(DEFAULT_PERSISTED_OPERATIONS_FILE);

/** A gateway over the repository's supergraph whose subgraphs are nowhere (nothing here needs their answers). */
async function gatewayOnClosedPort() {
  const supergraph = {
    sdl,
    subgraphs: subgraphsOf(sdl).map((s) => ({ ...s, url: 'http://127.0.0.1:9/graphql' })),
    unusedOverrides: [],
  };
  const { gateway, close } = createGateway(
    supergraph,
    {
      timeoutMsOf: () => 1_000,
      connectionsOf: () => 1,
      deduplicate: false,
      singleFetchShortcut: false,
      distinctEntities: true,
      routerResultShaping: false,
    },
    logger,
  );
  const apollo = new ApolloServer<RouterContext>({ gateway, logger });
  await apollo.start();
  const planner = (gateway as unknown as { queryPlanner: { buildQueryPlan: (...args: unknown[]) => unknown } })
    .queryPlanner;
  return {
    gateway,
    apollo,
    planner,
    close: async () => {
      await apollo.stop();
      await close();
    },
  };
}

const operationsIn = (text: string) =>
  parse(text).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;

describe('query-plan warm-up', () => {
  it('plans every operation of the manifest', async () => {
    const { gateway, close } = await gatewayOnClosedPort();
    try {
      const texts = [...manifest.texts()];
      const result = await warmQueryPlans(gateway, texts, logger);
      expect(result.failed).toBe(0);
      expect(result.planned).toBe(texts.reduce((sum, text) => sum + operationsIn(text), 0));
      expect(result.planned).toBeGreaterThan(30);
      expect(result.totalMs).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });

  // `query Me`: no variables, so the gateway reaches its plan cache (a request missing variables stops before it).
  const me = [...manifest.texts()].find((text) => text.startsWith('query Me '))!;

  it.each([
    ['with its name', 'Me'],
    ['without a name (one operation in the document)', undefined],
  ])('serves a warmed operation sent %s from the cache; a cold one is planned', async (_label, operationName) => {
    for (const warm of [false, true]) {
      const { gateway, apollo, planner, close } = await gatewayOnClosedPort();
      try {
        if (warm) await warmQueryPlans(gateway, [me], logger);
        const planning = jest.spyOn(planner, 'buildQueryPlan');
        const response = await apollo.executeOperation(
          { query: me, ...(operationName ? { operationName } : {}) },
          { contextValue: { auth: null, requestId: 'warm-up-test', forwardHeaders: {} } },
        );
        // The subgraph is unreachable; what matters is that the gateway got as far as its plan.
        expect(response.body.kind).toBe('single');
        expect(planning).toHaveBeenCalledTimes(warm ? 0 : 1);
      } finally {
        await close();
      }
    }
  });
});
