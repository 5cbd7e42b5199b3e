import type { JWK } from 'jose';
import { isSealed, type SigningKeyCipher } from '../adapters/signing-key-cipher';
import type { StoredSigningKey } from '../domain/signing-keys';
import type { SigningKeyStore, SigningKeyWriter } from '../services/ports';
import type { Prisma, PrismaClient } from './database';

type SigningKeyRow = Prisma.SigningKeyGetPayload<object>;

// The JSON columns only ever hold EC JWKs this service exported itself; read their string members.
const EC_JWK_MEMBERS = ['crv', 'x', 'y', 'd'] as const;

function jwkOf(value: Prisma.JsonValue, kid: string): JWK {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof value.kty !== 'string') {
    throw new Error(`signing key ${kid}: the stored JWK is malformed`);
  }
  const jwk: JWK = { kty: value.kty };
  for (const member of EC_JWK_MEMBERS) {
    const v = value[member];
    if (typeof v === 'string') jwk[member] = v;
  }
  return jwk;
}

const asJson = (jwk: JWK): Prisma.InputJsonObject => ({ ...jwk });
const sealedJson = (cipher: SigningKeyCipher, jwk: JWK, kid: string): Prisma.InputJsonObject => ({
  ...cipher.seal(jwk, kid),
});

function writerOf(
  tx: Prisma.TransactionClient,
  cipher: SigningKeyCipher,
  read: (row: SigningKeyRow) => StoredSigningKey,
): SigningKeyWriter {
  return {
    async findActive() {
      const row = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      return row ? read(row) : null;
    },
    async retireActive(at) {
      await tx.signingKey.updateMany({ where: { retiredAt: null }, data: { retiredAt: at } });
    },
    async insert(key) {
      await tx.signingKey.create({
        data: {
          kid: key.kid,
          algorithm: key.algorithm,
          publicJwk: asJson(key.publicJwk),
          privateJwk: sealedJson(cipher, key.privateJwk, key.kid),
          createdAt: key.createdAt,
          activatesAt: key.activatesAt,
          retiredAt: key.retiredAt,
        },
      });
    },
  };
}

export class PrismaSigningKeyRepository implements SigningKeyStore {
  /**
   * Private keys opened so far, by kid. A kid is its public key's thumbprint, so its private half
   * never changes; only its sealing does. When another replica, already on a new encryption key,
   * re-seals the rows on its start (a rolling restart), this process goes on with the keys it has
   * opened instead of failing every sign-in until it is replaced itself.
   */
  private readonly opened = new Map<string, JWK>();

  constructor(
    private readonly db: PrismaClient,
    private readonly cipher: SigningKeyCipher,
  ) {}

  async listUsable(retiredAfter: Date): Promise<StoredSigningKey[]> {
    const rows = await this.db.signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: retiredAfter } }] },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(this.stored);
  }

  /**
   * Deletes the signing keys whose private key this process cannot open (sealed under an encryption
   * key it does not have, e.g. a database left by another checkout whose development key was
   * different). Development and tests only: in production such a key is a configuration error
   * (SIGNING_KEY_ENCRYPTION_KEYS_PREVIOUS) and start-up stops on it. Answers the kids deleted; a new
   * key is made by ensureActiveKey, and tokens signed with the deleted ones are no longer accepted.
   */
  discardUnreadableKeys(): Promise<string[]> {
    return this.exclusiveTx(async (tx) => {
      const unreadable: string[] = [];
      for (const row of await tx.signingKey.findMany()) {
        try {
          this.privateJwkOf(row);
        } catch {
          unreadable.push(row.kid);
        }
      }
      if (unreadable.length) await tx.signingKey.deleteMany({ where: { kid: { in: unreadable } } });
      return unreadable;
    });
  }

  /**
   * Encrypts, under the current encryption key, every private key stored in plaintext or sealed with
   * a previous key (run on start: this is how a new SIGNING_KEY_ENCRYPTION_KEY takes over). Answers how
   * many rows it rewrote.
   */
  sealStoredKeys(): Promise<number> {
    return this.exclusiveTx(async (tx) => {
      const rows = await tx.signingKey.findMany();
      let sealed = 0;
      for (const row of rows) {
        if (isSealed(row.privateJwk) && row.privateJwk.keyId === this.cipher.currentKeyId) continue;
        const privateJwk = this.privateJwkOf(row);
        await tx.signingKey.update({
          where: { kid: row.kid },
          data: { privateJwk: sealedJson(this.cipher, privateJwk, row.kid) },
        });
        sealed++;
      }
      return sealed;
    });
  }

  /** A transaction-scoped advisory lock serialises key creation and rotation across replicas. */
  exclusive<T>(fn: (writer: SigningKeyWriter) => Promise<T>): Promise<T> {
    return this.exclusiveTx((tx) => fn(writerOf(tx, this.cipher, this.stored)));
  }

  /** The key as this process reads it: the private half null where it cannot be opened here. */
  private readonly stored = (row: SigningKeyRow): StoredSigningKey => {
    let privateJwk: JWK | null;
    try {
      privateJwk = this.privateJwkOf(row);
    } catch {
      privateJwk = null;
    }
    return {
      kid: row.kid,
      algorithm: row.algorithm,
      publicJwk: jwkOf(row.publicJwk, row.kid),
      privateJwk,
      createdAt: row.createdAt,
      activatesAt: row.activatesAt,
      retiredAt: row.retiredAt,
    };
  };

  /** The private JWK of a row, or an error naming the encryption key it is sealed under. */
  private privateJwkOf(row: SigningKeyRow): JWK {
    const known = this.opened.get(row.kid);
    if (known) return known;
    // A plaintext row (written before encryption) is read as is until sealStoredKeys seals it.
    const value = isSealed(row.privateJwk)
      ? (this.cipher.open(row.privateJwk, row.kid) as Prisma.JsonValue)
      : row.privateJwk;
    const jwk = jwkOf(value, row.kid);
    this.opened.set(row.kid, jwk);
    return jwk;
  }

  private exclusiveTx<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('campus.identity.signing_keys'))`;
      return fn(tx);
    });
  }
}
