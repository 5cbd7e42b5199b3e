import { context, propagation, trace } from '@opentelemetry/api';
import { node } from '@opentelemetry/sdk-node';
import { currentTraceId, currentTraceparent } from '../../src/trace-context';

describe('trace context', () => {
  let provider: InstanceType<typeof node.NodeTracerProvider>;

  beforeAll(() => {
    provider = new node.NodeTracerProvider();
    provider.register(); // context manager and W3C propagator, as telemetry sets them up
  });

  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('gives the active trace id and traceparent inside a span', () => {
    trace.getTracer('test').startActiveSpan('work', (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(currentTraceId()).toBe(traceId);
      expect(currentTraceparent()).toBe(`00-${traceId}-${spanId}-01`);
      span.end();
    });
  });

  it('gives nothing outside any trace', () => {
    expect(currentTraceId()).toBeNull();
    expect(currentTraceparent()).toBeUndefined();
  });
});
