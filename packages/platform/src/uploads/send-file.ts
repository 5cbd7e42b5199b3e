import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import type { Logger } from 'pino';

/** A stored file on its way to a client. */
export interface OutgoingFile {
  contentType: string;
  sizeBytes: number;
  fileName: string;
  stream: Readable;
}

/**
 * Answers 200 with a personal file (a document, a photo of someone's room): never cached by a
 * shared cache, never sniffed or rendered as a page. `disposition` says whether a browser shows it
 * (`inline`) or saves it (`attachment`).
 */
export async function sendPrivateFile(
  res: Response,
  file: OutgoingFile,
  options: { disposition: 'inline' | 'attachment'; logger: Logger },
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', String(file.sizeBytes));
  res.setHeader('Content-Disposition', `${options.disposition}; filename="${file.fileName}"`);
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  try {
    await pipeline(file.stream, res);
  } catch (error) {
    // Headers are out: all that is left is to cut the response (the client sees a short body).
    options.logger.warn({ err: error, fileName: file.fileName }, 'file download interrupted');
    res.destroy();
  }
}
