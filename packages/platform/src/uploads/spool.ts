import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** An uploaded body, held in a local file while it is inspected and stored. */
export interface SpooledFile {
  path: string;
  sizeBytes: number;
  /** Removes the local file (if the storage has not moved it away already). */
  discard(): Promise<void>;
}

/** Receives upload bodies into local files, never holding a whole body in memory (a service's port). */
export interface UploadSpool {
  /**
   * Fails with `tooLarge()` (the service's coded TOO_LARGE error) as soon as more than `maxBytes`
   * have arrived; nothing is left behind.
   */
  receive(body: Readable, maxBytes: number, tooLarge: () => Error): Promise<SpooledFile>;
}

/**
 * Streams a request body into a new local file, counting bytes as they pass, and fails as soon as
 * the count crosses `maxBytes`: an oversized upload is cut off, never buffered whole. The body
 * stream itself is not destroyed (the HTTP layer still answers on its socket); it is only
 * detached and paused. On any failure the partial file is removed.
 */
export async function receiveToFile(
  body: Readable,
  target: string,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<number> {
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

/** Upload bodies spooled as files in a local directory private to the service. */
export class LocalUploadSpool implements UploadSpool {
  constructor(private readonly dir: string) {}

  /** Creates the directory (0700) before the first upload; returns the spool. */
  async prepare(): Promise<this> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    return this;
  }

  async receive(body: Readable, maxBytes: number, tooLarge: () => Error): Promise<SpooledFile> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 }); // in case it was cleaned up meanwhile
    const file = path.join(this.dir, `${randomUUID()}.upload`);
    const sizeBytes = await receiveToFile(body, file, maxBytes, tooLarge);
    return { path: file, sizeBytes, discard: () => fs.promises.rm(file, { force: true }) };
  }
}
