import http from 'node:http';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';

const ISSUER = 'campus-sirius-identity';
const AUDIENCE = 'campus-sirius';
const KID = 'test-key-1';

export const ACCESS_CLAIMS = { typ: 'access', roles: ['educator'], residence: null, isMinor: false, entrances: [] };

export interface TestIssuer {
  jwksUrl: string;
  /** A valid ES256 access token signed with the published key. */
  token(options?: { expiresIn?: string | number; subject?: string }): Promise<string>;
  /** Same header (kid) and claims, signed with a key that is not published. */
  forgedToken(): Promise<string>;
  expiredToken(): Promise<string>;
  /** An unsigned token: header {"alg":"none"}. */
  unsignedToken(): string;
  stop(): Promise<void>;
}

async function sign(key: KeyLike, expiresAt: number | string, subject = 'user-1'): Promise<string> {
  return new SignJWT(ACCESS_CLAIMS)
    .setProtectedHeader({ alg: 'ES256', kid: KID })
    .setSubject(subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(key);
}

/** Stands in for identity's token issuing: an ES256 key pair and a JWKS endpoint serving its public half. */
export async function startTestIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const forger = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: KID, alg: 'ES256', use: 'sig' }] });
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    token: (options = {}) => sign(privateKey, options.expiresIn ?? '5m', options.subject),
    forgedToken: () => sign(forger.privateKey, '5m'),
    expiredToken: () => sign(privateKey, Math.floor(Date.now() / 1000) - 60),
    unsignedToken: () =>
      new UnsecuredJWT(ACCESS_CLAIMS)
        .setSubject('user-1')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .encode(),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
