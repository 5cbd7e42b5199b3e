import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger, Metrics } from '@campus/platform';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { subgraphConcurrencyVariable, type RouterConfig } from './config';
import type { RouterContext } from './context';
import { RouterErrors, routerErrors } from './errors';
import type { SubgraphEndpoint } from './supergraph';

/**
 * Load shedding per subgraph. A busy subgraph answers ever more slowly as requests pile up in
 * front of it (its database pool, its event loop), so every caller waits seconds and many time out.
 * The router instead lets at most `maxConcurrency` requests be in flight to each subgraph, lets a
 * few more wait a short while for a slot, and refuses the rest at once with OVERLOADED (retryable,
 * with a Retry-After), which a client can back off from.
 *
 * A small semaphore rather than a library: p-limit and p-queue queue without bound or deadline,
 * and this needs exactly "slot, or wait ≤ N ms in a queue of ≤ M, or no".
 */

/** Gives a slot back; calling it more than once is harmless. */
export type Release = () => void;

/** Seconds a refused client is asked to wait: requests to a subgraph take well under that. */
export const OVERLOADED_RETRY_AFTER_SECONDS = 1;

export interface ConcurrencyLimitSettings {
  maxConcurrency: number;
  /** Requests that may wait at once; beyond, refused at once. */
  maxQueue: number;
  /** How long one request may wait; 0 refuses at once when no slot is free. */
  queueWaitMs: number;
}

/** A counting semaphore with a bounded FIFO queue whose waiters give up after queueWaitMs. */
export class ConcurrencyLimit {
  private active = 0;
  /** Waiting requests in arrival order (a Set: O(1) removal when one gives up). */
  private readonly waiting = new Set<(release: Release) => void>();

  constructor(readonly settings: ConcurrencyLimitSettings) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.size;
  }

  /** A slot (call the release when the request is done), or undefined when none came free in time. */
  acquire(): Promise<Release | undefined> {
    const free = this.tryAcquire();
    if (free) return Promise.resolve(free);
    if (this.settings.queueWaitMs === 0 || this.waiting.size >= this.settings.maxQueue)
      return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const grant = (release: Release) => {
        clearTimeout(timer);
        resolve(release);
      };
      const timer = setTimeout(() => {
        this.waiting.delete(grant);
        resolve(undefined);
      }, this.settings.queueWaitMs);
      this.waiting.add(grant);
    });
  }

  /** A free slot now, or undefined (then `acquire` queues). */
  tryAcquire(): Release | undefined {
    if (this.active >= this.settings.maxConcurrency) return undefined;
    this.active++;
    return this.releaser();
  }

  private releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.values().next();
      if (next.done) {
        this.active--;
        return;
      }
      // The slot passes straight to the longest waiter: active stays the same.
      this.waiting.delete(next.value);
      next.value(this.releaser());
    };
  }
}

/** How often, at most, shedding for one subgraph is logged (each refusal is counted in the metrics). */
const LOG_INTERVAL_MS = 10_000;

/** SUBGRAPH_<NAME>_MAX_CONCURRENCY, else SUBGRAPH_MAX_CONCURRENCY. */
export const maxConcurrencyOf = (settings: RouterConfig['subgraphConcurrency'], subgraph: string): number =>
  settings.overrides[subgraphConcurrencyVariable(subgraph)] ?? settings.defaultMax;

/** One ConcurrencyLimit per subgraph, its metrics, and the refusal it answers. */
export class SubgraphLoadShedding {
  private readonly limits = new Map<string, ConcurrencyLimit>();
  private readonly shed: ReturnType<Metrics['counter']>;
  private readonly lastLogged = new Map<string, { at: number; shedSince: number }>();

  constructor(
    settings: RouterConfig['subgraphConcurrency'],
    subgraphs: readonly SubgraphEndpoint[],
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    const used = new Set(subgraphs.map((s) => subgraphConcurrencyVariable(s.name)));
    for (const variable of Object.keys(settings.overrides).filter((v) => !used.has(v)))
      logger.warn({ variable }, 'this variable names no subgraph of the supergraph');
    for (const { name } of subgraphs) {
      const maxConcurrency = maxConcurrencyOf(settings, name);
      this.limits.set(
        name,
        new ConcurrencyLimit({
          maxConcurrency,
          maxQueue: settings.maxQueue ?? maxConcurrency,
          queueWaitMs: settings.queueWaitMs,
        }),
      );
    }
    // Subgraph names come from the supergraph: a bounded label set.
    this.shed = metrics.counter(
      'campus_router_subgraph_shed_total',
      'Subgraph requests refused as OVERLOADED because the subgraph had its maximum in flight, by subgraph',
      ['subgraph'],
    );
    for (const { name } of subgraphs) this.shed.inc({ subgraph: name }, 0); // present from the first scrape
    const limits = this.limits;
    metrics.gauge('campus_router_subgraph_in_flight', 'Requests in flight to each subgraph', ['subgraph'], (g) => {
      for (const [subgraph, limit] of limits) g.set({ subgraph }, limit.inFlight);
    });
  }

  /**
   * A free slot for a request to `subgraph` now, or undefined (then `acquire`). The usual case costs
   * no promise: the router asks this for every subgraph call.
   */
  tryAcquire(subgraph: string): Release | undefined {
    const limit = this.limits.get(subgraph);
    return limit ? limit.tryAcquire() : () => undefined; // not in the supergraph: nothing to limit
  }

  /** A slot for a request to `subgraph`; throws OVERLOADED (a GraphQL error) when none is free in time. */
  async acquire(subgraph: string): Promise<Release> {
    const limit = this.limits.get(subgraph);
    if (!limit) return () => undefined; // not in the supergraph: nothing to limit
    const release = await limit.acquire();
    if (release) return release;
    this.shed.inc({ subgraph });
    this.logShedding(subgraph, limit);
    const refusal = routerErrors.overloaded(subgraph, OVERLOADED_RETRY_AFTER_SECONDS);
    throw new GraphQLError(refusal.message, { extensions: { code: refusal.code, details: refusal.details } });
  }

  private logShedding(subgraph: string, limit: ConcurrencyLimit): void {
    const now = Date.now();
    const last = this.lastLogged.get(subgraph) ?? { at: 0, shedSince: 0 };
    last.shedSince++;
    if (now - last.at >= LOG_INTERVAL_MS) {
      this.logger.warn(
        { subgraph, shed: last.shedSince, ...limit.settings },
        'subgraph at its concurrency limit: shedding requests as OVERLOADED',
      );
      last.at = now;
      last.shedSince = 0;
    }
    this.lastLogged.set(subgraph, last);
  }
}

const OVERLOADED = RouterErrors.codes.OVERLOADED;

/** Whether a result carries nothing: no data, or every root field null. */
const isEmpty = (data: Record<string, unknown> | null | undefined): boolean =>
  !data || Object.values(data).every((value) => value === null);

/**
 * When shedding left an operation with no data at all, the HTTP answer says so: 503 with
 * Retry-After, so plain HTTP clients and proxies back off too. A partly served operation keeps
 * 200 and its data, the OVERLOADED error naming the part that was refused. Returns the seconds to
 * retry after, or undefined when the answer stays as it is.
 */
export function overloadedRetryAfter(
  data: Record<string, unknown> | null | undefined,
  errors: readonly GraphQLFormattedError[] | undefined,
): number | undefined {
  if (!errors?.length || !isEmpty(data)) return undefined;
  const retryAfter = errors
    .filter((e) => e.extensions?.code === OVERLOADED)
    .map((e) => (e.extensions?.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds)
    .filter((s): s is number => typeof s === 'number');
  return retryAfter.length ? Math.max(...retryAfter) : undefined;
}

/** overloadedRetryAfter for the answers Apollo Server sends. */
export function overloadedResponsePlugin(): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          const retryAfter = overloadedRetryAfter(data, errors);
          if (retryAfter === undefined) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(retryAfter));
        },
      };
    },
  };
}
