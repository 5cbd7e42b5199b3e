import { identityService } from '@campus/contracts';
import {
  checkDatabase,
  composeService,
  createGrpcClient,
  createLogger,
  createScheduler,
  grpcReachability,
  inOwnTrace,
  Metrics,
  openServiceDatabase,
  readinessChecks,
  startOutboxPublishing,
  startSubgraph,
  systemClock,
  tokenVerifierFor,
  type AmqpBroker,
  type Clock,
  type DatabasePool,
  type Logger,
  type OutboxRelay,
  type TokenVerifier,
} from '@campus/platform';
import { FaultInjectingParticipants } from './adapters/injected-faults';
import type { CheckoutContext } from './api/graphql/context';
import { createLoaders } from './api/graphql/loaders';
import { resolvers } from './api/graphql/resolvers';
import { typeDefs } from './api/graphql/schema';
import { checkoutGrpcService } from './api/grpc/checkout.grpc';
import { IdentityStudentDirectory } from './clients/identity.client';
import { createParticipantClients, GrpcParticipants } from './clients/participants.client';
import type { CheckoutConfig } from './config';
import type { Saga } from './domain/records';
import { PrismaClient, type CheckoutDatabase } from './repository/database';
import { PrismaSagaStore } from './repository/sagas.repository';
import type { CheckoutServices } from './services';
import { CheckoutQueries } from './services/checkout-queries.service';
import { CheckoutRequests } from './services/checkout-requests.service';
import type { Participants, StudentDirectory } from './services/ports';
import { SagaRunner, type SagaObserver } from './services/saga-runner.service';

/** Replaceable collaborators (tests inject a local token verifier, a fixed clock, fake participants…). */
export interface CheckoutDeps {
  logger?: Logger;
  tokenVerifier?: TokenVerifier;
  clock?: Clock;
  /** The saga's participants (default: coworking, leave, duty and identity over gRPC). */
  participants?: Participants;
  /** Who the students are (default: identity over gRPC). */
  students?: StudentDirectory;
  /** false: no durable scheduler (no tick); tests then call internals.runner.drain() themselves. */
  scheduler?: false;
}

export interface RunningCheckout {
  httpPort: number;
  grpcPort: number;
  logger: Logger;
  /** Internals for in-process tests; not part of any API. */
  internals: {
    db: CheckoutDatabase;
    pool: DatabasePool;
    relay: OutboxRelay;
    broker: AmqpBroker;
    services: CheckoutServices;
    runner: SagaRunner;
  };
  close(): Promise<void>;
}

/** Step latencies and outcomes, ended sagas, and sagas in progress on /metrics. */
function sagaMetrics(metrics: Metrics, store: PrismaSagaStore): SagaObserver {
  const steps = metrics.histogram(
    'campus_checkout_step_duration_seconds',
    'Check-out participant calls by step, action (do|undo) and outcome (done|refused|unavailable)',
    ['step', 'action', 'outcome'],
  );
  const ended = metrics.counter(
    'campus_checkout_sagas_ended_total',
    'Check-outs ended, by status (succeeded|failed) and failure code',
    ['status', 'failure_code'],
  );
  metrics.gauge(
    'campus_checkout_sagas_in_progress',
    'Check-outs running or compensating, and the age in seconds of the oldest of each',
    ['status', 'measure'],
    async (gauge) => {
      gauge.reset();
      for (const row of await store.inProgress()) {
        gauge.set({ status: row.status, measure: 'count' }, row.count);
        gauge.set({ status: row.status, measure: 'oldest_age_seconds' }, row.oldestAgeSeconds);
      }
    },
  );
  return {
    stepFinished: (run) =>
      steps.observe({ step: run.step, action: run.action, outcome: run.outcome }, run.durationMs / 1000),
    sagaEnded: (saga) => ended.inc({ status: saga.status, failure_code: saga.failure?.code ?? '' }),
  };
}

/**
 * Each saga run is a trace of its own (the tick's job span ends as soon as a drain is set going, and
 * a drain serves many sagas): its participant calls, log lines and outcome events carry it.
 */
class TracedSagaRunner extends SagaRunner {
  override runSaga(claimed: Saga): Promise<void> {
    return inOwnTrace(
      'checkout saga',
      { 'campus.checkout.id': claimed.id, 'campus.checkout.batch_id': claimed.batchId },
      () => super.runSaga(claimed),
    );
  }
}

/**
 * The composition root: PostgreSQL (campus_checkout: batches, sagas, step log, outbox), the outbox
 * relay to RabbitMQ, the participants and identity over gRPC, the durable scheduler whose tick
 * drives the sagas, and the transports (GraphQL, gRPC).
 *
 * Readiness = database + broker + scheduler + the participants and identity reachable (their
 * channels connected; no call is made): a saga cannot move without them, and the 503 names the one
 * missing. Meanwhile check-outs are still accepted and reported, and a step whose participant is
 * down waits (retries, then compensation).
 */
export async function startCheckout(config: CheckoutConfig, deps: CheckoutDeps = {}): Promise<RunningCheckout> {
  const logger = deps.logger ?? createLogger('checkout', config.logLevel);
  const metrics = new Metrics('checkout');
  const clock = deps.clock ?? systemClock;
  return composeService(logger, async (closers) => {
    const { pool, prisma: db } = openServiceDatabase(PrismaClient, config, { metrics, closers });
    const { broker, relay } = startOutboxPublishing({
      ...config,
      connectionName: 'checkout',
      pool,
      logger,
      metrics,
      closers,
    });
    const store = new PrismaSagaStore(db, () => relay.notify());

    // The gRPC dependencies this process calls, by name (none for doubles a test injects).
    const dependencies = new Map<string, object>();
    let participants = deps.participants;
    if (!participants) {
      const clients = createParticipantClients(
        {
          coworking: config.coworkingGrpcUrl,
          leave: config.leaveGrpcUrl,
          duty: config.dutyGrpcUrl,
          identity: config.identityGrpcUrl,
        },
        { deadlineMs: config.callDeadlineMs, metrics },
      );
      closers.add(() => clients.close());
      for (const name of ['coworking', 'leave', 'duty', 'identity'] as const) dependencies.set(name, clients[name]);
      participants = new GrpcParticipants(clients);
    }
    if (config.faults.length) {
      logger.warn({ faults: config.faults }, 'checkout: CHECKOUT_INJECT_FAULTS is set; these steps will fail');
      participants = new FaultInjectingParticipants(participants, config.faults);
    }
    let students = deps.students;
    if (!students) {
      const identity = createGrpcClient(identityService, config.identityGrpcUrl, {
        name: 'identity',
        deadlineMs: config.grpcDeadlineMs,
        metrics,
      });
      closers.add(() => identity.$close());
      if (!dependencies.has('identity')) dependencies.set('identity', identity);
      students = new IdentityStudentDirectory(identity, logger);
    }

    const runner = new TracedSagaRunner({
      store,
      participants,
      clock,
      policy: config.policy,
      logger,
      concurrency: config.concurrency,
      leaseMs: config.leaseMs,
      observer: sagaMetrics(metrics, store),
    });
    closers.add(() => runner.stop());
    const requests = new CheckoutRequests({
      store,
      students,
      clock,
      policy: config.policy,
      // Latency only: the tick would find the batch anyway.
      onBatchCreated: () =>
        void runner.drain().catch((error: unknown) => logger.error({ err: error }, 'checkout: a drain failed')),
    });
    const services: CheckoutServices = { requests, queries: new CheckoutQueries(store), clock };

    const health = readinessChecks(logger)
      .add('database', () => checkDatabase(pool))
      .add('broker', () => broker.check());
    for (const [name, client] of dependencies) health.add(`grpc:${name}`, grpcReachability(client));

    // The durable tick: every firing drains the due sagas (new ones, retries whose backoff passed,
    // and those a killed orchestrator held once their lease passed). One firing runs once across
    // replicas; the leases keep two replicas' drains off the same saga.
    if (deps.scheduler !== false) {
      const scheduler = createScheduler({
        databaseUrl: config.databaseUrl,
        timeZone: config.campusTimeZone,
        logger,
        metrics,
      });
      // The firing only makes sure a drain runs (a big batch may take longer than a job may run).
      const tick = async () => {
        runner.drain().catch((error: unknown) => logger.error({ err: error }, 'checkout: a drain failed'));
      };
      scheduler.define('checkout-saga-tick', tick, { retryLimit: 0 }).every(config.tickCron);
      await scheduler.start();
      closers.add(() => scheduler.stop());
      health.add('scheduler', scheduler.check);
    }

    const subgraph = await startSubgraph<CheckoutContext>({
      name: 'checkout',
      schema: { typeDefs, resolvers },
      settings: config,
      logger,
      metrics,
      health,
      tokenVerifier: deps.tokenVerifier ?? tokenVerifierFor(config.auth),
      createContext: (base) => ({ ...base, services, loaders: createLoaders(services) }),
      grpcServices: [checkoutGrpcService(services)],
    });
    closers.add(() => subgraph.close());

    return {
      httpPort: subgraph.httpPort,
      grpcPort: subgraph.grpcPort!,
      internals: { db, pool, relay, broker, services, runner },
    };
  });
}
