// Campus access tokens without identity: a local ES256 key pair, the verifier the services under
// test get, and tokens carrying the claims identity issues (platform accessClaimsSchema).
import {
  SignJWT,
  UnsecuredJWT,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { TokenVerifier, type EntranceRef, type Residence, type Role } from '@campus/platform';

export const TEST_TOKEN_ISSUER = 'campus-sirius-identity';
export const TEST_TOKEN_AUDIENCE = 'campus-sirius';
const ALGORITHM = 'ES256';

/** Whom a token is for: a TestUser, or any object with the access-claim fields. */
export interface TokenSubject {
  id: string;
  roles: Role[];
  residence: Residence | null;
  isMinor: boolean;
  entrances?: EntranceRef[];
}

export interface TokenOptions {
  /** A lifetime from now as a jose time span ('15m', '2s'), or the expiry itself (a past Date: expired). */
  expires?: string | Date;
  issuer?: string;
  audience?: string;
  /** Claims added to or replacing the access claims (e.g. `{ typ: 'refresh' }`). */
  claims?: Record<string, unknown>;
  /** 'forged': signed by a key nobody publishes, under the same kid; 'none': unsigned (alg "none"). */
  signature?: 'valid' | 'forged' | 'none';
}

export interface SigningKey {
  /** A private ES256 key (as generateKeyPair or importJWK give it). */
  privateKey: KeyLike | Uint8Array;
  kid: string;
}

/** An access token for `user` signed with `key` (identity's real key in end-to-end tests). */
export async function signAccessToken(
  user: TokenSubject,
  key: SigningKey,
  options: TokenOptions = {},
): Promise<string> {
  const claims = {
    typ: 'access',
    roles: user.roles,
    residence: user.residence,
    isMinor: user.isMinor,
    entrances: user.entrances ?? [],
    ...options.claims,
  };
  const issuer = options.issuer ?? TEST_TOKEN_ISSUER;
  const audience = options.audience ?? TEST_TOKEN_AUDIENCE;
  const expires = options.expires ?? '15m';
  if (options.signature === 'none') {
    return new UnsecuredJWT(claims)
      .setSubject(user.id)
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expires)
      .encode();
  }
  const signer = options.signature === 'forged' ? (await generateKeyPair(ALGORITHM)).privateKey : key.privateKey;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid })
    .setSubject(user.id)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(signer);
}

export interface TestTokens {
  readonly issuer: string;
  readonly audience: string;
  /** The public key as identity publishes it (its /.well-known/jwks.json document). */
  readonly jwks: JSONWebKeySet;
  /** A key resolver over `jwks`, for a verifier with other options. */
  readonly keys: JWTVerifyGetKey;
  /** Trusts this key pair with the campus issuer and audience: what the services under test get. */
  readonly verifier: TokenVerifier;
  tokenFor(user: TokenSubject, options?: TokenOptions): Promise<string>;
}

/** A fresh key pair, its verifier and a signer of campus access tokens. */
export async function testTokens(): Promise<TestTokens> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM);
  const key: SigningKey = { privateKey, kid: 'test-key' };
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid: key.kid, alg: ALGORITHM, use: 'sig' }] };
  const keys = createLocalJWKSet(jwks);
  return {
    issuer: TEST_TOKEN_ISSUER,
    audience: TEST_TOKEN_AUDIENCE,
    jwks,
    keys,
    verifier: new TokenVerifier({ keys, issuer: TEST_TOKEN_ISSUER, audience: TEST_TOKEN_AUDIENCE }),
    tokenFor: (user, options) => signAccessToken(user, key, options),
  };
}
