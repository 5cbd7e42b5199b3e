/** One server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface ServerSentEvent {
  /** `message` when the event names none. */
  event: string;
  data: string;
  id?: string;
}

/**
 * Parses a text/event-stream body, chunk by chunk (a chunk may end anywhere, even mid-line):
 * comments (": heartbeat") and `retry:` are skipped, multi-line `data:` joined with "\n".
 */
export async function* parseServerSentEvents(chunks: AsyncIterable<string>): AsyncGenerator<ServerSentEvent> {
  let buffer = '';
  let event: { event?: string; data: string[]; id?: string } = { data: [] };
  const dispatch = (): ServerSentEvent | undefined => {
    const done = event;
    event = { data: [] };
    if (done.data.length === 0) return undefined; // the spec drops events without data
    return {
      event: done.event ?? 'message',
      data: done.data.join('\n'),
      ...(done.id !== undefined ? { id: done.id } : {}),
    };
  };
  for await (const chunk of chunks) {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      if (newline === buffer.length - 1 && buffer.endsWith('\r')) break; // maybe "\r\n" split across chunks
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        const ready = dispatch();
        if (ready) yield ready;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') event.data.push(value);
      else if (field === 'event') event.event = value;
      else if (field === 'id' && !value.includes('\0')) event.id = value;
    }
  }
}

/** A fetch body as text chunks. */
export async function* textChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    await reader.cancel().catch(() => undefined); // the caller stopped early: close the connection
  }
}
