import type { ApolloServerPlugin } from '@apollo/server';
import type { IncomingMessage } from 'node:http';
import { sendError, type HttpStep, type Logger, type Metrics } from '@campus/platform';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitSettings, RouterConfig } from './config';
import type { RouterContext } from './context';
import { rootFields } from './document';
import { routerErrors, type RateLimitName } from './errors';
import { toGraphQLError } from './graphql-errors';

/**
 * Per-client rate limits at the edge: sign-in attempts (each `login` field of a mutation) and all
 * other requests, counted separately (see clientKey for who a client is). With REDIS_URL every
 * replica shares the counters; while Redis is unreachable each replica counts in its own memory
 * (the insurance limiter), so limits keep holding, per replica, instead of failing open or failing.
 */

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A Redis command that takes longer is treated as Redis being down (the in-memory count answers). */
const REDIS_COMMAND_TIMEOUT_MS = 500;

export class RateLimits {
  private readonly redis: Redis | undefined;
  private readonly limiters: Record<RateLimitName, RateLimiterAbstract>;
  private readonly refusals: ReturnType<Metrics['counter']>;

  constructor(
    settings: RouterConfig['rateLimits'],
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.redis = settings.redisUrl ? connectRedis(settings.redisUrl, logger) : undefined;
    this.limiters = {
      login: this.limiter('login', settings.login),
      requests: this.limiter('requests', settings.requests),
    };
    this.refusals = metrics.counter(
      'campus_router_rate_limited_total',
      'Requests refused because their client exceeded a rate limit, by limit',
      ['limit'],
    );
    if (this.redis) {
      const redis = this.redis;
      metrics.gauge(
        'campus_router_rate_limit_shared',
        '1 while rate-limit counters are shared through Redis',
        [],
        (g) => g.set(redis.status === 'ready' ? 1 : 0),
      );
    }
  }

  private limiter(name: RateLimitName, settings: RateLimitSettings): RateLimiterAbstract {
    const options = {
      keyPrefix: `campus:router:rate-limit:${name}`,
      points: settings.points,
      duration: settings.durationSeconds,
    };
    if (!this.redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: this.redis,
      rejectIfRedisNotReady: true, // while disconnected, count in memory at once rather than wait
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }

  /** Takes `points` from the client's allowance of `limit`. */
  async consume(limit: RateLimitName, client: string, points = 1): Promise<Verdict> {
    try {
      await this.limiters[limit].consume(client, points);
      return { allowed: true };
    } catch (outcome) {
      if (!(outcome instanceof RateLimiterRes)) {
        // Only without insurance could the store fail here; a limit that cannot be counted lets the request by.
        this.logger.error({ err: outcome, limit }, 'rate limit could not be counted');
        return { allowed: true };
      }
      this.refusals.inc({ limit });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
    }
  }

  async close(): Promise<void> {
    if (!this.redis) return;
    this.redis.removeAllListeners().on('error', () => undefined); // closing is no outage to report
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/** A client that fails fast while Redis is away, and says so in the log once per outage. */
function connectRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false, // a command while disconnected fails at once (→ in-memory count)
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
  });
  let state: 'connecting' | 'shared' | 'local' = 'connecting';
  const fallBack = (error?: Error) => {
    if (state === 'local') return;
    state = 'local';
    logger.warn({ err: error }, 'Redis is unreachable: this router counts rate limits in memory until it is back');
  };
  redis.on('ready', () => {
    if (state !== 'shared') logger.info('rate limits are shared through Redis');
    state = 'shared';
  });
  redis.on('error', fallBack);
  redis.on('close', () => fallBack());
  return redis;
}

/** The request limit, before anything else the request asks for (health probes are mounted before it). */
export function requestRateLimit(limits: RateLimits, clientOf: (req: IncomingMessage) => Promise<string>): HttpStep {
  return (req, res, next) => {
    clientOf(req)
      .then((client) => limits.consume('requests', client))
      .then((verdict) => {
        if (verdict.allowed) next();
        else sendError(res, routerErrors.rateLimited('requests', verdict.retryAfterSeconds));
      }, next);
  };
}

/** The mutation field the sign-in limit counts. */
export const LOGIN_FIELD = 'login';

/**
 * The sign-in limit: each `login` field of a mutation is one attempt (aliases make several in one
 * request), counted once the operation is known and before any subgraph is called.
 */
export function loginRateLimitPlugin(limits: RateLimits): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue }) {
          if (operation?.operation !== 'mutation') return;
          const attempts = new Set(
            rootFields(operation.selectionSet, document)
              .filter((field) => field.name.value === LOGIN_FIELD)
              .map((field) => (field.alias ?? field.name).value), // one execution per response key
          ).size;
          if (!attempts) return;
          // Every HTTP request has a client; only operations run without one (unit tests) share a key.
          const verdict = await limits.consume('login', contextValue.client ?? 'unknown', attempts);
          if (!verdict.allowed) throw toGraphQLError(routerErrors.rateLimited('login', verdict.retryAfterSeconds));
        },
      };
    },
  };
}
