// ES256 signing keys as stored (JWKs), and the public half every verifier may see.
import type { JWK } from 'jose';

export interface SigningKeyRecord {
  /** The RFC 7638 thumbprint of the public key. */
  kid: string;
  algorithm: string;
  publicJwk: JWK;
  privateJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

/** A JWKS document: `{ keys: [...] }`. */
export interface JwkSet {
  keys: JWK[];
}

/** The public half as published in the JWKS (never the private "d"). */
export function publicJwkOf(key: SigningKeyRecord): JWK {
  const { kty, crv, x, y } = key.publicJwk;
  return { kty, crv, x, y, kid: key.kid, alg: key.algorithm, use: 'sig' };
}
