import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { contextOfTraceparent, messageContext, traceHeaders } from '../../src/messaging/tracing';
import { exportingTraces } from '../../src/telemetry';
import { startTestTracing, type TestTracing } from '../support/tracing';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const TRACEPARENT = `00-${TRACE}-${SPAN}-01`;

const spanContextOf = (ctx: ReturnType<typeof context.active>) => trace.getSpanContext(ctx);

describe('trace context of messages', () => {
  let testTracing: TestTracing;

  beforeAll(() => {
    testTracing = startTestTracing();
  });

  afterAll(() => testTracing.stop());

  it('reads a stored traceparent, and writes the current context as headers', () => {
    const ctx = contextOfTraceparent(TRACEPARENT);
    expect(spanContextOf(ctx)).toMatchObject({ traceId: TRACE, spanId: SPAN, isRemote: true });
    expect(traceHeaders(ctx)).toEqual({ traceparent: TRACEPARENT });
    expect(contextOfTraceparent(null)).toBe(ROOT_CONTEXT);
  });

  it('continues the producer named by the headers (string or AMQP bytes), else the CloudEvent’s own', () => {
    expect(spanContextOf(messageContext({ traceparent: TRACEPARENT }))).toMatchObject({ spanId: SPAN });
    expect(spanContextOf(messageContext({ traceparent: Buffer.from(TRACEPARENT) }))).toMatchObject({ spanId: SPAN });
    expect(spanContextOf(messageContext({}, TRACEPARENT))).toMatchObject({ spanId: SPAN });
    expect(messageContext(undefined)).toBe(ROOT_CONTEXT);
  });

  it('keeps an active span of the message’s own trace (the instrumentation’s), never one of another trace', () => {
    const tracer = trace.getTracer('test');
    const instrumentation = tracer.startSpan('q process', {}, contextOfTraceparent(TRACEPARENT));
    context.with(trace.setSpan(ROOT_CONTEXT, instrumentation), () => {
      expect(trace.getSpan(messageContext({ traceparent: TRACEPARENT }))).toBe(instrumentation);
    });
    const stale = tracer.startSpan('the request that opened the connection');
    context.with(trace.setSpan(ROOT_CONTEXT, stale), () => {
      expect(spanContextOf(messageContext({ traceparent: TRACEPARENT }))).toMatchObject({
        traceId: TRACE,
        spanId: SPAN,
      });
      // Without any trace context in the message, the active span is all there is.
      expect(trace.getSpan(messageContext({}))).toBe(stale);
    });
    instrumentation.end();
    stale.end();
  });
});

describe('exporting traces', () => {
  it('exports when an OTLP endpoint or an exporter is configured, unless the exporter is none', () => {
    expect(exportingTraces({})).toBe(false);
    expect(exportingTraces({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(exportingTraces({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(exportingTraces({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(
      exportingTraces({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }),
    ).toBe(false);
  });
});
