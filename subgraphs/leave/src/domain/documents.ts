import { LeaveErrors } from './errors';

/** Document kinds and their limits (domain spec §4). */
export const DOCUMENT_KINDS = ['signed_application', 'parent_letter', 'voice_message'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const isDocumentKind = (value: string): value is DocumentKind =>
  (DOCUMENT_KINDS as readonly string[]).includes(value);

/** A file format as detected from the file's bytes (never from its name or claimed type). */
export interface DocumentFormat {
  ext: string;
  contentType: string;
}

export interface DocumentPolicy {
  maxBytes: number;
  formats: readonly DocumentFormat[];
  /** Only for audio. */
  maxDurationSeconds?: number;
}

const MB = 1024 * 1024;

const SCAN_FORMATS: readonly DocumentFormat[] = [
  { ext: 'pdf', contentType: 'application/pdf' },
  { ext: 'jpg', contentType: 'image/jpeg' },
  { ext: 'png', contentType: 'image/png' },
];

const AUDIO_FORMATS: readonly DocumentFormat[] = [
  { ext: 'mp3', contentType: 'audio/mpeg' },
  { ext: 'm4a', contentType: 'audio/mp4' },
  { ext: 'wav', contentType: 'audio/wav' },
];

export const DOCUMENT_POLICIES: Readonly<Record<DocumentKind, DocumentPolicy>> = {
  signed_application: { maxBytes: 10 * MB, formats: SCAN_FORMATS },
  parent_letter: { maxBytes: 10 * MB, formats: SCAN_FORMATS },
  voice_message: { maxBytes: 5 * MB, formats: AUDIO_FORMATS, maxDurationSeconds: 120 },
};

/** More would only be noise for the educator reading the application. */
export const MAX_DOCUMENTS_PER_APPLICATION = 10;

export const isAudioKind = (kind: DocumentKind): boolean => DOCUMENT_POLICIES[kind].maxDurationSeconds !== undefined;

/** The allowed format of `kind` with this detected extension, if any. */
export function formatFor(kind: DocumentKind, detectedExt: string | undefined): DocumentFormat | undefined {
  return DOCUMENT_POLICIES[kind].formats.find((f) => f.ext === detectedExt);
}

/** What is known about an uploaded file once it has been inspected. */
export interface DocumentFacts {
  kind: DocumentKind;
  sizeBytes: number;
  contentType: string;
  durationSeconds: number | null;
}

/** The facts of an inspected file, with the format its content was recognised as. */
export interface InspectedDocument extends DocumentFacts {
  format: DocumentFormat;
}

export function documentTooLarge(kind: DocumentKind, sizeBytes?: number) {
  return LeaveErrors.error('DOCUMENT_TOO_LARGE', `A ${kind} may be at most ${DOCUMENT_POLICIES[kind].maxBytes} bytes`, {
    kind,
    maxBytes: DOCUMENT_POLICIES[kind].maxBytes,
    ...(sizeBytes !== undefined ? { sizeBytes } : {}),
  });
}

/**
 * The size limits of a kind. Checked as soon as the size is known (an empty body is reported as
 * empty, not as a file of unknown type) and again with the other facts.
 */
export function checkDocumentSize(kind: DocumentKind, sizeBytes: number): void {
  if (sizeBytes <= 0) throw LeaveErrors.error('DOCUMENT_EMPTY', 'The file is empty', { kind });
  if (sizeBytes > DOCUMENT_POLICIES[kind].maxBytes) throw documentTooLarge(kind, sizeBytes);
}

/** The limits of a document kind, checked on the facts established by inspection. */
export function checkDocumentFacts(facts: DocumentFacts): void {
  const policy = DOCUMENT_POLICIES[facts.kind];
  checkDocumentSize(facts.kind, facts.sizeBytes);
  if (!policy.formats.some((f) => f.contentType === facts.contentType)) {
    throw documentTypeNotAllowed(facts.kind, facts.contentType);
  }
  if (policy.maxDurationSeconds !== undefined) {
    if (facts.durationSeconds === null) {
      throw LeaveErrors.error('DOCUMENT_UNREADABLE', 'The length of the recording could not be determined', {
        kind: facts.kind,
      });
    }
    if (facts.durationSeconds > policy.maxDurationSeconds) {
      throw LeaveErrors.error(
        'VOICE_MESSAGE_TOO_LONG',
        `A voice message may be at most ${policy.maxDurationSeconds / 60} minutes long`,
        {
          kind: facts.kind,
          durationSeconds: Math.round(facts.durationSeconds * 10) / 10,
          maxDurationSeconds: policy.maxDurationSeconds,
        },
      );
    }
  }
}

export function documentTypeNotAllowed(kind: DocumentKind, detected: string | undefined) {
  return LeaveErrors.error(
    'DOCUMENT_TYPE_NOT_ALLOWED',
    `A ${kind} must be ${DOCUMENT_POLICIES[kind].formats.map((f) => f.ext.toUpperCase()).join(', ')} (judged by the file's content)`,
    { kind, detected: detected ?? 'unknown', allowed: DOCUMENT_POLICIES[kind].formats.map((f) => f.contentType) },
  );
}
