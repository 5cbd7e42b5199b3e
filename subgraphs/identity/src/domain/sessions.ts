// Sign-ins: refresh tokens (one family per sign-in) and what a login or refresh hands out.
import type { UserRecord } from './users';

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  /** Every token rotated from one sign-in shares it; reuse of any revokes them all. */
  familyId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewRefreshToken {
  userId: string;
  familyId: string;
  /** Only the SHA-256 of a token is stored, so a database leak yields nothing that can be presented. */
  tokenHash: string;
  expiresAt: Date;
}

/** What a successful login or refresh hands to the client. */
export interface Session {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
  user: UserRecord;
}
