// A minimal Server-Sent Events client over fetch (streaming body), for tests: records every event
// and comment with its arrival time. Node's fetch can send headers, unlike a browser EventSource.

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
  receivedAt: number;
}

export interface SseConnection {
  status: number;
  contentType: string | null;
  /** The JSON error body when the stream was refused. */
  error: unknown;
  events: SseEvent[];
  comments: string[];
  retryMs: number | undefined;
  /** The server ended the stream. */
  ended: boolean;
  /** Resolves when `predicate` holds (checked on every arrival), rejects after `timeoutMs`. */
  until(predicate: (connection: SseConnection) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

export async function connectSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const waiters = new Set<() => void>();
  const connection: SseConnection = {
    status: res.status,
    contentType: res.headers.get('content-type'),
    error: undefined,
    events: [],
    comments: [],
    retryMs: undefined,
    ended: false,
    until: (predicate, timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (predicate(connection)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`SSE condition not met within ${timeoutMs} ms; got ${JSON.stringify(connection.events.map((e) => e.event))}`));
        }, timeoutMs);
        const check = () => {
          if (!predicate(connection)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      }),
    close: () => controller.abort(),
  };
  if (!res.ok || !res.body) {
    connection.error = await res.json().catch(() => undefined);
    return connection;
  }

  const parseBlock = (block: string) => {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        connection.comments.push(line.slice(1).trim());
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry') connection.retryMs = Number(value);
    }
    if (data.length) connection.events.push({ id, event, data: data.join('\n'), receivedAt: Date.now() });
  };

  const reader = res.body.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          connection.ended = true;
          for (const waiter of [...waiters]) waiter();
          break;
        }
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        for (const waiter of [...waiters]) waiter();
      }
    } catch {
      // aborted by close()
    }
  })();
  return connection;
}
