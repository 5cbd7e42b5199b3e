import type { JWK } from 'jose';
import { isSealed, type SigningKeyCipher } from '../adapters/signing-key-cipher';
import type { SigningKeyRecord } from '../domain/signing-keys';
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

const toRecord = (row: SigningKeyRow, cipher: SigningKeyCipher): SigningKeyRecord => ({
  kid: row.kid,
  algorithm: row.algorithm,
  publicJwk: jwkOf(row.publicJwk, row.kid),
  // A plaintext row (written before encryption) is read as is until sealStoredKeys seals it.
  privateJwk: jwkOf(
    isSealed(row.privateJwk) ? (cipher.open(row.privateJwk, row.kid) as Prisma.JsonValue) : row.privateJwk,
    row.kid,
  ),
  createdAt: row.createdAt,
  retiredAt: row.retiredAt,
});

const asJson = (jwk: JWK): Prisma.InputJsonObject => ({ ...jwk });
const sealedJson = (cipher: SigningKeyCipher, jwk: JWK, kid: string): Prisma.InputJsonObject => ({
  ...cipher.seal(jwk, kid),
});

function writerOf(tx: Prisma.TransactionClient, cipher: SigningKeyCipher): SigningKeyWriter {
  return {
    async findActive() {
      const row = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      return row ? toRecord(row, cipher) : null;
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
          retiredAt: key.retiredAt,
        },
      });
    },
  };
}

export class PrismaSigningKeyRepository implements SigningKeyStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly cipher: SigningKeyCipher,
  ) {}

  async listUsable(retiredAfter: Date): Promise<SigningKeyRecord[]> {
    const rows = await this.db.signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: retiredAfter } }] },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map((row) => toRecord(row, this.cipher));
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
          toRecord(row, this.cipher);
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
        const { privateJwk } = toRecord(row, this.cipher);
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
    return this.exclusiveTx((tx) => fn(writerOf(tx, this.cipher)));
  }

  private exclusiveTx<T>(fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('campus.identity.signing_keys'))`;
      return fn(tx);
    });
  }
}
