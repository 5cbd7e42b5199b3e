import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { TokenVerifier, type AuthContext, type Residence, type Role } from '@campus/platform';

export interface TestUser {
  id: string;
  roles: Role[];
  isMinor: boolean;
  residence: Residence | null;
}

export const student = (overrides: Partial<TestUser> = {}): TestUser => ({
  id: randomUUID(),
  roles: ['student'],
  isMinor: false,
  residence: { building: '8', entrance: 1, floor: 3, room: '301' },
  ...overrides,
});

export const staff = (role: Role = 'educator'): TestUser => ({ id: randomUUID(), roles: [role], isMinor: false, residence: null });

/** An AuthContext for service-level tests (no token verification involved). */
export const authOf = (user: TestUser): AuthContext => ({
  userId: user.id,
  roles: user.roles,
  residence: user.residence,
  isMinor: user.isMinor,
  entrances: [],
  token: `token-of-${user.id}`,
});

const ISSUER = 'campus-sirius-identity';
const AUDIENCE = 'campus-sirius';

/**
 * Access tokens without identity: a local ES256 key pair, a verifier that trusts it, and a
 * signer producing tokens with the platform's access claims.
 */
export async function createTestAuth(): Promise<{ verifier: TokenVerifier; tokenFor(user: TestUser): Promise<string> }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  const verifier = new TokenVerifier({ keys: createLocalJWKSet({ keys: [jwk] }), issuer: ISSUER, audience: AUDIENCE });
  const tokenFor = (user: TestUser) =>
    new SignJWT({ typ: 'access', roles: user.roles, residence: user.residence, isMinor: user.isMinor, entrances: [] })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(privateKey);
  return { verifier, tokenFor };
}
