import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { SpanKind, SpanStatusCode, propagation, trace, context as otelContext } from '@opentelemetry/api';
import { Pool, errors } from 'undici';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

/**
 * How the router calls a subgraph. Apollo's default fetcher (make-fetch-happen: npm's HTTP cache
 * client, an agent that inspects a stack trace per request to tell https from http) cost ~10 % of
 * the router's CPU under load; this one is undici's connection pool per subgraph: keep-alive
 * connections (at most `connections`, the subgraph's concurrency limit), reused across operations.
 */
export interface SubgraphFetcherOptions {
  /** Connections kept to the subgraph (the same bound as its in-flight limit). */
  connections: number;
  /**
   * A call fails (undici's HeadersTimeoutError) when the subgraph's answer has not begun within
   * this, or its body stalls this long. undici's own coarse timers: an AbortSignal.timeout per call
   * (a timer, an EventTarget and a DOMException each) was ~2.5 % of the router's CPU.
   */
  timeoutMs: number;
  /** Idle keep-alive connections are closed after this (below the subgraphs' own 5 s). */
  keepAliveTimeoutMs?: number;
  /**
   * Identical queries in flight for the same caller share one subgraph call (keyed by the
   * Authorization header and the body: never shared across users). Mutations are never merged.
   */
  deduplicate?: boolean;
}

/** A response read once into memory; each reader of a deduplicated call parses its own copy. */
class BufferedResponse implements FetcherResponse {
  readonly bodyUsed = false;
  readonly redirected = false;
  readonly ok: boolean;
  readonly statusText = '';

  constructor(
    readonly url: string,
    readonly status: number,
    readonly headers: FetcherHeaders,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
  }

  text(): Promise<string> {
    return Promise.resolve(this.body);
  }

  json(): Promise<unknown> {
    return Promise.resolve().then(() => JSON.parse(this.body) as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = Buffer.from(this.body);
    return Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }

  clone(): FetcherResponse {
    return new BufferedResponse(this.url, this.status, this.headers, this.body);
  }
}

/**
 * A subgraph answer's headers as undici read them (name, value, name, value…). The router reads
 * only `content-type`; a WHATWG Headers object built per answer (every name validated and sorted)
 * was ~1.6 % of the router's busy samples under the join queries and a tenth of the bytes its
 * requests left for the old generation, so it is built only for a reader asking for more than get/has.
 */
class SubgraphHeaders implements FetcherHeaders {
  private full: Headers | undefined;

  constructor(private readonly raw: readonly Buffer[]) {}

  get(name: string): string | null {
    if (this.full) return this.full.get(name);
    const wanted = name.toLowerCase();
    let found: string | null = null;
    for (let i = 0; i + 1 < this.raw.length; i += 2) {
      const key = this.raw[i]!;
      if (key.length !== wanted.length || key.toString('latin1').toLowerCase() !== wanted) continue;
      const value = this.raw[i + 1]!.toString('utf8');
      found = found === null ? value : `${found}, ${value}`;
    }
    return found;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  append(name: string, value: string): void {
    this.headers().append(name, value);
  }

  delete(name: string): void {
    this.headers().delete(name);
  }

  set(name: string, value: string): void {
    this.headers().set(name, value);
  }

  entries(): IterableIterator<[string, string]> {
    return this.headers().entries();
  }

  keys(): IterableIterator<string> {
    return this.headers().keys();
  }

  values(): IterableIterator<string> {
    return this.headers().values();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.headers()[Symbol.iterator]();
  }

  private headers(): Headers {
    if (!this.full) {
      const headers = new Headers();
      for (let i = 0; i + 1 < this.raw.length; i += 2)
        headers.append(this.raw[i]!.toString('latin1'), this.raw[i + 1]!.toString('utf8'));
      this.full = headers;
    }
    return this.full;
  }
}

interface SubgraphAnswer {
  status: number;
  headers: FetcherHeaders;
  body: string;
}

/**
 * Reads a subgraph's answer into one string, as undici's dispatcher hands it over. undici's
 * `request` wraps each answer in a Node stream (a Readable, an AsyncResource for its callback,
 * headers parsed into an object) only for `text()` to read it back: ~7 µs per call without an
 * async context, more with the router's AsyncLocalStorage (docs/performance.md, "Subgraph answers
 * read without a stream").
 */
class BufferingHandler {
  private readonly chunks: Buffer[] = [];
  private status = 0;
  private rawHeaders: Buffer[] = [];
  private stopListening: (() => void) | undefined;

  constructor(
    private readonly resolve: (answer: SubgraphAnswer) => void,
    private readonly reject: (error: Error) => void,
    private readonly signal: AbortSignal | undefined,
  ) {}

  onConnect(abort: (reason?: Error) => void): void {
    const { signal } = this;
    if (!signal) return;
    // undici's own request does the same: the signal's reason (a DOMException of a timeout) is the error
    const cancel = () => abort((signal.reason as Error | undefined) ?? new errors.RequestAbortedError());
    if (signal.aborted) return cancel();
    signal.addEventListener('abort', cancel, { once: true });
    this.stopListening = () => signal.removeEventListener('abort', cancel);
  }

  onHeaders(status: number, rawHeaders: Buffer[]): boolean {
    if (status < 200) return true; // 1xx: the answer is still to come
    this.status = status;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.stopListening?.();
    const { chunks } = this;
    const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    this.resolve({ status: this.status, headers: new SubgraphHeaders(this.rawHeaders), body });
  }

  onError(error: Error): void {
    this.stopListening?.();
    this.reject(error);
  }
}

/** A subgraph operation that only reads (a query), judged from the document the gateway sends. */
const isQuery = (body: string): boolean => {
  const query = /"query":"\s*(\w*)/.exec(body)?.[1] ?? '';
  return query === '' || query === 'query';
};

export interface SubgraphFetcher {
  fetch: Fetcher;
  /** Calls answered by another caller's identical call in flight (deduplicated). */
  readonly deduplicated: number;
  close(): Promise<void>;
}

const tracer = trace.getTracer('campus-router');

export function createSubgraphFetcher(url: string, options: SubgraphFetcherOptions): SubgraphFetcher {
  const target = new URL(url);
  const pool = new Pool(target.origin, {
    connections: options.connections,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4000,
    pipelining: 1,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  /** Queries in flight, by the caller's Authorization header. */
  const inFlight = new Map<string, Array<{ body: string | undefined; answer: Promise<SubgraphAnswer> }>>();
  let deduplicated = 0;

  const send = async (init: FetcherRequestInit) => {
    const headers: Record<string, string> = { ...init.headers };
    const method = init.method ?? 'POST';
    // A client span under the gateway's fetch span, and the subgraph's trace continues from it
    // when tracing runs; otherwise the incoming request's traceparent, already among the
    // forwarded headers, stays.
    const span = tracer.startSpan(method, {
      kind: SpanKind.CLIENT,
      attributes: { 'http.request.method': method, 'url.full': url, 'server.address': target.hostname },
    });
    propagation.inject(trace.setSpan(otelContext.active(), span), headers);
    try {
      const answer = await new Promise<SubgraphAnswer>((resolve, reject) => {
        pool.dispatch(
          {
            path: target.pathname + target.search,
            method: method as 'POST',
            headers,
            body: init.body ?? null,
          },
          new BufferingHandler(resolve, reject, init.signal as AbortSignal | undefined),
        );
      });
      span.setAttribute('http.response.status_code', answer.status);
      if (answer.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return answer;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
      throw error;
    } finally {
      span.end();
    }
  };

  const fetch: Fetcher = async (requestUrl, init = {}) => {
    const body = typeof init.body === 'string' ? init.body : undefined;
    const caller = init.headers?.authorization ?? '';
    const mergeable = options.deduplicate && body !== undefined && isQuery(body);
    // Found by caller, then by body: a body (kilobytes of representations) is compared only with
    // that caller's own calls in flight, never concatenated into a key and hashed per call.
    const calls = mergeable ? inFlight.get(caller) : undefined;
    let pending = calls?.find((call) => call.body === body)?.answer;
    if (pending) deduplicated++;
    else {
      pending = send(init);
      if (mergeable) {
        const call = { body, answer: pending };
        if (calls) calls.push(call);
        else inFlight.set(caller, [call]);
        const forget = () => {
          const left = inFlight.get(caller)?.filter((other) => other !== call) ?? [];
          if (left.length) inFlight.set(caller, left);
          else inFlight.delete(caller);
        };
        pending.then(forget, forget);
      }
    }
    const { status, headers, body: text } = await pending;
    return new BufferedResponse(requestUrl, status, headers, text);
  };

  return {
    fetch,
    get deduplicated() {
      return deduplicated;
    },
    close: () => pool.close(),
  };
}
