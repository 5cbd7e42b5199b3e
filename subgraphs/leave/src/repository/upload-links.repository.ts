import { ROLES, type Role } from '@campus/platform';
import type { UploadLink } from '../domain/upload-link';
import type { ClaimResult, UploadLinkStore } from '../services/ports';
import type { LeaveDatabase } from './database';

/** Expired links are kept this long (for "expired" vs "unknown" answers), then purged. */
const RETENTION_MS = 24 * 60 * 60_000;

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Upload links in `upload_links`, keyed by the SHA-256 of the token (the token is never stored). */
export class PrismaUploadLinks implements UploadLinkStore {
  constructor(private readonly db: LeaveDatabase) {}

  async create(tokenHash: string, link: UploadLink): Promise<void> {
    await this.db.uploadLink.create({ data: { tokenHash, ...link } });
    // Opportunistic purge keeps the table small without a scheduler.
    await this.db.uploadLink.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - RETENTION_MS) } } });
  }

  async claim(tokenHash: string, now: Date): Promise<ClaimResult> {
    // One conditional UPDATE: of two concurrent uploads with the same link, only one claims it.
    const { count } = await this.db.uploadLink.updateMany({
      where: { tokenHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    const row = await this.db.uploadLink.findUnique({ where: { tokenHash } });
    if (!row) return { status: 'unknown' };
    if (count === 0) return { status: row.usedAt ? 'used' : 'expired' };
    return {
      status: 'claimed',
      link: {
        applicationId: row.applicationId,
        kind: row.kind,
        requestedBy: row.requestedBy,
        requesterRoles: row.requesterRoles.filter(isRole),
        expiresAt: row.expiresAt,
      },
    };
  }
}
