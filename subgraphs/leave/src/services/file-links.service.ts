import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DomainError } from '@campus/platform';
import { LeaveErrors } from '../domain/errors';

/**
 * Short-lived signed download links: `<documentId>.<expiry (unix s)>.<HMAC-SHA256>`. The link is
 * the capability (it is handed out only to callers allowed to read the application), so nothing
 * is stored; a link cannot be altered to name another document or a later expiry.
 */
export class FileLinks {
  constructor(
    private readonly secret: string,
    private readonly publicBaseUrl: string,
    private readonly ttlMs: number,
  ) {}

  /** A download URL on the router for one document, valid for the configured time. */
  downloadUrl(documentId: string, now: Date): { url: string; expiresAt: Date } {
    const expires = Math.floor((now.getTime() + this.ttlMs) / 1000);
    const token = `${documentId}.${expires}.${this.sign(documentId, expires)}`;
    return {
      url: `${this.publicBaseUrl.replace(/\/$/, '')}/files/leave/${token}`,
      expiresAt: new Date(expires * 1000),
    };
  }

  /** The document a token names, if the signature is right and it has not expired. */
  verify(token: string, now: Date): string {
    const match = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    const [, documentId = '', expiresText = '', signature = ''] = match ?? [];
    const expected = Buffer.from(this.sign(documentId, Number(expiresText)));
    const given = Buffer.from(signature);
    if (!match || given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidLink('invalid');
    if (Number(expiresText) * 1000 <= now.getTime()) throw invalidLink('expired');
    return documentId;
  }

  private sign(documentId: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`leave-file:v1:${documentId}:${expires}`).digest('base64url');
  }
}

function invalidLink(reason: 'invalid' | 'expired'): DomainError {
  const message =
    reason === 'expired'
      ? 'The download link has expired; ask for the document again'
      : 'The download link is not valid';
  return LeaveErrors.error('FILE_LINK_INVALID', message, { reason });
}
