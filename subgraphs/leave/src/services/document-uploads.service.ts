import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  UploadLinks,
  uploadLinkRefusalMessage,
  type AuthContext,
  type Clock,
  type DomainError,
  type Logger,
  type UploadLinkRefusalReason,
} from '@campus/platform';
import {
  DOCUMENT_POLICIES,
  checkDocumentFacts,
  checkDocumentSize,
  documentTooLarge,
  type DocumentKind,
} from '../domain/documents';
import { LeaveErrors } from '../domain/errors';
import type { LeaveApplicationState, LeaveDocument } from '../domain/leave-application';
import { actorOf, type Actor } from '../domain/policy';
import type { LeaveCommands } from './leave-commands.service';
import type { DocumentInspector, DocumentStorage, DocumentUploadLinks, UploadSpool } from './ports';

/** Where upload links point (the router proxies it to this service): `<publicBaseUrl>/uploads/leave/<token>`. */
export const UPLOAD_PATH = '/uploads/leave';

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
  links: DocumentUploadLinks;
  storage: DocumentStorage;
  clock: Clock;
  /** Where bodies are held while they are received and inspected. */
  spool: UploadSpool;
  inspector: DocumentInspector;
  logger: Logger;
  publicBaseUrl: string;
  uploadLinkTtlMs: number;
}

/**
 * The document upload flow. A mutation hands out a single-use, short-lived upload URL on the
 * router; the router streams the body here; the body is spooled to a local file with the size
 * limit enforced while streaming, inspected (type from content, audio length), moved into the
 * document storage and finally attached to the application as an event.
 */
export class DocumentUploads {
  private readonly links: UploadLinks<DocumentKind>;

  constructor(private readonly deps: DocumentUploadsDeps) {
    this.links = new UploadLinks(deps.links, {
      publicBaseUrl: deps.publicBaseUrl,
      path: UPLOAD_PATH,
      ttlMs: deps.uploadLinkTtlMs,
      clock: deps.clock,
    });
  }

  async requestUpload(auth: AuthContext | null, applicationId: string, kind: DocumentKind): Promise<UploadTicket> {
    const actor = actorOf(auth);
    await this.deps.commands.ensureCanAttach(actor, applicationId);
    const { url, expiresAt } = await this.links.issue({
      subjectId: applicationId,
      kind,
      requestedBy: actor.userId,
      requesterRoles: actor.roles,
    });
    const policy = DOCUMENT_POLICIES[kind];
    return {
      uploadUrl: url,
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
    const claim = await this.links.redeem(token);
    if (claim.status !== 'claimed') throw invalidUploadLink(claim.status);
    const { subjectId: applicationId, kind } = claim.link;
    const actor: Actor = { userId: claim.link.requestedBy, roles: claim.link.requesterRoles };
    if (declaredLength !== undefined && declaredLength > DOCUMENT_POLICIES[kind].maxBytes) {
      throw documentTooLarge(kind, declaredLength);
    }

    const file = await this.deps.spool.receive(body, DOCUMENT_POLICIES[kind].maxBytes, () => documentTooLarge(kind));
    try {
      checkDocumentSize(kind, file.sizeBytes);
      const inspected = await this.deps.inspector.inspect(file.path, kind, file.sizeBytes);
      checkDocumentFacts(inspected);
      const documentId = randomUUID();
      const storageKey = `applications/${applicationId}/${documentId}.${inspected.format.ext}`;
      await this.deps.storage.put(storageKey, file.path, inspected.contentType);
      const state = await this.attachOrDiscard(actor, applicationId, storageKey, {
        documentId,
        kind,
        contentType: inspected.contentType,
        sizeBytes: file.sizeBytes,
        durationSeconds: inspected.durationSeconds,
        storageKey,
      });
      return { applicationId, document: state.documents.find((d) => d.id === documentId)! };
    } finally {
      await file.discard();
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

function invalidUploadLink(reason: UploadLinkRefusalReason): DomainError {
  return LeaveErrors.error('UPLOAD_LINK_INVALID', uploadLinkRefusalMessage(reason), { reason });
}
