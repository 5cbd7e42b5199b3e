import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { DomainError, type AuthContext, type Logger } from '@campus/platform';
import { DOCUMENT_POLICIES, checkDocumentFacts, checkDocumentSize, tooLarge, type DocumentKind } from '../domain/documents';
import { LeaveErrorCode } from '../domain/errors';
import type { LeaveApplicationState, LeaveDocument } from '../domain/leave-application';
import type { Actor } from '../domain/policy';
import { actorOf } from './actor';
import { inspectDocument } from './document-inspection';
import type { LeaveCommands } from './leave-commands';
import type { Clock, DocumentStorage, UploadLinkStore } from './ports';
import { receiveToFile } from './receive-file';

export interface UploadTicket {
  uploadUrl: string;
  method: 'PUT';
  expiresAt: Date;
  maxBytes: number;
  applicationId: string;
  kind: DocumentKind;
  acceptedContentTypes: string[];
}

export interface ReceivedDocument {
  applicationId: string;
  document: LeaveDocument;
}

export interface DocumentUploadsDeps {
  commands: LeaveCommands;
  links: UploadLinkStore;
  storage: DocumentStorage;
  clock: Clock;
  logger: Logger;
  publicBaseUrl: string;
  uploadLinkTtlMs: number;
  /** Local directory where bodies are spooled while they are received and inspected. */
  spoolDir: string;
}

export const hashUploadToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The document upload flow. A mutation hands out a single-use, short-lived upload URL on the
 * router; the router streams the body here; the body is spooled to a local file with the size
 * limit enforced while streaming, inspected (type from content, audio length), moved into the
 * document storage and finally attached to the application as an event.
 */
export class DocumentUploads {
  constructor(private readonly deps: DocumentUploadsDeps) {}

  async requestUpload(auth: AuthContext | null, applicationId: string, kind: DocumentKind): Promise<UploadTicket> {
    const actor = actorOf(auth);
    await this.deps.commands.ensureCanAttach(actor, applicationId);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.deps.clock.now().getTime() + this.deps.uploadLinkTtlMs);
    await this.deps.links.create(hashUploadToken(token), {
      applicationId,
      kind,
      requestedBy: actor.userId,
      requesterRoles: [...actor.roles],
      expiresAt,
    });
    const policy = DOCUMENT_POLICIES[kind];
    return {
      uploadUrl: `${this.deps.publicBaseUrl.replace(/\/$/, '')}/uploads/leave/${token}`,
      method: 'PUT',
      expiresAt,
      maxBytes: policy.maxBytes,
      applicationId,
      kind,
      acceptedContentTypes: policy.formats.map((f) => f.contentType),
    };
  }

  /**
   * Receives the body of an upload link. The link is spent by this attempt whatever its outcome
   * (single use); a refused file needs a new link.
   */
  async receive(token: string, body: Readable, declaredLength: number | undefined): Promise<ReceivedDocument> {
    const claim = await this.deps.links.claim(hashUploadToken(token), this.deps.clock.now());
    if (claim.status !== 'claimed') throw invalidUploadLink(claim.status);
    const { applicationId, kind } = claim.link;
    const actor: Actor = { userId: claim.link.requestedBy, roles: claim.link.requesterRoles };
    if (declaredLength !== undefined && declaredLength > DOCUMENT_POLICIES[kind].maxBytes) throw tooLarge(kind, declaredLength);

    await fs.promises.mkdir(this.deps.spoolDir, { recursive: true });
    const spooled = path.join(this.deps.spoolDir, `${randomUUID()}.upload`);
    try {
      const sizeBytes = await receiveToFile(body, spooled, DOCUMENT_POLICIES[kind].maxBytes, () => tooLarge(kind));
      checkDocumentSize(kind, sizeBytes);
      const inspected = await inspectDocument(spooled, kind, sizeBytes);
      checkDocumentFacts(inspected);
      const documentId = randomUUID();
      const storageKey = `applications/${applicationId}/${documentId}.${inspected.format.ext}`;
      await this.deps.storage.put(storageKey, spooled, inspected.contentType);
      const state = await this.attachOrDiscard(actor, applicationId, storageKey, {
        documentId,
        kind,
        contentType: inspected.contentType,
        sizeBytes,
        durationSeconds: inspected.durationSeconds,
        storageKey,
      });
      return { applicationId, document: state.documents.find((d) => d.id === documentId)! };
    } finally {
      await fs.promises.rm(spooled, { force: true });
    }
  }

  /** Deletes a removed document's bytes; a failure only leaves an unreachable orphan, so it is logged. */
  async discard(storageKey: string): Promise<void> {
    await this.deps.storage.delete(storageKey).catch((error: unknown) => {
      this.deps.logger.warn({ err: error, storageKey }, 'could not delete a document from the storage');
    });
  }

  private async attachOrDiscard(
    actor: Actor,
    applicationId: string,
    storageKey: string,
    command: Parameters<LeaveCommands['attachDocument']>[2],
  ): Promise<LeaveApplicationState> {
    try {
      return await this.deps.commands.attachDocument(actor, applicationId, command);
    } catch (error) {
      // e.g. the application was decided while the file was uploading: keep no orphan bytes
      await this.discard(storageKey);
      throw error;
    }
  }
}

function invalidUploadLink(reason: 'unknown' | 'used' | 'expired'): DomainError {
  const messages = {
    unknown: 'The upload link is not valid',
    used: 'The upload link was already used; ask for a new one',
    expired: 'The upload link has expired; ask for a new one',
  };
  return new DomainError('FORBIDDEN', LeaveErrorCode.UPLOAD_LINK_INVALID, messages[reason], { reason });
}
