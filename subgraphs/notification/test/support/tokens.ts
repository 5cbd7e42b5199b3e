// Access tokens as identity issues them (ES256, platform access claims), signed with a local key,
// and the verifier the service under test uses for them.
import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair } from 'jose';
import { TokenVerifier, type AccessClaims, type Role } from '@campus/platform';

export const ISSUER = 'campus-sirius-identity';
export const AUDIENCE = 'campus-sirius';

export interface TestUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  roles: Role[];
  residence: { building: string; entrance: number; floor: number; room: string } | null;
  isMinor: boolean;
  assignedEntrances: { building: string; entrance: number }[];
}

export function testUser(name: string, roles: Role[], extra: Partial<TestUser> = {}): TestUser {
  const [lastName = name, firstName = ''] = name.split(' ');
  return {
    id: randomUUID(),
    email: `${randomUUID()}@sirius.local`,
    firstName,
    lastName,
    roles,
    residence: null,
    isMinor: false,
    assignedEntrances: [],
    ...extra,
  };
}

export async function tokenKit() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const verifier = new TokenVerifier({ keys: async () => publicKey, issuer: ISSUER, audience: AUDIENCE });
  const sign = (user: TestUser, ttl = '15m') => {
    const claims: Omit<AccessClaims, 'sub'> = {
      typ: 'access',
      roles: user.roles,
      residence: user.residence,
      isMinor: user.isMinor,
      entrances: user.assignedEntrances,
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(ttl)
      .sign(privateKey);
  };
  return { verifier, sign };
}
