// A Server-Sent Events client over node:http for integration and end-to-end tests, the way a non-browser client
// (or curl -N) reads the stream: any headers (Authorization), no buffering between the socket and
// the parser, and the arrival time of every event, so tests can assert on latency and on copies.
import http from 'node:http';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
  /** Date.now() when the event's terminating blank line arrived. */
  receivedAt: number;
}

export interface SseStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body when the stream was refused (status ≠ 200). */
  error: unknown;
  events: SseEvent[];
  /** Comment lines (": heartbeat") without the colon. */
  comments: string[];
  retryMs: number | undefined;
  /** The server (or a proxy) ended the stream. */
  ended: boolean;
  /** Resolves once `predicate` holds (checked on every chunk); rejects after `timeoutMs`. */
  until(predicate: (stream: SseStream) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens `url` as an event stream; resolves when the response headers (or the refusal) arrived. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const waiters = new Set<() => void>();
    const notify = () => {
      for (const waiter of [...waiters]) waiter();
    };
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } });
    req.once('error', reject);
    req.once('response', (res) => {
      const stream: SseStream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        error: undefined,
        events: [],
        comments: [],
        retryMs: undefined,
        ended: false,
        until: (predicate, timeoutMs = 5_000) =>
          new Promise<void>((done, fail) => {
            if (predicate(stream)) return done();
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(
                new Error(
                  `SSE condition not met within ${timeoutMs} ms; events so far: ${JSON.stringify(stream.events.map((e) => e.id))}`,
                ),
              );
            }, timeoutMs);
            const check = () => {
              if (!predicate(stream)) return;
              clearTimeout(timer);
              waiters.delete(check);
              done();
            };
            waiters.add(check);
          }),
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.once('end', () => {
        stream.ended = true;
        notify();
      });
      res.once('error', () => undefined); // close() aborts the response
      req.on('error', () => undefined);

      if (stream.status !== 200) {
        let body = '';
        res.on('data', (chunk: string) => (body += chunk));
        res.once('end', () => {
          try {
            stream.error = JSON.parse(body);
          } catch {
            stream.error = body;
          }
          resolve(stream);
        });
        return;
      }

      const parseBlock = (block: string, receivedAt: number) => {
        let id: string | undefined;
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith(':')) {
            stream.comments.push(line.slice(1).trim());
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') id = value;
          else if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'retry') stream.retryMs = Number(value);
        }
        if (data.length) stream.events.push({ id, event, data: data.join('\n'), receivedAt });
      };
      let buffer = '';
      res.on('data', (chunk: string) => {
        const receivedAt = Date.now();
        buffer += chunk;
        for (let end = buffer.search(/\r?\n\r?\n/); end >= 0; end = buffer.search(/\r?\n\r?\n/)) {
          const separator = /^\r?\n\r?\n/.exec(buffer.slice(end))![0];
          parseBlock(buffer.slice(0, end), receivedAt);
          buffer = buffer.slice(end + separator.length);
        }
        notify();
      });
      resolve(stream);
    });
  });
}
