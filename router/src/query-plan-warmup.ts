import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ApolloGateway } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { QueryPlan, QueryPlanner } from '@apollo/query-planner';
import { sha256Hex, type Logger } from '@campus/platform';
import { Kind, parse } from 'graphql';

/**
 * The parts of ApolloGateway's query-plan cache a warm-up needs. The gateway keeps them private and
 * offers no warm-up (Apollo Router plans its known operations at start); these are the names in the
 * pinned @apollo/gateway 2.14. If they are missing the warm-up does nothing and says so: requests
 * then plan on first use, as they always did.
 */
interface GatewayPlanCache {
  apiSchema?: Schema;
  queryPlanner?: QueryPlanner;
  queryPlanStore?: { set(key: string, plan: QueryPlan): Promise<void> };
  recursiveSelectionsLimitDisabled?: boolean;
  nonLocalSelectionsLimitDisabled?: boolean;
}

/**
 * The key ApolloGateway's executor looks a plan up by: Apollo Server's queryHash (the sha256 of the
 * document's text), and with an operation name, the sha256 of the two.
 */
export function queryPlanKey(queryHash: string, operationName: string | null | undefined): string {
  return operationName ? sha256Hex(queryHash + operationName) : queryHash;
}

export interface WarmUpResult {
  /** Operations planned and cached. */
  planned: number;
  /** Operations the schema refused (checkManifestAgainstSchema names them). */
  failed: number;
  /** Planning time in total and for the slowest operation: what their first requests no longer wait for. */
  totalMs: number;
  slowest?: { operation: string; ms: number };
}

/**
 * Plans every operation of the known documents (the trusted-documents manifest) into the gateway's
 * cache, so the first request of each after a start or deploy does not wait for the query planner.
 * Yields between operations: requests arriving meanwhile are served (and plan for themselves).
 */
export async function warmQueryPlans(
  gateway: ApolloGateway,
  documents: Iterable<string>,
  logger: Logger,
): Promise<WarmUpResult> {
  const result: WarmUpResult = { planned: 0, failed: 0, totalMs: 0 };
  const cache = gateway as unknown as GatewayPlanCache;
  const { apiSchema, queryPlanner, queryPlanStore } = cache;
  if (!apiSchema || !queryPlanner || typeof queryPlanStore?.set !== 'function') {
    logger.warn('the gateway has no query-plan cache this router knows how to fill; plans are made on first use');
    return result;
  }
  for (const text of documents) {
    const document = parse(text);
    const queryHash = sha256Hex(text);
    const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value] : []));
    for (const name of names) {
      const started = performance.now();
      try {
        const plan = queryPlanner.buildQueryPlan(operationFromDocument(apiSchema, document, { operationName: name }), {
          recursiveSelectionsLimitDisabled: cache.recursiveSelectionsLimitDisabled ?? false,
          nonLocalSelectionsLimitDisabled: cache.nonLocalSelectionsLimitDisabled ?? false,
        });
        await queryPlanStore.set(queryPlanKey(queryHash, name), plan);
        // A client may leave operationName out when the document holds one operation.
        if (names.length === 1) await queryPlanStore.set(queryPlanKey(queryHash, undefined), plan);
        result.planned++;
      } catch (error) {
        result.failed++;
        logger.debug({ err: error, operation: name }, 'a known operation could not be planned');
      }
      const ms = performance.now() - started;
      result.totalMs += ms;
      if (!result.slowest || ms > result.slowest.ms) result.slowest = { operation: name ?? '(anonymous)', ms };
      await nextTurn();
    }
  }
  return result;
}

/** Starts warmQueryPlans, logging what it did; the function returned tells whether it has finished. */
export function warmInBackground(gateway: ApolloGateway, documents: Iterable<string>, logger: Logger): () => boolean {
  let finished = false;
  void warmQueryPlans(gateway, documents, logger)
    .then(
      (warmed) =>
        logger.info(
          { ...warmed, totalMs: Math.round(warmed.totalMs), slowest: warmed.slowest?.operation },
          'known operations planned',
        ),
      (error: unknown) => logger.warn({ err: error }, 'planning the known operations failed; they plan on first use'),
    )
    .finally(() => {
      finished = true;
    });
  return () => finished;
}
