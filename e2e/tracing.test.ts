// End-to-end tracing (issue: observability): identity, leave and notification as real processes
// behind the router, every one of them exporting its spans with OTLP/HTTP (protobuf) to a receiver
// this test runs, configured only by the standard OTEL_* variables. One user story — a student
// submits a leave application, an educator approves it, the approval reaches the student's live
// stream — must be ONE trace whose parent/child links go router → leave → identity gRPC → outbox
// relay → RabbitMQ publish → notification consumer → live push, and every service's log lines for
// it must carry that trace id.
//
// The story is one trace because the client starts it: like an instrumented app, the test opens a
// "story" trace and sends each of its two requests with a traceparent naming a client span of
// that trace. Everything else — across HTTP, gRPC, the outbox table and two AMQP hops — must
// follow by itself.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
// OpenTelemetry's own generated protobuf code for OTLP (otlp-transformer 0.57 ships it; the
// SDK's newer copy only encodes) and its typings of the decoded messages.
import otlpProtobuf from '@opentelemetry/otlp-transformer/build/src/generated/root';
import type { IAnyValue, IKeyValue } from '@opentelemetry/otlp-transformer/build/src/common/internal-types';
import {
  ESpanKind,
  type IExportTraceServiceRequest,
} from '@opentelemetry/otlp-transformer/build/src/trace/internal-types';
import { eventually, freePort, openSse, waitFor, type LogLine, type SseStream } from '@campus/testkit';
import { startStack, type ServiceName, type Stack } from './support/stack';

jest.setTimeout(240_000);

const HOUR = 3_600_000;
/** How long the pushes and the exported spans may take on a loaded machine. */
const WAIT_MS = 30_000;

const SUBMIT = `mutation TracingSubmit($input: SubmitLeaveApplicationInput!) {
  submitLeaveApplication(input: $input) { id applicant { id fullName } history { traceId } } }`;
const APPROVE = `mutation TracingApprove($id: ID!) {
  decideLeaveApplication(id: $id, decision: APPROVE) { id status decidedBy { id fullName } history { traceId } } }`;

// ---------------------------------------------------------------------------------------------
// The OTLP/HTTP receiver

/**
 * The generated module is static protobufjs code (message classes under their package path); its
 * declaration file types it as a reflection Root, which it is not. This is the one class we use.
 */
interface GeneratedOtlp {
  opentelemetry: {
    proto: {
      collector: {
        trace: { v1: { ExportTraceServiceRequest: { decode(bytes: Uint8Array): IExportTraceServiceRequest } } };
      };
    };
  };
}
const ExportTraceServiceRequest = (otlpProtobuf as unknown as GeneratedOtlp).opentelemetry.proto.collector.trace.v1
  .ExportTraceServiceRequest;

type AttributeValue = string | number | boolean | undefined;

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root. */
  parentSpanId: string;
  name: string;
  kind: ESpanKind;
  /** The resource's service.name: the process that made the span. */
  service: string;
  attributes: Record<string, AttributeValue>;
}

/** Ids arrive as bytes (protobuf) or hex (JSON); empty bytes mean "none". */
const hex = (id: string | Uint8Array | undefined | null): string =>
  id == null ? '' : typeof id === 'string' ? id.toLowerCase() : Buffer.from(id).toString('hex');

function scalar(value: IAnyValue | undefined): AttributeValue {
  if (!value) return undefined;
  if (value.stringValue != null) return value.stringValue;
  if (value.boolValue != null) return value.boolValue;
  if (value.intValue != null) return Number(String(value.intValue)); // a Long or a number
  if (value.doubleValue != null) return value.doubleValue;
  return undefined;
}

const attributesOf = (list: IKeyValue[] | undefined): Record<string, AttributeValue> =>
  Object.fromEntries((list ?? []).map((kv) => [kv.key, scalar(kv.value)]));

/** Accepts POST /v1/traces like a collector would, keeping every span it was sent. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** Content types of the export requests (the protocol the services chose from OTEL_*). */
  readonly contentTypes = new Set<string>();
  /** Requests to anything but /v1/traces (metrics, logs): none are expected. */
  readonly otherPaths: string[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<void> {
    const port = await freePort();
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        if (req.method !== 'POST' || req.url !== '/v1/traces') {
          this.otherPaths.push(`${req.method} ${req.url}`);
        } else {
          let body = Buffer.concat(chunks);
          if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body);
          const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
          this.contentTypes.add(contentType);
          this.collect(
            contentType === 'application/json'
              ? (JSON.parse(body.toString('utf8')) as IExportTraceServiceRequest)
              : ExportTraceServiceRequest.decode(body),
          );
        }
        // An empty ExportTraceServiceResponse: full success (zero bytes in protobuf, {} in JSON).
        const json = req.headers['content-type']?.startsWith('application/json');
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        res.end(json ? '{}' : undefined);
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(String(error));
      }
    });
  }

  private collect(request: IExportTraceServiceRequest): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          this.spans.push({
            traceId: hex(span.traceId),
            spanId: hex(span.spanId),
            parentSpanId: hex(span.parentSpanId),
            name: span.name,
            kind: span.kind,
            service,
            attributes: attributesOf(span.attributes),
          });
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a trace

const KIND = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const describeSpan = (s: ReceivedSpan) => `${s.service} ${KIND[s.kind]} "${s.name}"`;

/** One step of an expected path through the trace. */
interface Step {
  what: string;
  matches: (span: ReceivedSpan) => boolean;
}

const step = (service: string, kind: ESpanKind, name: RegExp, what: string, extra?: (s: ReceivedSpan) => boolean) => ({
  what: `${what} (${service} ${KIND[kind]} ${name})`,
  matches: (s: ReceivedSpan) => s.service === service && s.kind === kind && name.test(s.name) && (extra?.(s) ?? true),
});

class Trace {
  private readonly byId: Map<string, ReceivedSpan>;

  constructor(readonly spans: ReceivedSpan[]) {
    this.byId = new Map(spans.map((s) => [s.spanId, s]));
  }

  parentOf(span: ReceivedSpan): ReceivedSpan | undefined {
    return this.byId.get(span.parentSpanId);
  }

  /** The span and its ancestors, root first. */
  pathTo(span: ReceivedSpan): ReceivedSpan[] {
    const path = [span];
    for (let parent = this.parentOf(span); parent; parent = this.parentOf(parent)) path.unshift(parent);
    return path;
  }

  /** Spans whose parent is not in the trace (the trace's entry points). */
  get entries(): ReceivedSpan[] {
    return this.spans.filter((s) => !this.byId.has(s.parentSpanId));
  }

  find(predicate: (s: ReceivedSpan) => boolean): ReceivedSpan[] {
    return this.spans.filter(predicate);
  }

  /** gRPC calls whose server span has not arrived (each process exports on its own schedule). */
  get unansweredCalls(): ReceivedSpan[] {
    const parents = new Set(this.spans.map((s) => s.parentSpanId));
    return this.spans.filter(
      (s) => s.kind === ESpanKind.SPAN_KIND_CLIENT && /IdentityService\//.test(s.name) && !parents.has(s.spanId),
    );
  }
}

/**
 * Asserts that the path from the trace's entry down to `leaf` passes the steps in this order
 * (other spans may lie between them), and returns the span matched by each step.
 */
function expectPath(trace: Trace, leaf: ReceivedSpan, steps: Step[]): ReceivedSpan[] {
  const path = trace.pathTo(leaf);
  const matched: ReceivedSpan[] = [];
  let i = 0;
  for (const s of steps) {
    while (i < path.length && !s.matches(path[i]!)) i++;
    if (i === path.length) {
      throw new Error(
        `the path to ${describeSpan(leaf)} lacks, after ${matched.length} matched step(s), ${s.what}:\n  ` +
          path.map(describeSpan).join('\n  → '),
      );
    }
    matched.push(path[i]!);
    i++;
  }
  return matched;
}

// ---------------------------------------------------------------------------------------------

const receiver = new OtlpReceiver();
let stack: Stack;
const tokens = { student: '', educator: '' };
const streams: SseStream[] = [];

/** The client's story trace and the client span of each of its two requests. */
const story = {
  traceId: randomBytes(16).toString('hex'),
  submitSpan: randomBytes(8).toString('hex'),
  approveSpan: randomBytes(8).toString('hex'),
};
const traceparent = (clientSpan: string) => `00-${story.traceId}-${clientSpan}-01`;

let applicationId = '';
let trace: Trace;

interface LiveNotification {
  key: string;
  data: { applicationId?: string };
}
const notificationsOf = (stream: SseStream, key: string) =>
  stream.events
    .map((e) => JSON.parse(e.data) as LiveNotification)
    .filter((n) => n.key === key && n.data.applicationId === applicationId);

async function ok<T>(query: string, token: string, variables: Record<string, unknown>, parent: string) {
  const res = await stack.graphql<T>(query, { variables, token, headers: { traceparent: traceparent(parent) } });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 40)}… failed: ${JSON.stringify(res.errors)}`);
  // The router names the trace of the request: the client's.
  expect(res.headers.get('x-trace-id')).toBe(story.traceId);
  return res.data;
}

beforeAll(async () => {
  await receiver.start();
  // Only standard variables. Sampling: parent-based, roots at ratio 0 — nothing starts a sampled
  // trace on its own (logins, streams, pollers), while the client's sampled story is kept
  // everywhere it goes; the relay and the consumers must carry that decision along.
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0',
    OTEL_BSP_SCHEDULE_DELAY: '200', // export within a fraction of a second, not the default 5 s
  };
  stack = await startStack({
    services: ['identity', 'leave', 'notification'],
    env: { identity: otel, leave: otel, notification: otel, router: otel },
  });
  await waitFor(
    async () =>
      (await fetch(`http://127.0.0.1:${stack.ports.notification![0]!.http}/health/readiness`).catch(() => undefined))
        ?.status === 200,
    'notification readiness (consumer subscribed)',
    60_000,
  );
  tokens.student = await stack.login('student.adult@sirius.local');
  tokens.educator = await stack.login('educator@sirius.local');
});

afterAll(async () => {
  for (const s of streams.splice(0)) s.close();
  await stack?.stop();
  await receiver.stop();
});

async function openStream(token: string): Promise<SseStream> {
  const stream = await openSse(`${stack.routerUrl}/notifications/stream`, { authorization: `Bearer ${token}` });
  streams.push(stream);
  expect(stream.status).toBe(200);
  await stream.until((s) => s.retryMs !== undefined); // the notification instance holds it
  return stream;
}

const LIVE_EXCHANGE = /^campus\.notifications\.live\./;
const isLivePush = (s: ReceivedSpan) =>
  s.service === 'notification' &&
  s.kind === ESpanKind.SPAN_KIND_CONSUMER &&
  LIVE_EXCHANGE.test(String(s.attributes['messaging.destination.name']));

it('one trace: router → leave → identity gRPC → outbox relay → RabbitMQ → notification consumer → live push', async () => {
  const studentStream = await openStream(tokens.student);
  const educatorStream = await openStream(tokens.educator);

  // The student submits; the educators are told (through identity) on their live streams.
  const leaveAt = new Date(Date.now() + 24 * HOUR);
  const submitted = await ok<{ submitLeaveApplication: { id: string; history: { traceId: string }[] } }>(
    SUBMIT,
    tokens.student,
    {
      input: {
        leaveAt: leaveAt.toISOString(),
        returnAt: new Date(leaveAt.getTime() + 3 * HOUR).toISOString(),
        reason: 'Кружок робототехники (трассировка)',
        contactPhone: '+79991234567',
      },
    },
    story.submitSpan,
  );
  applicationId = submitted.submitLeaveApplication.id;
  await educatorStream.until(() => notificationsOf(educatorStream, 'leave.submitted').length > 0, WAIT_MS);

  // The educator approves; the student's stream gets it.
  const approved = await ok<{ decideLeaveApplication: { status: string; history: { traceId: string }[] } }>(
    APPROVE,
    tokens.educator,
    { id: applicationId },
    story.approveSpan,
  );
  expect(approved.decideLeaveApplication.status).toBe('APPROVED');
  await studentStream.until(() => notificationsOf(studentStream, 'leave.approved').length > 0, WAIT_MS);
  // The event store's metadata records the trace of each change too.
  expect(approved.decideLeaveApplication.history.map((h) => h.traceId)).toEqual([story.traceId, story.traceId]);

  // Wait until the exported trace is whole: both live pushes, no span whose parent is missing
  // except the two requests, whose parents are the client's spans, and identity's side of every
  // gRPC call (identity may export after the others have).
  trace = await waitFor(
    () => {
      const t = new Trace(receiver.spans.filter((s) => s.traceId === story.traceId));
      const pushes = t.find(isLivePush);
      const whole =
        t.entries.every((s) => [story.submitSpan, story.approveSpan].includes(s.parentSpanId)) &&
        t.unansweredCalls.length === 0;
      return pushes.length >= 2 && whole ? t : undefined;
    },
    'the story’s spans, exported and whole',
    WAIT_MS,
  ).catch((error: unknown) => {
    const t = new Trace(receiver.spans.filter((s) => s.traceId === story.traceId));
    throw new Error(
      `${String(error)}\nentries: ${t.entries.map(describeSpan).join('; ')}\nspans: ${t.spans.map(describeSpan).join('; ')}`,
    );
  });

  // The exporter used the protocol OTEL_EXPORTER_OTLP_PROTOCOL asked for, and only traces.
  expect([...receiver.contentTypes]).toEqual(['application/x-protobuf']);
  expect(receiver.otherPaths).toEqual([]);
  // The sampler is the configured one: nothing but the client's sampled story was recorded.
  expect(new Set(receiver.spans.map((s) => s.traceId))).toEqual(new Set([story.traceId]));
  // Every process of the story took part in it.
  expect(new Set(trace.spans.map((s) => s.service))).toEqual(new Set(['router', 'identity', 'leave', 'notification']));

  // Two entry points, one per request: the router's server spans, children of the client's spans.
  const entries = trace.entries;
  expect(entries.map(describeSpan)).toEqual([
    expect.stringMatching(/^router SERVER/),
    expect.stringMatching(/^router SERVER/),
  ]);
  expect(entries.map((s) => s.parentSpanId).sort()).toEqual([story.submitSpan, story.approveSpan].sort());
  const requestOf = (span: ReceivedSpan) => trace.pathTo(span)[0]!.parentSpanId;

  const SERVER = ESpanKind.SPAN_KIND_SERVER;
  const CLIENT = ESpanKind.SPAN_KIND_CLIENT;
  const PRODUCER = ESpanKind.SPAN_KIND_PRODUCER;
  const CONSUMER = ESpanKind.SPAN_KIND_CONSUMER;
  const eventType = (type: string) => (s: ReceivedSpan) => s.attributes['cloudevents.event_type'] === type;
  const toLeave = [
    step('router', SERVER, /POST/, 'the request at the router'),
    step('router', CLIENT, /POST/, 'the router’s call of the leave subgraph'),
    step('leave', SERVER, /POST/, 'the request at the leave subgraph'),
  ];

  // Submit: leave asks identity over gRPC for the applicant's snapshot.
  const getUser = trace.find(
    (s) => s.service === 'identity' && s.kind === SERVER && /IdentityService\/GetUser$/.test(s.name),
  );
  expect(getUser.length).toBeGreaterThanOrEqual(1);
  const [, , leaveServer, grpcClient, grpcServer] = expectPath(trace, getUser[0]!, [
    ...toLeave,
    step('leave', CLIENT, /IdentityService\/GetUser$/, 'leave’s gRPC call'),
    step('identity', SERVER, /IdentityService\/GetUser$/, 'identity serving it'),
  ]);
  expect(requestOf(getUser[0]!)).toBe(story.submitSpan);
  expect(trace.parentOf(grpcServer!)).toBe(grpcClient); // across the process boundary, directly
  expect(trace.pathTo(grpcClient!)).toContain(leaveServer);

  // Each decision's event: outbox relay → publish → consumer → broadcast → live push.
  const chainFor = (type: string) => [
    ...toLeave,
    step('leave', PRODUCER, /^outbox relay$/, 'the outbox relay publishing the event', eventType(type)),
    step('leave', PRODUCER, /^publish campus\.events\./, 'the RabbitMQ publish (amqplib)'),
    step('notification', CONSUMER, /process$/, 'the notification consumer handling it', eventType(type)),
    step('notification', PRODUCER, /^publish campus\.notifications\.live\./, 'the live fan-out publish'),
    step('notification', CONSUMER, /^campus\.notifications\.live\..* process$/, 'the live push'),
  ];
  const pushes = trace.find(isLivePush);
  for (const [type, request] of [
    ['campus.leave.application.submitted.v1', story.submitSpan],
    ['campus.leave.application.approved.v1', story.approveSpan],
  ] as const) {
    const push = pushes.find((p) => requestOf(p) === request);
    expect(push).toBeDefined();
    const [, , leaveRequest, relay, publish, consumer, livePublish] = expectPath(trace, push!, chainFor(type));
    // The relay continues the request (the traceparent stored with the row), the consumer the
    // publish (the message headers), the push the consumer's broadcast.
    expect(trace.pathTo(relay!)).toContain(leaveRequest);
    expect(trace.parentOf(publish!)).toBe(relay);
    const intoNotification = trace.pathTo(consumer!).find((s) => s.service === 'notification')!;
    expect(trace.parentOf(intoNotification)).toBe(publish); // across the broker, directly
    expect(trace.pathTo(push!)).toContain(livePublish);
  }
  // The educators were found through identity, inside the submitted event's handling.
  expect(
    trace.find(
      (s) =>
        s.service === 'identity' &&
        s.kind === SERVER &&
        /IdentityService\//.test(s.name) &&
        trace
          .pathTo(s)
          .some((a) => a.service === 'notification' && eventType('campus.leave.application.submitted.v1')(a)),
    ).length,
  ).toBeGreaterThanOrEqual(1);
});

it('the log lines of every service for the story carry its trace id, and name spans of it', async () => {
  expect(trace).toBeDefined(); // the story ran
  const logs = (name: ServiceName | 'router'): LogLine[] =>
    name === 'router' ? stack.router.logs : (stack.services[name]?.flatMap((p) => p.logs) ?? []);

  // Each service logged inside the story (GraphQL operations, the notification consumer).
  const storyLines = (name: ServiceName | 'router') => logs(name).filter((l) => l.trace_id === story.traceId);
  const operations = (name: ServiceName | 'router') =>
    storyLines(name)
      .filter((l) => l.msg === 'graphql operation')
      .map((l) => String(l.operation));
  expect(operations('router').sort()).toEqual(['TracingApprove', 'TracingSubmit']);
  expect(operations('leave')).toEqual(
    expect.arrayContaining([expect.stringMatching(/^TracingSubmit/), expect.stringMatching(/^TracingApprove/)]),
  );
  expect(operations('identity').length).toBeGreaterThanOrEqual(1); // the applicant's and decider's names
  expect(
    storyLines('notification')
      .filter((l) => l.msg === 'notifications stored')
      .map((l) => l.eventType)
      .sort(),
  ).toEqual(['campus.leave.application.approved.v1', 'campus.leave.application.submitted.v1']);

  // No line about the story carries another trace: the router's and leave's lines of the two
  // operations, and the consumer's lines of the two events, are all in the story's trace.
  const aboutStory = (l: LogLine) =>
    /^Tracing(Submit|Approve)/.test(String(l.operation ?? '')) ||
    (typeof l.eventType === 'string' && /^campus\.leave\.application\.(submitted|approved)\.v1$/.test(l.eventType));
  for (const name of ['router', 'leave', 'identity', 'notification'] as const) {
    const stray = logs(name).filter((l) => aboutStory(l) && l.trace_id !== story.traceId);
    expect({ service: name, stray }).toEqual({ service: name, stray: [] });
  }

  // And each line names a span of the exported trace, so logs and spans can be joined (a span may
  // still be on its way: spans are exported in batches, after they end).
  const unjoined = () =>
    (['router', 'leave', 'identity', 'notification'] as const).flatMap((name) => {
      const exported = new Set(receiver.spans.filter((s) => s.traceId === story.traceId).map((s) => s.spanId));
      return storyLines(name)
        .filter((l) => !exported.has(String(l.span_id)))
        .map((l) => ({ service: name, msg: l.msg, span_id: l.span_id }));
    });
  await eventually(unjoined, (lines) => lines.length === 0, WAIT_MS, 'every story log line’s span to be exported');
});
