// ES256 signing keys kept in the database, so every replica signs with the same key and publishes
// the same JWKS. Rotation retires the active key but keeps publishing it until every token it
// signed has expired.
import { ACCESS_TOKEN_ALGORITHM, requireRole, type AuthContext } from '@campus/platform';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { addSeconds, type Clock } from './clock';
import type { SigningKeyRecord } from './model';
import type { SigningKeyStore } from './ports';

export interface SigningKeySettings {
  /** Lifetime of access tokens: a retired key is published this long (plus the margin). */
  accessTokenTtlSeconds: number;
  /** Covers clock skew and replicas still signing with a cached key right after a rotation. */
  retentionMarginSeconds: number;
  /** How long a replica reuses the active key and the verification key set before re-reading. */
  cacheTtlMs: number;
  /** Minimum pause between reloads triggered by tokens with an unknown key id. */
  unknownKidCooldownMs: number;
}

export interface ActiveSigningKey {
  kid: string;
  privateKey: KeyLike;
}

interface Cached<T> {
  value: T;
  loadedAt: number;
}

/** A fresh ES256 key pair; the kid is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(now: Date): Promise<SigningKeyRecord> {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    algorithm: ACCESS_TOKEN_ALGORITHM,
    publicJwk,
    privateJwk: await exportJWK(privateKey),
    createdAt: now,
    retiredAt: null,
  };
}

/** The public half as published in the JWKS (never the private "d"). */
export function publicJwkOf(key: SigningKeyRecord): JWK {
  const { kty, crv, x, y } = key.publicJwk;
  return { kty, crv, x, y, kid: key.kid, alg: key.algorithm, use: 'sig' };
}

export class SigningKeyService {
  private active: Cached<ActiveSigningKey> | undefined;
  private verification: Cached<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly store: SigningKeyStore,
    private readonly clock: Clock,
    private readonly settings: SigningKeySettings,
    private readonly generate: (now: Date) => Promise<SigningKeyRecord> = generateSigningKey,
  ) {}

  /** Creates the first key unless one is active. Safe when several replicas start at once. */
  async ensureActiveKey(): Promise<string> {
    return this.store.exclusive(async (writer) => {
      const existing = await writer.findActive();
      if (existing) return existing.kid;
      const key = await this.generate(this.clock());
      await writer.insert(key);
      return key.kid;
    });
  }

  /** Admin only: a new key signs from now on; the previous one stays published for a while. */
  async rotate(auth: AuthContext | null): Promise<string> {
    requireRole(auth, 'admin');
    const kid = await this.store.exclusive(async (writer) => {
      const now = this.clock();
      const key = await this.generate(now);
      await writer.retireActive(now);
      await writer.insert(key);
      return key.kid;
    });
    this.active = undefined;
    this.verification = undefined;
    return kid;
  }

  /** The key new tokens are signed with (re-read from the database every cacheTtlMs). */
  async signingKey(): Promise<ActiveSigningKey> {
    if (this.active && this.isFresh(this.active, this.settings.cacheTtlMs)) return this.active.value;
    const [newest] = (await this.usableKeys()).filter((k) => k.retiredAt === null);
    const record = newest ?? (await this.recordOf(await this.ensureActiveKey()));
    const privateKey = (await importJWK(record.privateJwk, record.algorithm)) as KeyLike;
    this.active = { value: { kid: record.kid, privateKey }, loadedAt: Date.now() };
    return this.active.value;
  }

  /** The JWKS document: every key whose tokens may still be alive. */
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.usableKeys()).map(publicJwkOf) };
  }

  /**
   * A local key resolver for verifying tokens in this process (no HTTP round trip to itself). An
   * unknown kid — e.g. a key another replica just created — reloads the keys once per cooldown.
   */
  verificationKeys(): JWTVerifyGetKey {
    return async (header, token) => {
      const keys = await this.verificationKeySet(false);
      try {
        return await keys(header, token);
      } catch (error) {
        if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
        const reloaded = await this.verificationKeySet(true);
        return reloaded(header, token);
      }
    };
  }

  private async verificationKeySet(unknownKid: boolean): Promise<JWTVerifyGetKey> {
    const cached = this.verification;
    const maxAge = unknownKid ? this.settings.unknownKidCooldownMs : this.settings.cacheTtlMs;
    if (cached && this.isFresh(cached, maxAge)) return cached.value;
    const value = createLocalJWKSet(await this.jwks());
    this.verification = { value, loadedAt: Date.now() };
    return value;
  }

  private usableKeys(): Promise<SigningKeyRecord[]> {
    const retention = this.settings.accessTokenTtlSeconds + this.settings.retentionMarginSeconds;
    return this.store.listUsable(addSeconds(this.clock(), -retention));
  }

  private async recordOf(kid: string): Promise<SigningKeyRecord> {
    const record = (await this.usableKeys()).find((k) => k.kid === kid);
    if (!record) throw new Error(`signing key ${kid} vanished right after it was created`);
    return record;
  }

  // Cache ages use the process clock, not the injected domain clock (tests may freeze that one).
  private isFresh(cached: Cached<unknown>, maxAgeMs: number): boolean {
    return Date.now() - cached.loadedAt < maxAgeMs;
  }
}
