import fs from 'node:fs/promises';
import { detectFileFormat } from '@campus/platform';
import { parseFile as parseAudio } from 'music-metadata';
import {
  documentTypeNotAllowed,
  formatFor,
  isAudioKind,
  type DocumentKind,
  type InspectedDocument,
} from '../domain/documents';
import { LeaveErrors } from '../domain/errors';
import type { DocumentInspector } from '../services/ports';

/**
 * Establishes what an uploaded file really is: its format from its leading bytes (magic numbers;
 * the name and the claimed Content-Type are ignored) and, for audio, its playing time from the
 * audio headers/frames. The limits themselves are the domain's (`checkDocumentFacts`).
 */
export async function inspectDocument(file: string, kind: DocumentKind, sizeBytes: number): Promise<InspectedDocument> {
  const detected = await detectFileFormat(file);
  const format = formatFor(kind, detected?.ext);
  if (!format) throw documentTypeNotAllowed(kind, detected?.mime);
  let durationSeconds = isAudioKind(kind) ? await audioDuration(file) : null;
  if (durationSeconds !== null && format.ext === 'wav') {
    durationSeconds = Math.max(durationSeconds, await wavSampleSeconds(file));
  }
  return { kind, sizeBytes, contentType: format.contentType, durationSeconds, format };
}

/** The inspector the service runs with (platform detectFileFormat for formats, music-metadata for audio length). */
export const fileContentInspector: DocumentInspector = { inspect: inspectDocument };

/** How far into a WAV file its chunk headers may reach (a LIST chunk before the samples, say). */
const WAV_HEADER_SCAN_BYTES = 1024 * 1024;

/**
 * The playing time of the samples a WAV file actually carries: every byte from the start of the
 * `data` chunk to the end of the file, at the `fmt ` chunk's byte rate. The header's own sizes are
 * not trusted: a data chunk claiming 3 s followed by 180 s of samples plays 180 s in most players
 * (trailing metadata chunks, if any, only count a little extra).
 */
async function wavSampleSeconds(file: string): Promise<number> {
  const handle = await fs.open(file, 'r');
  try {
    const { size: sizeBytes } = await handle.stat();
    const head = Buffer.alloc(Math.min(WAV_HEADER_SCAN_BYTES, sizeBytes));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let byteRate = 0;
    for (let at = 12; at + 8 <= bytesRead; ) {
      const id = head.toString('ascii', at, at + 4);
      const size = head.readUInt32LE(at + 4);
      if (id === 'fmt ' && at + 16 <= bytesRead) byteRate = head.readUInt32LE(at + 16);
      if (id === 'data') {
        if (byteRate > 0) return (sizeBytes - (at + 8)) / byteRate;
        break;
      }
      at += 8 + size + (size % 2); // chunks are padded to an even size
    }
  } finally {
    await handle.close();
  }
  throw LeaveErrors.error('DOCUMENT_UNREADABLE', 'The recording could not be read; upload an MP3, M4A or WAV file');
}

async function audioDuration(file: string): Promise<number> {
  try {
    // `duration: true` makes the parser count MP3 frames when no header states the length.
    const metadata = await parseAudio(file, { duration: true, skipCovers: true });
    const duration = metadata.format.duration;
    if (duration !== undefined && Number.isFinite(duration) && duration >= 0) return duration;
  } catch {
    // fall through: an unparsable recording is refused below
  }
  throw LeaveErrors.error('DOCUMENT_UNREADABLE', 'The recording could not be read; upload an MP3, M4A or WAV file');
}
