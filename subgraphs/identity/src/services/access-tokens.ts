// Access tokens: short-lived ES256 JWTs whose claims are exactly what platform's accessClaimsSchema
// reads in every subgraph.
import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_ALGORITHM, type AccessClaims } from '@campus/platform';
import { SignJWT } from 'jose';
import { addSeconds, type Clock } from './clock';
import type { UserRecord } from './model';
import type { ActiveSigningKey } from './signing-keys';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

export interface AccessTokenIssuer {
  issue(user: UserRecord): Promise<IssuedAccessToken>;
}

/** The token's own claims (registered claims such as iss/aud/exp are added when signing). */
export function accessClaimsOf(user: UserRecord): AccessClaims {
  const { residence } = user;
  return {
    sub: user.id,
    typ: 'access',
    roles: [...user.roles],
    residence: residence
      ? { building: residence.building, entrance: residence.entrance, floor: residence.floor, room: residence.room }
      : null,
    isMinor: user.isMinor,
    entrances: user.assignedEntrances.map((e) => ({ building: e.building, entrance: e.entrance })),
  };
}

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export class JwtAccessTokenIssuer implements AccessTokenIssuer {
  constructor(
    private readonly keys: { signingKey(): Promise<ActiveSigningKey> },
    private readonly settings: AccessTokenSettings,
    private readonly clock: Clock,
  ) {}

  async issue(user: UserRecord): Promise<IssuedAccessToken> {
    const key = await this.keys.signingKey();
    const now = this.clock();
    const expiresAt = addSeconds(now, this.settings.ttlSeconds);
    const { sub, ...claims } = accessClaimsOf(user);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(epochSeconds(now))
      .setExpirationTime(epochSeconds(expiresAt))
      .setJti(randomUUID())
      .sign(key.privateKey);
    // exp has whole-second precision; report exactly what the token says.
    return { token, expiresAt: new Date(epochSeconds(expiresAt) * 1000) };
  }
}
