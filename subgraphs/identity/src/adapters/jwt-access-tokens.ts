// Access tokens: short-lived ES256 JWTs signed with the active key, carrying accessClaimsOf(user).
import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_ALGORITHM, type Clock } from '@campus/platform';
import { importJWK, SignJWT, type KeyLike } from 'jose';
import { accessClaimsOf } from '../domain/access-claims';
import type { SigningKeyRecord } from '../domain/signing-keys';
import { addSeconds } from '../domain/time';
import type { UserRecord } from '../domain/users';
import type { AccessTokenIssuer, IssuedAccessToken } from '../services/ports';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export class JwtAccessTokenIssuer implements AccessTokenIssuer {
  /** The private key of the last record seen, imported once (the key source caches the record). */
  private imported: { record: SigningKeyRecord; key: KeyLike } | undefined;

  constructor(
    private readonly keys: { signingKey(): Promise<SigningKeyRecord> },
    private readonly settings: AccessTokenSettings,
    private readonly clock: Clock,
  ) {}

  async issue(user: UserRecord): Promise<IssuedAccessToken> {
    const record = await this.keys.signingKey();
    const privateKey = await this.privateKeyOf(record);
    const now = this.clock.now();
    const expiresAt = addSeconds(now, this.settings.ttlSeconds);
    const { sub, ...claims } = accessClaimsOf(user);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: record.kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(epochSeconds(now))
      .setExpirationTime(epochSeconds(expiresAt))
      .setJti(randomUUID())
      .sign(privateKey);
    // exp has whole-second precision; report exactly what the token says.
    return { token, expiresAt: new Date(epochSeconds(expiresAt) * 1000) };
  }

  private async privateKeyOf(record: SigningKeyRecord): Promise<KeyLike> {
    if (this.imported?.record === record) return this.imported.key;
    const key = (await importJWK(record.privateJwk, record.algorithm)) as KeyLike;
    this.imported = { record, key };
    return key;
  }
}
