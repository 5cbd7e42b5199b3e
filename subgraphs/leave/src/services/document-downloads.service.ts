import type { Readable } from 'node:stream';
import type { Clock } from '@campus/platform';
import { LeaveErrors } from '../domain/errors';
import type { FileLinks } from './file-links.service';
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
    const documentId = this.deps.links.verify(token, this.deps.clock.now());
    const document = await this.deps.readModel.document(documentId);
    if (!document) throw LeaveErrors.error('FILE_NOT_FOUND', 'The document no longer exists', { documentId });
    const extension = document.storageKey.split('.').pop() ?? 'bin';
    return {
      stream: await this.deps.storage.get(document.storageKey),
      contentType: document.contentType,
      sizeBytes: document.sizeBytes,
      fileName: `${document.kind}-${document.id.slice(0, 8)}.${extension}`,
    };
  }
}
