import fs from 'node:fs';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DomainError } from '@campus/platform';

/**
 * Streams a request body into a new local file, counting bytes as they pass, and fails as soon as
 * the count crosses `maxBytes`: an oversized upload is cut off, never buffered whole. The body
 * stream itself is not destroyed (the HTTP layer still answers on its socket); it is only
 * detached and paused. On any failure the partial file is removed.
 */
export async function receiveToFile(body: Readable, target: string, maxBytes: number, tooLarge: () => DomainError): Promise<number> {
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      size += chunk.length;
      if (size > maxBytes) callback(tooLarge());
      else callback(null, chunk);
    },
  });
  const onBodyError = (error: Error) => limiter.destroy(error);
  body.once('error', onBodyError);
  // A client that disconnects mid-upload must not leave a half-written file behind.
  const onAborted = () => limiter.destroy(new Error('the upload was interrupted'));
  body.once('aborted', onAborted);
  body.pipe(limiter);
  try {
    await pipeline(limiter, fs.createWriteStream(target, { flags: 'wx', mode: 0o600 }));
    return size;
  } catch (error) {
    body.unpipe(limiter);
    body.pause();
    await fs.promises.rm(target, { force: true });
    throw error;
  } finally {
    body.off('error', onBodyError);
    body.off('aborted', onAborted);
  }
}
