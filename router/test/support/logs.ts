import { Writable } from 'node:stream';
import { currentTraceId, type Logger } from '@campus/platform';
import pino from 'pino';

export type CapturedLine = Record<string, unknown> & { msg?: string; level?: number; trace_id?: string };

/** A logger that keeps its JSON lines for the test to read (trace_id as the platform's logger adds it). */
export function capturingLogger(): { logger: Logger; lines: CapturedLine[] } {
  const lines: CapturedLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as CapturedLine);
      done();
    },
  });
  const logger = pino(
    {
      level: 'info',
      mixin: () => {
        const traceId = currentTraceId();
        return traceId ? { trace_id: traceId } : {};
      },
    },
    sink,
  );
  return { logger, lines };
}
