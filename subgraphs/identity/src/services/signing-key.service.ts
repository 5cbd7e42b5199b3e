// ES256 signing keys kept in the database, so every replica signs with the same key and publishes
// the same JWKS. A rotation publishes the new key at once and lets it sign only after
// activationDelaySeconds, when every verifier can have fetched it; the old key signs until then
// and stays published until every token it signed has expired. The cryptography (generating,
// signing, verifying) is in adapters/.
import { requireRole, type AuthContext, type Clock } from '@campus/platform';
import {
  canSignWith,
  publicJwkOf,
  type JwkSet,
  type SigningKeyRecord,
  type StoredSigningKey,
} from '../domain/signing-keys';
import { addSeconds } from '../domain/time';
import type { SecurityLog, SigningKeyGenerator, SigningKeyStore } from './ports';

export interface SigningKeySettings {
  /** Lifetime of access tokens: a retired key is published this long (plus the margin). */
  accessTokenTtlSeconds: number;
  /** Covers clock skew and replicas still signing with a cached key right after a rotation. */
  retentionMarginSeconds: number;
  /** How long a replica reuses the active key and the verification key set before re-reading. */
  cacheTtlMs: number;
  /** Minimum pause between reloads triggered by tokens with an unknown key id. */
  unknownKidCooldownMs: number;
  /**
   * How long a rotated-in key is published before it signs: at least the pause verifiers keep
   * between two fetches of the JWKS (the platform's TokenVerifier: 30 s), so that none of them
   * refuses the first tokens of the new key.
   */
  activationDelaySeconds: number;
}

export interface SigningKeyServiceDeps {
  store: SigningKeyStore;
  clock: Clock;
  generate: SigningKeyGenerator;
  settings: SigningKeySettings;
  /** Told when this replica signs with an older key than the active one (see signingKey). */
  log?: SecurityLog;
}

interface Cached<T> {
  value: T;
  loadedAt: number;
}

export class SigningKeyService {
  private active: Cached<SigningKeyRecord> | undefined;
  private verification: Cached<JwkSet> | undefined;

  constructor(private readonly deps: SigningKeyServiceDeps) {}

  /** Creates the first key unless one is active. Safe when several replicas start at once. */
  async ensureActiveKey(): Promise<string> {
    return this.deps.store.exclusive(async (writer) => {
      const existing = await writer.findActive();
      if (existing) return existing.kid;
      const key = await this.deps.generate(this.deps.clock.now());
      await writer.insert(key);
      return key.kid;
    });
  }

  /**
   * Admin only: a new key, published at once, signs from activationDelaySeconds on; the current key
   * signs until then and stays published until its last token has expired.
   */
  async rotate(auth: AuthContext | null): Promise<string> {
    requireRole(auth, 'admin');
    const kid = await this.deps.store.exclusive(async (writer) => {
      const now = this.deps.clock.now();
      const activatesAt = addSeconds(now, this.deps.settings.activationDelaySeconds);
      const key = { ...(await this.deps.generate(now)), activatesAt };
      await writer.retireActive(activatesAt);
      await writer.insert(key);
      return key.kid;
    });
    this.active = undefined;
    this.verification = undefined;
    return kid;
  }

  /**
   * The key new tokens are signed with (re-read from the database every cacheTtlMs): the newest
   * one activated and not retired. While another replica already runs a newer
   * SIGNING_KEY_ENCRYPTION_KEY and made that key under it (rotated mid-rollout), this replica
   * cannot open it: it signs with the newest activated key it can open that is still published, so
   * its tokens verify everywhere, and says so.
   */
  async signingKey(): Promise<SigningKeyRecord> {
    if (this.active && this.isFresh(this.active, this.deps.settings.cacheTtlMs)) return this.active.value;
    let keys = await this.usableKeys();
    if (!keys.some((k) => k.retiredAt === null)) {
      await this.ensureActiveKey();
      keys = await this.usableKeys();
    }
    const now = this.deps.clock.now();
    const activated = keys.filter((k) => k.activatesAt <= now); // newest first, as listed
    const active = activated.find((k) => k.retiredAt === null || k.retiredAt > now);
    if (!active) throw new Error('no signing key is active');
    const record = canSignWith(active) ? active : this.olderKeyThan(active, activated);
    this.active = { value: record, loadedAt: Date.now() };
    return record;
  }

  private olderKeyThan(active: StoredSigningKey, activated: StoredSigningKey[]): SigningKeyRecord {
    const older = activated.find(canSignWith);
    if (!older) {
      throw new Error(
        `signing key ${active.kid} is sealed under an encryption key this replica does not hold, and no ` +
          'published key opens: start it with the current SIGNING_KEY_ENCRYPTION_KEY',
      );
    }
    this.deps.log?.warn(
      { activeKid: active.kid, signingKid: older.kid },
      'the active signing key is sealed under an encryption key this replica does not hold (a newer ' +
        'SIGNING_KEY_ENCRYPTION_KEY is rolling out): signing with an older published key until restarted',
    );
    return older;
  }

  /** The JWKS document: every key whose tokens may still be alive. */
  async jwks(): Promise<JwkSet> {
    return { keys: (await this.usableKeys()).map(publicJwkOf) };
  }

  /**
   * The JWKS this process verifies its own tokens with (no HTTP round trip to itself): the same
   * object while cached. `unknownKid` — a token named a key not in it, e.g. one another replica just
   * created — reloads it, but at most once per unknownKidCooldownMs.
   */
  async verificationJwks(unknownKid = false): Promise<JwkSet> {
    const cached = this.verification;
    const maxAge = unknownKid ? this.deps.settings.unknownKidCooldownMs : this.deps.settings.cacheTtlMs;
    if (cached && this.isFresh(cached, maxAge)) return cached.value;
    const value = await this.jwks();
    this.verification = { value, loadedAt: Date.now() };
    return value;
  }

  private usableKeys(): Promise<StoredSigningKey[]> {
    const retention = this.deps.settings.accessTokenTtlSeconds + this.deps.settings.retentionMarginSeconds;
    return this.deps.store.listUsable(addSeconds(this.deps.clock.now(), -retention));
  }

  // Cache ages use the process clock, not the injected domain clock (tests may freeze that one).
  private isFresh(cached: Cached<unknown>, maxAgeMs: number): boolean {
    return Date.now() - cached.loadedAt < maxAgeMs;
  }
}
