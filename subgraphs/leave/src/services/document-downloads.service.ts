import type { Readable } from 'node:stream';
import type { Clock, DomainError, FileLinkRefusalReason, FileLinks } from '@campus/platform';
import { LeaveErrors } from '../domain/errors';
import type { DocumentStorage, ReadModel } from './ports';

export interface OpenedDocument {
  stream: Readable;
  contentType: string;
  sizeBytes: number;
  fileName: string;
}

/** Serves a document's bytes for a valid signed link (and only then). */
export class DocumentDownloads {
  constructor(
    private readonly deps: { links: FileLinks; readModel: ReadModel; storage: DocumentStorage; clock: Clock },
  ) {}

  async open(token: string): Promise<OpenedDocument> {
    const link = this.deps.links.verify(token, this.deps.clock.now());
    if (link.status !== 'valid') throw invalidLink(link.status);
    const documentId = link.fileId;
    const document = await this.deps.readModel.document(documentId);
    if (!document) throw LeaveErrors.error('FILE_NOT_FOUND', 'The document no longer exists', { documentId });
    const stream = await this.deps.storage.open(document.storageKey);
    if (!stream) throw LeaveErrors.error('FILE_NOT_FOUND', 'The document file is missing', { documentId });
    const extension = document.storageKey.split('.').pop() ?? 'bin';
    return {
      stream,
      contentType: document.contentType,
      sizeBytes: document.sizeBytes,
      fileName: `${document.kind}-${document.id.slice(0, 8)}.${extension}`,
    };
  }
}

function invalidLink(reason: FileLinkRefusalReason): DomainError {
  const message =
    reason === 'expired'
      ? 'The download link has expired; ask for the document again'
      : 'The download link is not valid';
  return LeaveErrors.error('FILE_LINK_INVALID', message, { reason });
}
