import { fromFile as detectFileType } from 'file-type';
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
  const detected = await detectFileType(file);
  const format = formatFor(kind, detected?.ext);
  if (!format) throw documentTypeNotAllowed(kind, detected?.mime);
  const durationSeconds = isAudioKind(kind) ? await audioDuration(file) : null;
  return { kind, sizeBytes, contentType: format.contentType, durationSeconds, format };
}

/** The inspector the service runs with (file-type for formats, music-metadata for audio length). */
export const fileContentInspector: DocumentInspector = { inspect: inspectDocument };

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
