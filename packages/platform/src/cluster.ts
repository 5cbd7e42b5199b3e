import cluster, { type Worker } from 'node:cluster';
import express from 'express';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import { listen, type RunningHttpServer } from './http';
import type { Metrics } from './metrics';

/**
 * One process per core behind one port (node:cluster): the primary forks the workers, restarts one
 * that dies (with back-off, saying why), serves the workers' metrics summed and its own health on
 * the internal listener, and on SIGTERM/SIGINT stops them all within the grace period. Workers run
 * the service as usual, minus the internal listener, and answer the primary's metrics requests.
 */
export interface ClusterOptions {
  name: string;
  workers: number;
  logger: Logger;
  /** The internal listener (metrics, health), served by the primary for the whole cluster. */
  internal: { host: string; port: number };
  /** How long the workers get to finish their requests when the cluster stops. */
  shutdownGraceMs: number;
}

export interface RunningCluster {
  internalPort: number;
  /** Workers that are listening now. */
  readyWorkers(): number;
  close(): Promise<void>;
}

const RESTART_DELAYS_MS = [500, 1000, 2000, 5000, 10_000];
const STABLE_AFTER_MS = 60_000;

/** In a cluster worker: let the primary collect this registry for its /metrics. */
export function shareMetricsWithClusterPrimary(metrics: Metrics): void {
  // Constructing one is what makes prom-client answer the primary's requests in a worker.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([metrics.registry]);
}

export const isClusterWorker = (): boolean => cluster.isWorker;

export async function startClusterPrimary(options: ClusterOptions): Promise<RunningCluster> {
  const { logger, name } = options;
  const ready = new Set<Worker>();
  const startedAt = new Map<Worker, number>();
  let failures = 0;
  let stopping = false;

  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    worker.on('listening', () => ready.add(worker));
  };
  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker);
    const upMs = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    if (stopping) return;
    failures = upMs >= STABLE_AFTER_MS ? 0 : failures + 1;
    const delay = RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length - 1)]!;
    logger.warn(
      { worker: worker.process.pid, code, signal, upMs, restartInMs: delay },
      `${name} worker died; restarting it`,
    );
    setTimeout(() => stopping || fork(), delay).unref();
  });
  for (let i = 0; i < options.workers; i++) fork();

  const aggregator = new AggregatorRegistry();
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', (_req, res, next) => {
    aggregator
      .clusterMetrics()
      .then((text) => res.type(aggregator.contentType).send(text))
      .catch(next);
  });
  app.get('/health/liveness', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/readiness', (_req, res) => {
    const report = {
      status: ready.size > 0 ? 'ok' : 'unavailable',
      workers: { ready: ready.size, total: options.workers },
    };
    res.status(ready.size > 0 ? 200 : 503).json(report);
  });
  const internal: RunningHttpServer = await listen(app, options.internal.host, options.internal.port);
  logger.info(
    { workers: options.workers, metrics: { host: options.internal.host, port: internal.port } },
    `${name} cluster primary started`,
  );

  return {
    internalPort: internal.port,
    readyWorkers: () => ready.size,
    close: async () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const kill = setTimeout(() => worker.process.kill('SIGKILL'), options.shutdownGraceMs + 5000);
              worker.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              worker.process.kill('SIGTERM');
            }),
        ),
      );
      await internal.close(0);
    },
  };
}
