import { NodeSDK, resources, tracing } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';

let sdk: NodeSDK | undefined;

/**
 * Starts OpenTelemetry before the application code is loaded (instrumentations patch modules on
 * require). Spans always exist, so trace ids reach the logs and propagate downstream; they are
 * exported (OTLP, configured by the standard OTEL_* variables) only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function startTelemetry(serviceName: string): void {
  if (sdk) return;
  const exporting = !!process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  sdk = new NodeSDK({
    serviceName,
    resource: resources.resourceFromAttributes({ 'service.name': serviceName, 'service.namespace': 'campus-sirius' }),
    // Without an exporter a no-op processor still makes the SDK register its tracer provider, so
    // real (unexported) spans and trace ids exist for logs and propagation.
    ...(exporting ? {} : { spanProcessors: [new tracing.NoopSpanProcessor()] }),
    autoDetectResources: false,
    instrumentations: [
      new HttpInstrumentation({
        // health probes and scrapes would drown real traffic
        ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? ''),
      }),
      new ExpressInstrumentation(),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
      new GrpcInstrumentation(),
      new PgInstrumentation(),
      new AmqplibInstrumentation(),
      new UndiciInstrumentation(),
    ],
  });
  sdk.start();
}

export async function stopTelemetry(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
