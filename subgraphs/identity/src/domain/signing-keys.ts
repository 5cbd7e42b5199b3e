// ES256 signing keys as stored (JWKs), and the public half every verifier may see.
import type { JWK } from 'jose';

export interface SigningKeyRecord {
  /** The RFC 7638 thumbprint of the public key. */
  kid: string;
  algorithm: string;
  publicJwk: JWK;
  privateJwk: JWK;
  createdAt: Date;
  /** From when it signs: a rotated-in key is published first (SIGNING_KEY_ACTIVATION_DELAY_SECONDS). */
  activatesAt: Date;
  /** From when it no longer signs (the next key's activatesAt); published until its tokens expired. */
  retiredAt: Date | null;
}

/**
 * A stored key as this process reads it. Its private half is null when it is sealed under an
 * encryption key this process does not hold: another replica already runs a newer
 * SIGNING_KEY_ENCRYPTION_KEY (a rollout in progress) and made or re-sealed the key.
 */
export type StoredSigningKey = Omit<SigningKeyRecord, 'privateJwk'> & { privateJwk: JWK | null };

/** Whether this process can sign with the key. */
export const canSignWith = (key: StoredSigningKey): key is SigningKeyRecord => key.privateJwk !== null;

/** A JWKS document: `{ keys: [...] }`. */
export interface JwkSet {
  keys: JWK[];
}

/** The public half as published in the JWKS (never the private "d"). */
export function publicJwkOf(key: Pick<SigningKeyRecord, 'kid' | 'algorithm' | 'publicJwk'>): JWK {
  const { kty, crv, x, y } = key.publicJwk;
  return { kty, crv, x, y, kid: key.kid, alg: key.algorithm, use: 'sig' };
}
