// The cryptography of signing keys (jose): making ES256 key pairs, and verifying this process's own
// tokens against the published keys without an HTTP round trip to itself.
import { ACCESS_TOKEN_ALGORITHM } from '@campus/platform';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  type JWTVerifyGetKey,
} from 'jose';
import type { JwkSet, SigningKeyRecord } from '../domain/signing-keys';
import type { SigningKeyGenerator } from '../services/ports';

/** A fresh ES256 key pair; the kid is the RFC 7638 thumbprint of the public key. */
export const generateSigningKey: SigningKeyGenerator = async (now) => {
  const { publicKey, privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    algorithm: ACCESS_TOKEN_ALGORITHM,
    publicJwk,
    privateJwk: await exportJWK(privateKey),
    createdAt: now,
    activatesAt: now,
    retiredAt: null,
  } satisfies SigningKeyRecord;
};

/** Where the keys come from: SigningKeyService, which caches them and paces reloads. */
export interface VerificationKeySource {
  verificationJwks(unknownKid?: boolean): Promise<JwkSet>;
}

/**
 * A key resolver for TokenVerifier / jwtVerify over the source's keys. An unknown kid — e.g. a key
 * another replica just created — asks the source once more for a reloaded set.
 */
export function localVerificationKeys(source: VerificationKeySource): JWTVerifyGetKey {
  let built: { jwks: JwkSet; resolve: JWTVerifyGetKey } | undefined;
  const keySet = async (unknownKid: boolean): Promise<JWTVerifyGetKey> => {
    const jwks = await source.verificationJwks(unknownKid);
    // The source answers the same object while its cache holds, so the key set is built once per load.
    if (built?.jwks !== jwks) built = { jwks, resolve: createLocalJWKSet(jwks) };
    return built.resolve;
  };
  return async (header, token) => {
    const keys = await keySet(false);
    try {
      return await keys(header, token);
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      const reloaded = await keySet(true);
      return reloaded(header, token);
    }
  };
}
