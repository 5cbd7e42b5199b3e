import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DatabaseTime } from './database-time';

/**
 * One registry per process with the default Node metrics and the metrics every Campus process
 * reports. Services add their own metrics to `registry`.
 */
export class Metrics {
  readonly registry = new Registry();

  /** HTTP and GraphQL requests by operation and outcome ("ok" or an error code). */
  readonly requests: Counter<'transport' | 'operation' | 'outcome'>;
  readonly requestDuration: Histogram<'transport' | 'operation' | 'outcome'>;
  /** SQL statements run by requests, and their time, by operation (database-time.ts). */
  readonly databaseStatements: Counter<'transport' | 'operation'>;
  readonly databaseSeconds: Counter<'transport' | 'operation'>;
  readonly databaseWaitSeconds: Counter<'transport' | 'operation'>;
  readonly grpcCalls: Counter<'side' | 'method' | 'code'>;
  readonly grpcDuration: Histogram<'side' | 'method' | 'code'>;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'campus_requests_total',
      help: 'Requests served, by transport (http|graphql), operation and outcome',
      labelNames: ['transport', 'operation', 'outcome'],
      registers: [this.registry],
    });
    this.requestDuration = new Histogram({
      name: 'campus_request_duration_seconds',
      help: 'Request latency by transport, operation and outcome',
      labelNames: ['transport', 'operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    // Spelled out like every metric here, `new Counter({ name: … })`: that is the shape the
    // dashboards' check finds declarations by (scripts/test/integration/grafana-dashboards.test.ts).
    this.databaseStatements = new Counter({
      name: 'campus_request_database_statements_total',
      help: "SQL statements run by requests, by transport (graphql|grpc) and operation (a gRPC method's path)",
      labelNames: ['transport', 'operation'],
      registers: [this.registry],
    });
    this.databaseSeconds = new Counter({
      name: 'campus_request_database_seconds_total',
      help:
        'Wall time while SQL statements of a request ran (each from its call to its rows), by transport and operation; ' +
        'against campus_request_duration_seconds_sum: the share of an operation spent on its SQL',
      labelNames: ['transport', 'operation'],
      registers: [this.registry],
    });
    this.databaseWaitSeconds = new Counter({
      name: 'campus_request_database_wait_seconds_total',
      help: 'Time requests waited for a connection of the database pool, by transport and operation',
      labelNames: ['transport', 'operation'],
      registers: [this.registry],
    });
    this.grpcCalls = new Counter({
      name: 'campus_grpc_calls_total',
      help: 'gRPC calls by side (server|client), method and status code',
      labelNames: ['side', 'method', 'code'],
      registers: [this.registry],
    });
    this.grpcDuration = new Histogram({
      name: 'campus_grpc_call_duration_seconds',
      help: 'gRPC call latency by side, method and status code',
      labelNames: ['side', 'method', 'code'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
  }

  /** Records one request; returns nothing so callers can fire and forget. */
  observeRequest(transport: 'http' | 'graphql', operation: string, outcome: string, seconds: number): void {
    const labels = { transport, operation, outcome };
    this.requests.inc(labels);
    this.requestDuration.observe(labels, seconds);
  }

  /** Records the SQL statements one request ran; nothing for a request that ran none. */
  observeDatabaseTime(transport: 'http' | 'graphql' | 'grpc', operation: string, time: DatabaseTime): void {
    if (!time.statements) return;
    const labels = { transport, operation };
    this.databaseStatements.inc(labels, time.statements);
    this.databaseSeconds.inc(labels, time.seconds);
    this.databaseWaitSeconds.inc(labels, time.waitSeconds);
  }

  /** A gauge; `collect` (if given) refreshes its value at every scrape. */
  gauge(
    name: string,
    help: string,
    labelNames: string[] = [],
    collect?: (gauge: Gauge<string>) => void | Promise<void>,
  ): Gauge<string> {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect
        ? {
            async collect(this: Gauge<string>) {
              await collect(this);
            },
          }
        : {}),
    });
  }

  counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** A latency histogram in seconds (the request histogram's buckets unless given). */
  histogram(
    name: string,
    help: string,
    labelNames: string[] = [],
    buckets: number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ): Histogram<string> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}
