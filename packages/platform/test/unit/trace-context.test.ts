import { trace } from '@opentelemetry/api';
import { currentTraceId, currentTraceparent, incomingOrNewTraceparent, inIncomingTrace } from '../../src/trace-context';
import { startTestTracing, type TestTracing } from '../support/tracing';

describe('trace context', () => {
  let testTracing: TestTracing;

  beforeAll(() => {
    testTracing = startTestTracing();
  });

  afterAll(() => testTracing.stop());

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

  describe("an incoming request's trace (a subgraph whose spans are not recorded)", () => {
    const CALLER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

    it("runs the request in the caller's trace: its logs and outgoing calls carry it", async () => {
      const seen = await inIncomingTrace(CALLER, async () => {
        await new Promise((resolve) => setImmediate(resolve)); // across an await, as a resolver runs
        return { traceId: currentTraceId(), traceparent: currentTraceparent() };
      });
      expect(seen).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', traceparent: CALLER });
    });

    it.each([
      ['no traceparent', undefined],
      ['a malformed one', '00-xyz-00f067aa0ba902b7-01'],
      ['an all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
      ['a repeated header', [CALLER, CALLER]],
    ])('starts a new trace for a request with %s', (_, header) => {
      const traceIds = [1, 2].map(() => inIncomingTrace(header, () => currentTraceId()));
      for (const id of traceIds) expect(id).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
      expect(traceIds[0]).not.toBe(traceIds[1]);
      expect(traceIds[0]).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    });

    it('keeps the span already active (where the HTTP instrumentation records one)', () => {
      trace.getTracer('test').startActiveSpan('http server', (span) => {
        expect(inIncomingTrace(CALLER, () => currentTraceId())).toBe(span.spanContext().traceId);
        span.end();
      });
    });

    it('makes new traceparents sampled, with 32 and 16 hex digits of ids', () => {
      expect(incomingOrNewTraceparent(undefined)).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(incomingOrNewTraceparent(` ${CALLER.toUpperCase()} `)).toBe(CALLER);
    });
  });
});
