import { createHmac, timingSafeEqual } from 'node:crypto';

export interface FileLinksOptions {
  /** The HMAC-SHA256 key (FILE_URL_SECRET, see resolveFileUrlSecret); at least 32 characters. */
  secret: string;
  /**
   * More keys whose links are accepted, never used to sign (FILE_URL_SECRETS_ACCEPTED): the next
   * key while a rotation rolls out over the replicas, then the previous one.
   */
  acceptedSecrets?: readonly string[];
  /** The public origin clients reach (the router), e.g. https://campus.example. */
  publicBaseUrl: string;
  /** The download route's prefix, e.g. "/files/duty" (links are `<publicBaseUrl><path>/<token>`). */
  path: string;
  /** What the links name, part of what is signed ("leave-file", "duty-photo"): a link of one service never opens another's file. */
  purpose: string;
  ttlMs: number;
}

/** A link handed out: the URL to GET, and until when it works. */
export interface IssuedFileLink {
  url: string;
  expiresAt: Date;
}

/** Why a download token is refused: altered, foreign or malformed, or past its expiry. */
export type FileLinkRefusalReason = 'invalid' | 'expired';

export type FileLinkCheck = { status: 'valid'; fileId: string } | { status: FileLinkRefusalReason };

/** The shortest accepted key of download links. */
export const MIN_FILE_URL_SECRET_LENGTH = 32;

/**
 * Short-lived signed download links: `<fileId>.<expiry (unix s)>.<HMAC-SHA256>`, file ids being
 * UUIDs. The link is the capability (the service hands it out only to callers allowed to see the
 * file), so nothing is stored; a link cannot be altered to name another file or a later expiry.
 * Which error a refused link becomes is the service's business (its FILE_LINK_INVALID, say).
 */
export class FileLinks {
  private readonly secrets: readonly string[];

  constructor(private readonly options: FileLinksOptions) {
    this.secrets = [options.secret, ...(options.acceptedSecrets ?? [])];
    if (this.secrets.some((secret) => secret.length < MIN_FILE_URL_SECRET_LENGTH)) {
      throw new Error(`FileLinks: every secret must hold at least ${MIN_FILE_URL_SECRET_LENGTH} characters`);
    }
  }

  /** A download URL on the router for one file, valid for the configured time. */
  downloadUrl(fileId: string, now: Date): IssuedFileLink {
    const expires = Math.floor((now.getTime() + this.options.ttlMs) / 1000);
    const token = `${fileId}.${expires}.${this.sign(this.options.secret, fileId, expires)}`;
    return {
      url: `${this.options.publicBaseUrl.replace(/\/$/, '')}${this.options.path}/${token}`,
      expiresAt: new Date(expires * 1000),
    };
  }

  /** The file a token names, if its signature is right and it has not expired. */
  verify(token: string, now: Date): FileLinkCheck {
    const match = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    const [, fileId = '', expiresText = '', signature = ''] = match ?? [];
    const given = Buffer.from(signature);
    const signedWith = (secret: string) => {
      const expected = Buffer.from(this.sign(secret, fileId, Number(expiresText)));
      return given.length === expected.length && timingSafeEqual(given, expected);
    };
    if (!match || !this.secrets.some(signedWith)) return { status: 'invalid' };
    if (Number(expiresText) * 1000 <= now.getTime()) return { status: 'expired' };
    return { status: 'valid', fileId };
  }

  private sign(secret: string, fileId: string, expires: number): string {
    return createHmac('sha256', secret).update(`${this.options.purpose}:v1:${fileId}:${expires}`).digest('base64url');
  }
}
