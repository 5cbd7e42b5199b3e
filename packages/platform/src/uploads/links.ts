import { ROLES, type Role } from '../campus';
import { systemClock, type Clock } from '../clock';
import type { DatabasePool } from '../database';
import { secureToken, sha256Hex } from '../secrets';

/** Who may upload what: the subject (an application, a duty…), the kind of file, the requester. */
export interface UploadGrant<K extends string = string> {
  /** What the upload belongs to (the service's own id, e.g. a leave application's). */
  subjectId: string;
  /** The service's kind of file (a document kind, a photo report…). */
  kind: K;
  requestedBy: string;
  /** The requester's roles when the link was handed out (the upload acts as them). */
  requesterRoles: readonly Role[];
}

/** A single-use, short-lived upload link as stored (only the SHA-256 of its token is stored). */
export interface UploadLink<K extends string = string> extends UploadGrant<K> {
  expiresAt: Date;
}

/** Why a link is refused: never handed out, already used (single use), or past its expiry. */
export type UploadLinkRefusalReason = 'unknown' | 'used' | 'expired';

export type UploadLinkClaim<K extends string = string> =
  | { status: 'claimed'; link: UploadLink<K> }
  | { status: UploadLinkRefusalReason };

/** The port a service's upload flow depends on (PgUploadLinkStore; an in-memory fake in unit tests). */
export interface UploadLinkStore<K extends string = string> {
  create(tokenHash: string, link: UploadLink<K>): Promise<void>;
  /** Marks the link used if it is unused and unexpired (atomically: a link is used once). */
  claim(tokenHash: string, now: Date): Promise<UploadLinkClaim<K>>;
}

/**
 * The table every service with upload links declares in its own prisma/<service>/schema.prisma,
 * exactly so (a platform unit test checks it): PgUploadLinkStore runs plain SQL against it.
 */
export const UPLOAD_LINK_PRISMA_MODEL = `
model UploadLink {
  tokenHash      String    @id @map("token_hash")
  subjectId      String    @map("subject_id")
  kind           String
  requestedBy    String    @map("requested_by") @db.Uuid
  requesterRoles String[]  @map("requester_roles")
  expiresAt      DateTime  @map("expires_at") @db.Timestamptz(3)
  usedAt         DateTime? @map("used_at") @db.Timestamptz(3)
  createdAt      DateTime  @default(now()) @map("created_at") @db.Timestamptz(3)

  @@index([expiresAt])
  @@map("upload_links")
}
`;

/** Expired links are kept this long by default (to answer "expired" rather than "unknown"), then purged. */
export const UPLOAD_LINK_RETENTION_MS = 24 * 60 * 60_000;

export interface PgUploadLinkStoreOptions<K extends string> {
  /** Narrows a stored kind to the service's kinds; a row failing it is a bug (an Error is thrown). */
  isKind?: (kind: string) => kind is K;
  retentionMs?: number;
  /** "Now" of the purge (the service's clock, so that a test clock's links are not purged by wall time). */
  clock?: Clock;
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

interface LinkRow {
  subject_id: string;
  kind: string;
  requested_by: string;
  requester_roles: string[];
  expires_at: Date;
}

/** Upload links in the service's `upload_links` table (UPLOAD_LINK_PRISMA_MODEL), over its pg pool. */
export class PgUploadLinkStore<K extends string = string> implements UploadLinkStore<K> {
  private readonly retentionMs: number;

  constructor(
    private readonly pool: Pick<DatabasePool, 'query'>,
    private readonly options: PgUploadLinkStoreOptions<K> = {},
  ) {
    this.retentionMs = options.retentionMs ?? UPLOAD_LINK_RETENTION_MS;
  }

  async create(tokenHash: string, link: UploadLink<K>): Promise<void> {
    await this.pool.query(
      `INSERT INTO upload_links (token_hash, subject_id, kind, requested_by, requester_roles, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [tokenHash, link.subjectId, link.kind, link.requestedBy, [...link.requesterRoles], link.expiresAt],
    );
    // Opportunistic purge keeps the table small without a scheduler.
    const now = (this.options.clock ?? systemClock).now().getTime();
    await this.pool.query('DELETE FROM upload_links WHERE expires_at < $1', [new Date(now - this.retentionMs)]);
  }

  async claim(tokenHash: string, now: Date): Promise<UploadLinkClaim<K>> {
    // One conditional UPDATE: of two concurrent uploads with the same link, only one claims it.
    const claimed = await this.pool.query<LinkRow>(
      `UPDATE upload_links SET used_at = $2
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
        RETURNING subject_id, kind, requested_by, requester_roles, expires_at`,
      [tokenHash, now],
    );
    const row = claimed.rows[0];
    if (row) return { status: 'claimed', link: this.linkOf(row) };
    const found = await this.pool.query<{ used_at: Date | null }>(
      'SELECT used_at FROM upload_links WHERE token_hash = $1',
      [tokenHash],
    );
    const refused = found.rows[0];
    if (!refused) return { status: 'unknown' };
    return { status: refused.used_at ? 'used' : 'expired' };
  }

  private linkOf(row: LinkRow): UploadLink<K> {
    const { isKind } = this.options;
    if (isKind && !isKind(row.kind)) throw new Error(`upload_links holds an unknown kind "${row.kind}"`);
    return {
      subjectId: row.subject_id,
      kind: row.kind as K, // narrowed by isKind when given; K is string otherwise
      requestedBy: row.requested_by,
      requesterRoles: row.requester_roles.filter(isRole),
      expiresAt: row.expires_at,
    };
  }
}

export interface UploadLinksOptions {
  /** The public origin clients reach (the router), e.g. https://campus.example. */
  publicBaseUrl: string;
  /** The upload route's prefix, e.g. "/uploads/duty" (links are `<publicBaseUrl><path>/<token>`). */
  path: string;
  ttlMs: number;
  clock: Clock;
}

/** A link handed out: the URL to PUT (or POST) the file to, and until when it works. */
export interface IssuedUploadLink {
  url: string;
  expiresAt: Date;
}

/**
 * Hands out and redeems single-use upload links over a store: the token (256 random bits) lives
 * only in the URL, the store keeps its SHA-256. A service's use cases hold one of these; their
 * own rules (who may upload what, size limits, what the file becomes) stay with them.
 */
export class UploadLinks<K extends string = string> {
  constructor(
    private readonly store: UploadLinkStore<K>,
    private readonly options: UploadLinksOptions,
  ) {}

  async issue(grant: UploadGrant<K>): Promise<IssuedUploadLink> {
    const token = secureToken();
    const expiresAt = new Date(this.options.clock.now().getTime() + this.options.ttlMs);
    await this.store.create(sha256Hex(token), { ...grant, requesterRoles: [...grant.requesterRoles], expiresAt });
    const base = this.options.publicBaseUrl.replace(/\/$/, '');
    return { url: `${base}${this.options.path}/${token}`, expiresAt };
  }

  /** Spends the link (whatever the upload's outcome: a refused file needs a new link). */
  redeem(token: string): Promise<UploadLinkClaim<K>> {
    return this.store.claim(sha256Hex(token), this.options.clock.now());
  }
}

/** A client-facing message for a refused link (for the service's UPLOAD_LINK_INVALID error). */
export function uploadLinkRefusalMessage(reason: UploadLinkRefusalReason): string {
  const messages: Record<UploadLinkRefusalReason, string> = {
    unknown: 'The upload link is not valid',
    used: 'The upload link was already used; ask for a new one',
    expired: 'The upload link has expired; ask for a new one',
  };
  return messages[reason];
}
