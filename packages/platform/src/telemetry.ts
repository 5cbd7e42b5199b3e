import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { NodeSDK, core, resources, tracing } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

let sdk: NodeSDK | undefined;

/**
 * Whether spans are exported: an OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT, or the traces-only
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or an explicit OTEL_TRACES_EXPORTER (e.g. `console`) is set,
 * and OTEL_TRACES_EXPORTER is not `none`.
 */
export function exportingTraces(env: NodeJS.ProcessEnv): boolean {
  const exporter = env.OTEL_TRACES_EXPORTER?.trim();
  if (exporter === 'none') return false;
  return !!(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || exporter);
}

/**
 * Starts OpenTelemetry before the application code is loaded (instrumentations patch modules on
 * require). Spans always exist, so trace ids reach the logs and propagate downstream; they are
 * exported only when asked (see `exportingTraces`), configured by the standard OTEL_* variables:
 * exporter protocol, endpoint and headers, sampler (OTEL_TRACES_SAMPLER, default
 * parentbased_always_on), batching (OTEL_BSP_*). See docs/operations.md, "Tracing".
 */
export interface TelemetryOptions {
  /**
   * A gateway (the router) instruments incoming and outgoing HTTP only and relies on Apollo
   * Gateway's own spans (request, plan, fetch per subgraph, post-processing): Express and GraphQL
   * instrumentations there add a span per middleware and per field of the gateway's result
   * shaping, measured at ~10 % of its CPU per request. Its subgraph calls carry the trace itself.
   */
  gateway?: boolean;
}

export function startTelemetry(serviceName: string, options: TelemetryOptions = {}): void {
  if (sdk) return;
  const exporting = exportingTraces(process.env);
  // Spans are recorded only for an exporter, or for a sampler asked for explicitly.
  const recording = exporting || !!process.env.OTEL_TRACES_SAMPLER;
  if (options.gateway && !recording) {
    // A gateway whose spans nobody records: the SDK and its HTTP instrumentation cost ~8 % of the
    // router's CPU per request for spans that are thrown away. What the trace id still needs — an
    // active context for the logs, W3C propagation to the subgraphs — is registered alone; the
    // router puts each request's trace (the caller's, or a new one) in that context itself.
    registerTraceContext();
    return;
  }
  sdk = new NodeSDK({
    serviceName,
    resource: resources.resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': 'campus-sirius' }),
    // Without an exporter a no-op processor still makes the SDK register its tracer provider, so
    // trace ids exist for logs and propagation; and unless a sampler is configured, spans are not
    // recorded at all (non-recording spans keep their trace and span ids: logs and the traceparent
    // sent downstream are unchanged, the attribute and event work per span is skipped).
    ...(exporting
      ? {}
      : {
          spanProcessors: [new tracing.NoopSpanProcessor()],
          ...(process.env.OTEL_TRACES_SAMPLER ? {} : { sampler: new tracing.AlwaysOffSampler() }),
        }),
    // Metrics are Prometheus (/metrics) and logs JSON on stdout: the SDK's own OTLP metrics and
    // logs pipelines (on by default; the metrics one pushes instrumentation metrics to
    // localhost:4318 every minute, endpoint or not) stay off unless OTEL_METRICS_EXPORTER /
    // OTEL_LOGS_EXPORTER ask for them.
    ...(process.env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
    ...(process.env.OTEL_LOGS_EXPORTER ? {} : { logRecordProcessors: [] }),
    // OTEL_RESOURCE_ATTRIBUTES (e.g. deployment.environment.name, k8s.pod.name) and nothing else:
    // host and process detection add attributes nobody queries to every export.
    resourceDetectors: [resources.envDetector],
    // Spans thrown away (not recording): no instrumentation at all. A subgraph's HTTP entry
    // (startSubgraph) puts the caller's trace in the context itself (inIncomingTrace), and the HTTP
    // instrumentation's only work would be a span per request nobody keeps: ~13 % of identity's CPU
    // per `me` with the rest of the SDK, measured by turning it all off (OTEL_SDK_DISABLED). The
    // others: see serviceInstrumentations.
    instrumentations: recording
      ? [
          new HttpInstrumentation({
            // health probes and scrapes would drown real traffic
            ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? ''),
          }),
          ...(options.gateway ? [] : serviceInstrumentations()),
        ]
      : [],
  });
  sdk.start();
}

/**
 * What a subgraph's spans come from besides HTTP: GraphQL (parse, validate, execute), gRPC, SQL and
 * AMQP. Not a span per Express middleware nor per resolved field: the HTTP server span and the
 * `graphql.execute` span already bound the request, the SQL and gRPC spans show where its time went,
 * and per-middleware/per-field spans cost every request (measured: ~1.5 % of leave's CPU under the
 * submission benchmark) while telling an operator nothing more.
 *
 * Not loaded while spans are not recorded (no exporter, no sampler: every span thrown away). They only
 * ever add child spans of a request; the trace its logs and its calls carry is the platform's own
 * work: the gRPC client and server inject and extract `traceparent` (grpc/metadata.ts), the outbox,
 * consumers and broadcast carry it in AMQP headers (messaging/tracing.ts), and no subgraph calls out
 * over HTTP. Measured without them: in identity's profile under the 2,000-student users page,
 * OpenTelemetry's share of its busy time fell from 6.5 to 3.8 % (GraphQL and SQL); a gRPC call of
 * 25 users between two processes took 0.82 ms instead of 0.97–1.15, with ~0.1–0.2 ms less CPU on
 * each side (gRPC, AMQP and undici; docs/performance.md).
 */
function serviceInstrumentations() {
  return [
    new GraphQLInstrumentation({ mergeItems: true, ignoreResolveSpans: true }),
    new GrpcInstrumentation(),
    // Only queries of traced work: the outbox relay's and the scheduler's polls would otherwise
    // each start a trace of their own, several a second per process.
    new PgInstrumentation({ requireParentSpan: true }),
    new AmqplibInstrumentation(),
    new UndiciInstrumentation(),
  ];
}

/**
 * The async context (AsyncLocalStorage) and the W3C trace-context and baggage propagators, without
 * a tracer provider: spans are the API's non-recording ones, carrying the ids of their parent.
 * Does nothing where an SDK has registered them already.
 */
function registerTraceContext(): void {
  const manager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(manager)) {
    manager.disable();
    return;
  }
  propagation.setGlobalPropagator(
    new core.CompositePropagator({
      propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()],
    }),
  );
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
