// Scheduled work runs in a trace of its own: the job loop over a pg-boss stand-in (no database),
// with an in-memory span exporter.
import { ROOT_CONTEXT, context, trace, SpanStatusCode } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import type PgBoss from 'pg-boss';
import pino from 'pino';
import { JobLoop, type FetchedJob } from '../../src/scheduler/job-loop';
import { inOwnTrace } from '../../src/scheduler/tracing';
import { currentTraceId, currentTraceparent } from '../../src/trace-context';
import { startTestTracing, type TestTracing } from '../support/tracing';

const logger = pino({ level: 'silent' });
// Spans named "quiet…" are not recorded, as every span is in a service without an exporter.
const sampler: tracing.Sampler = {
  shouldSample: (_ctx, _traceId, name) => ({
    decision: name.startsWith('quiet')
      ? tracing.SamplingDecision.NOT_RECORD
      : tracing.SamplingDecision.RECORD_AND_SAMPLED,
  }),
  toString: () => 'quiet-by-name',
};
let testTracing: TestTracing;
const finishedSpans = () => testTracing.exporter.getFinishedSpans();

beforeAll(() => {
  testTracing = startTestTracing(sampler);
});

afterAll(() => testTracing.stop());

beforeEach(() => testTracing.exporter.reset());

/** One due job of `name`, then none; records how each delivery was marked. */
function bossWithOneJob(name: string) {
  const job = {
    id: '6f1c1e0e-0000-4000-8000-000000000001',
    name,
    data: { dueAt: '2026-03-01T20:00:00.000Z', data: {} },
    retryCount: 0,
    retryLimit: 0,
    expireInSeconds: 60,
  } as unknown as FetchedJob; // only what JobLoop reads
  let handedOut = false;
  const marked: string[] = [];
  const boss = {
    fetch: async () => (handedOut ? [] : ((handedOut = true), [job])),
    complete: async () => void marked.push('completed'),
    fail: async () => void marked.push('failed'),
  } as unknown as PgBoss; // the three calls JobLoop makes
  return { boss, marked };
}

/** Runs `handler` as the one delivery of a job named `name` through a JobLoop, until it is marked. */
async function deliver(name: string, handler: () => Promise<void>, onFailure = () => undefined) {
  const { boss, marked } = bossWithOneJob(name);
  const loop = new JobLoop({ name, boss, pollingMs: 10, logger, run: handler, onFailure });
  loop.start();
  while (!marked.length) await new Promise((r) => setTimeout(r, 5));
  loop.stop();
  await loop.whenIdle();
  return marked;
}

describe('a scheduled job', () => {
  it('runs its handler in a root span named after the job, which carries a traceparent', async () => {
    const seen: { spanId?: string; traceId: string | null; traceparent?: string } = { traceId: null };
    // A span active where the loop runs (a request that started the scheduler) is not the job's parent.
    const outer = trace.getTracer('test').startSpan('start-up');
    const marked = await context.with(trace.setSpan(ROOT_CONTEXT, outer), () =>
      deliver('duty-sweep', async () => {
        seen.spanId = trace.getActiveSpan()?.spanContext().spanId;
        seen.traceId = currentTraceId();
        seen.traceparent = currentTraceparent();
      }),
    );
    outer.end();

    expect(marked).toEqual(['completed']);
    const [span, ...others] = finishedSpans().filter((s) => s.name === 'duty-sweep');
    expect(others).toHaveLength(0);
    expect(span).toBeDefined();
    expect(seen.spanId).toBe(span!.spanContext().spanId);
    expect(seen.traceId).toBe(span!.spanContext().traceId);
    expect(seen.traceId).not.toBe(outer.spanContext().traceId);
    expect(seen.traceparent).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.links.map((l) => l.context.spanId)).toEqual([outer.spanContext().spanId]);
    expect(span!.attributes).toMatchObject({ 'campus.job.name': 'duty-sweep', 'campus.job.attempt': 1 });
    expect(span!.status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('records a failure on its span, and logs it inside the trace', async () => {
    let failureTraceId: string | null = null;
    const marked = await deliver(
      'coworking-night-reminder',
      async () => {
        throw new Error('identity is down');
      },
      () => void (failureTraceId = currentTraceId()),
    );

    expect(marked).toEqual(['failed']);
    const [span] = finishedSpans().filter((s) => s.name === 'coworking-night-reminder');
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'identity is down' });
    expect(span?.events.map((e) => e.name)).toEqual(['exception']);
    expect(failureTraceId).toBe(span?.spanContext().traceId);
  });

  it('still has a trace id and a traceparent where spans are not recorded', async () => {
    let traceparent: string | undefined;
    await deliver('quiet-tick', async () => void (traceparent = currentTraceparent()));

    expect(finishedSpans()).toHaveLength(0);
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
  });
});

describe('inOwnTrace', () => {
  it('gives each run a trace of its own, linked to the span that set it going', async () => {
    const tick = trace.getTracer('test').startSpan('checkout-saga-tick');
    const traces = await context.with(trace.setSpan(ROOT_CONTEXT, tick), () =>
      Promise.all(
        ['a', 'b'].map((id) => inOwnTrace('checkout saga', { 'campus.checkout.id': id }, async () => currentTraceId())),
      ),
    );
    tick.end();

    expect(new Set([...traces, tick.spanContext().traceId]).size).toBe(3);
    const sagas = finishedSpans().filter((s) => s.name === 'checkout saga');
    expect(sagas.map((s) => s.attributes['campus.checkout.id']).sort()).toEqual(['a', 'b']);
    for (const saga of sagas) expect(saga.links[0]?.context.spanId).toBe(tick.spanContext().spanId);
  });

  it('returns what the work returns and rethrows what it throws', async () => {
    await expect(inOwnTrace('x', {}, async () => 42)).resolves.toBe(42);
    await expect(inOwnTrace('y', {}, async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
  });
});
