// An OpenTelemetry SDK registered for a test, as telemetry sets one up (context manager, W3C
// propagator), recording spans in memory; stop() leaves the global API as no test had touched it.
import { context, propagation, trace } from '@opentelemetry/api';
import { node, tracing } from '@opentelemetry/sdk-node';

export interface TestTracing {
  /** Every span ended while it runs (reset it between tests if they count spans). */
  exporter: tracing.InMemorySpanExporter;
  stop(): Promise<void>;
}

export function startTestTracing(sampler?: tracing.Sampler): TestTracing {
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({
    ...(sampler ? { sampler } : {}),
    spanProcessors: [new tracing.SimpleSpanProcessor(exporter)],
  });
  provider.register();
  return {
    exporter,
    async stop() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
