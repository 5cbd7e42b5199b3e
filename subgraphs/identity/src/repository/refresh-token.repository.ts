import type { NewRefreshToken, RefreshTokenRecord } from '../domain/sessions';
import type { RefreshTokenStore } from '../services/ports';
import type { PrismaClient } from './database';

const recordSelect = {
  id: true,
  userId: true,
  familyId: true,
  expiresAt: true,
  rotatedAt: true,
  revokedAt: true,
} as const;

export class PrismaRefreshTokenRepository implements RefreshTokenStore {
  constructor(private readonly db: PrismaClient) {}

  async insert(token: NewRefreshToken): Promise<void> {
    await this.db.refreshToken.create({ data: token });
  }

  findByHash(tokenHash: string): Promise<RefreshTokenRecord | null> {
    return this.db.refreshToken.findUnique({ where: { tokenHash }, select: recordSelect });
  }

  rotate(currentId: string, at: Date, next: NewRefreshToken): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      // The conditional update is the arbiter between concurrent uses of one token.
      const { count } = await tx.refreshToken.updateMany({
        where: { id: currentId, rotatedAt: null, revokedAt: null },
        data: { rotatedAt: at },
      });
      if (count !== 1) return false;
      await tx.refreshToken.create({ data: next });
      return true;
    });
  }

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    const { count } = await this.db.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: at },
    });
    return count;
  }

  async revokeAllOfUser(userId: string, at: Date): Promise<number> {
    const { count } = await this.db.refreshToken.updateMany({
      where: { userId, revokedAt: null },
      data: { revokedAt: at },
    });
    return count;
  }

  async deleteExpiredBefore(before: Date): Promise<number> {
    const { count } = await this.db.refreshToken.deleteMany({ where: { expiresAt: { lt: before } } });
    return count;
  }
}
