import { SignJWT, exportJWK, generateKeyPair, createLocalJWKSet, type JWK } from 'jose';
import { TokenVerifier, bearerToken, requireRole, type AuthContext } from '../../src/auth';
import { actsOnEntrance, requireEntranceScope } from '../../src/campus';
import { DomainError } from '../../src/errors';

const issuer = 'campus-sirius-identity';
const audience = 'campus-sirius';

async function setup() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  const verifier = new TokenVerifier({ keys: createLocalJWKSet({ keys: [jwk] }), issuer, audience });
  const sign = (claims: Record<string, unknown>, exp: string | number = '15m') =>
    new SignJWT({ typ: 'access', roles: ['student'], residence: null, isMinor: false, entrances: [], ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('u1')
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(exp)
      .sign(privateKey);
  return { verifier, sign };
}

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof DomainError ? `${e.code}:${String(e.details.reason)}` : `other:${String(e)}`;
  }
};

describe('TokenVerifier', () => {
  it('accepts a valid token and exposes the claims as the auth context', async () => {
    const { verifier, sign } = await setup();
    const residence = { building: '8', entrance: 1, floor: 3, room: '1301' };
    const auth = await verifier.verify(await sign({ roles: ['student', 'student_patrol'], residence, isMinor: true }));
    expect(auth).toMatchObject({
      userId: 'u1',
      roles: ['student', 'student_patrol'],
      residence,
      isMinor: true,
      entrances: [],
    });
  });

  it('refuses expired, forged, unsigned and malformed tokens as UNAUTHENTICATED', async () => {
    const { verifier, sign } = await setup();
    const expired = await sign({}, Math.floor(Date.now() / 1000) - 60);
    expect(await codeOf(verifier.verify(expired))).toBe('UNAUTHENTICATED:expired');

    const other = await setup();
    expect(await codeOf(verifier.verify(await other.sign({})))).toBe('UNAUTHENTICATED:invalid');

    const [, payload] = (await sign({})).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expect(await codeOf(verifier.verify(none))).toBe('UNAUTHENTICATED:invalid');

    expect(await codeOf(verifier.verify('not-a-jwt'))).toBe('UNAUTHENTICATED:invalid');
    expect(await codeOf(verifier.verify(await sign({ roles: ['wizard'] })))).toBe('UNAUTHENTICATED:invalid');
    expect(await codeOf(verifier.verify(await sign({ typ: 'refresh' })))).toBe('UNAUTHENTICATED:invalid');
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header and rejects other schemes', () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(() => bearerToken('Basic dXNlcjpwYXNz')).toThrow(DomainError);
  });
});

describe('guards', () => {
  const base: AuthContext = { userId: 'u', roles: [], residence: null, isMinor: false, entrances: [], token: 't' };
  const rule = {
    campusWide: ['educator', 'admin'],
    assigned: ['educator_head'],
    resident: ['student_patrol'],
  } as const;
  const target = { building: '8', entrance: 2 };

  it('lets campus-wide roles act anywhere', () => {
    expect(actsOnEntrance({ ...base, roles: ['educator'] }, target, rule)).toBe(true);
  });

  it('scopes assigned roles to their entrances and resident roles to where they live', () => {
    expect(actsOnEntrance({ ...base, roles: ['educator_head'], entrances: [target] }, target, rule)).toBe(true);
    expect(
      actsOnEntrance({ ...base, roles: ['educator_head'], entrances: [{ building: '8', entrance: 1 }] }, target, rule),
    ).toBe(false);
    const residence = { building: '8', entrance: 2, floor: 1, room: '2101' };
    expect(actsOnEntrance({ ...base, roles: ['student_patrol'], residence }, target, rule)).toBe(true);
    expect(
      actsOnEntrance({ ...base, roles: ['student_patrol'], residence: { ...residence, entrance: 3 } }, target, rule),
    ).toBe(false);
    expect(actsOnEntrance({ ...base, roles: ['student'], residence }, target, rule)).toBe(false);
    expect(actsOnEntrance(null, target, rule)).toBe(false);
  });

  it('throws UNAUTHENTICATED without a caller and FORBIDDEN without the role or scope', () => {
    expect(() => requireRole(null, 'admin')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => requireRole({ ...base, roles: ['student'] }, 'admin')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(requireRole({ ...base, roles: ['admin'] }, 'admin').userId).toBe('u');
    expect(() => requireEntranceScope({ ...base, roles: ['student_patrol'] }, target, rule)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', details: target }),
    );
  });

  it('puts only the building and entrance of a record target in the refusal', () => {
    // A whole record passed as the target (as services do with a patrol) must not leak into details.
    const patrol = { ...target, id: 'p1', startedBy: 'u2', entries: [{ studentId: 's1', phone: '+79990000000' }] };
    let refusal: unknown;
    try {
      requireEntranceScope({ ...base, roles: ['student_patrol'] }, patrol, rule);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect((refusal as DomainError).details).toEqual({ building: '8', entrance: 2 });
  });
});
