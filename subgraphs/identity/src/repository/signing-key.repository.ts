import type { JWK } from 'jose';
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

const toRecord = (row: SigningKeyRow): SigningKeyRecord => ({
  kid: row.kid,
  algorithm: row.algorithm,
  publicJwk: jwkOf(row.publicJwk, row.kid),
  privateJwk: jwkOf(row.privateJwk, row.kid),
  createdAt: row.createdAt,
  retiredAt: row.retiredAt,
});

const asJson = (jwk: JWK): Prisma.InputJsonObject => ({ ...jwk });

function writerOf(tx: Prisma.TransactionClient): SigningKeyWriter {
  return {
    async findActive() {
      const row = await tx.signingKey.findFirst({ where: { retiredAt: null }, orderBy: { createdAt: 'desc' } });
      return row ? toRecord(row) : null;
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
          privateJwk: asJson(key.privateJwk),
          createdAt: key.createdAt,
          retiredAt: key.retiredAt,
        },
      });
    },
  };
}

export class PrismaSigningKeyRepository implements SigningKeyStore {
  constructor(private readonly db: PrismaClient) {}

  async listUsable(retiredAfter: Date): Promise<SigningKeyRecord[]> {
    const rows = await this.db.signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: retiredAfter } }] },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(toRecord);
  }

  /** A transaction-scoped advisory lock serialises key creation and rotation across replicas. */
  exclusive<T>(fn: (writer: SigningKeyWriter) => Promise<T>): Promise<T> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('campus.identity.signing_keys'))`;
      return fn(writerOf(tx));
    });
  }
}
