import type { Role } from '@campus/platform';
import type { DocumentKind } from './documents';

/**
 * A single-use, short-lived upload link: who may upload which kind of document to which
 * application. Only the SHA-256 of its token is stored (the token is the capability).
 */
export interface UploadLink {
  applicationId: string;
  kind: DocumentKind;
  requestedBy: string;
  /** The requester's roles when the link was handed out (the upload acts as them). */
  requesterRoles: Role[];
  expiresAt: Date;
}
