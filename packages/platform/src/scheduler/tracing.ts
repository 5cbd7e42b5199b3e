import { SpanStatusCode, trace, type Attributes, type Link } from '@opentelemetry/api';

/**
 * Traces of work nobody asked for in a request or a message: scheduled jobs, and what a job sets
 * going (e.g. the check-out sagas a tick drains). Without a span active, such work has no trace id
 * for its log lines, its gRPC calls carry no traceparent, and its CloudEvents no trace extension.
 */
export const schedulerTracer = trace.getTracer('campus-scheduler');

/**
 * Runs `work` in a new trace: a root span named `name`, ended when the work settles, its error
 * recorded. Root, not child: the work has no caller of its own (a job's scheduling request may be
 * days old, a drain serves many sagas), so one run is one story to follow; whatever span was active
 * when it was set going (a tick, a request) is kept as a link. Where spans are not recorded the span
 * is the SDK's non-recording one: new ids for the logs and the traceparent, nothing else (the
 * attributes are not even set).
 */
export function inOwnTrace<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  const starter = trace.getActiveSpan()?.spanContext();
  const links: Link[] = starter && trace.isSpanContextValid(starter) ? [{ context: starter }] : [];
  return schedulerTracer.startActiveSpan(name, { root: true, attributes, links }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
