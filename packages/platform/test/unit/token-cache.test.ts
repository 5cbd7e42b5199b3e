import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTVerifyGetKey } from 'jose';
import { TokenVerifier } from '../../src/auth';
import { DomainError } from '../../src/errors';
import { VerifiedTokenCache } from '../../src/token-cache';

const issuer = 'campus-sirius-identity';
const audience = 'campus-sirius';
const START = Date.parse('2025-03-01T12:00:00Z');

/** A clock the test moves; the verifier reads it for exp checks and for the cache. */
function movableClock() {
  let now = START;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

async function keyPair(kid: string) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' };
  return { jwk, privateKey, kid };
}

type KeyPair = Awaited<ReturnType<typeof keyPair>>;

/** Signs an access token at the clock's "now", valid for `ttlSeconds`. */
const sign = (key: KeyPair, sub: string, ttlSeconds: number, claims: Record<string, unknown> = {}) =>
  new SignJWT({ typ: 'access', roles: ['student'], residence: null, isMinor: false, entrances: [], ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject(sub)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(Math.floor(START / 1000))
    .setExpirationTime(Math.floor(START / 1000) + ttlSeconds)
    .sign(key.privateKey);

/**
 * A verifier over a key set whose resolutions are counted (one per signature actually checked) and
 * whose keys can be withdrawn, as an operator removes a compromised key from the JWKS.
 */
async function setup(cache?: { maxEntries?: number; maxAgeMs?: number }) {
  const key = await keyPair('k1');
  const clock = movableClock();
  const withdrawn = new Set<string>();
  let resolutions = 0;
  const local = createLocalJWKSet({ keys: [key.jwk] });
  const keys: JWTVerifyGetKey = (header, token) => {
    resolutions++;
    if (header.kid && withdrawn.has(header.kid)) return createLocalJWKSet({ keys: [] })(header, token);
    return local(header, token);
  };
  const verifier = new TokenVerifier({ keys, issuer, audience, clock, ...(cache ? { cache } : {}) });
  return { verifier, key, clock, withdrawn, resolutions: () => resolutions };
}

const outcome = async (p: Promise<unknown>) => {
  try {
    const auth = (await p) as { userId: string };
    return `ok:${auth.userId}`;
  } catch (e) {
    return e instanceof DomainError ? `${e.code}:${String(e.details.reason)}` : `other:${String(e)}`;
  }
};

describe('TokenVerifier cache', () => {
  it('checks the signature of a token once and answers its later requests from the cache', async () => {
    const { verifier, key, resolutions } = await setup();
    const token = await sign(key, 'u1', 900);
    const first = await verifier.verify(token);
    const second = await verifier.verify(token);
    expect(resolutions()).toBe(1);
    expect(second).toEqual(first);
    expect(second).toMatchObject({ userId: 'u1', roles: ['student'], token });
    // Each caller gets its own object: changing one context does not change the next request's.
    second.roles.length = 0;
    (second as { userId: string }).userId = 'changed';
    expect(await verifier.verify(token)).toMatchObject({ userId: 'u1' });
  });

  it('never answers from the cache at or after the token expires', async () => {
    const { verifier, key, clock, resolutions } = await setup();
    const token = await sign(key, 'u1', 60);
    expect(await outcome(verifier.verify(token))).toBe('ok:u1');
    clock.advance(59_000);
    expect(await outcome(verifier.verify(token))).toBe('ok:u1');
    expect(resolutions()).toBe(1);
    clock.advance(1_000); // exactly exp
    expect(await outcome(verifier.verify(token))).toBe('UNAUTHENTICATED:expired');
    expect(resolutions()).toBe(2);
  });

  it('re-checks a long-lived token after maxAgeMs, so a withdrawn signing key stops working then', async () => {
    const { verifier, key, clock, withdrawn, resolutions } = await setup({ maxAgeMs: 30_000 });
    const token = await sign(key, 'u1', 900);
    expect(await outcome(verifier.verify(token))).toBe('ok:u1');
    withdrawn.add('k1');
    clock.advance(29_000);
    expect(await outcome(verifier.verify(token))).toBe('ok:u1'); // within maxAge: the earlier check stands
    clock.advance(1_000);
    expect(await outcome(verifier.verify(token))).toBe('UNAUTHENTICATED:invalid');
    expect(resolutions()).toBe(2);
  });

  it('never caches a refused token: each request with it is checked, and refused, again', async () => {
    const { verifier, key, withdrawn, resolutions } = await setup();
    const forger = await keyPair('k1'); // same kid, another private key
    const forged = await sign(forger, 'u1', 900);
    const badClaims = await sign(key, 'u2', 900, { roles: ['wizard'] });
    withdrawn.add('k2');
    const revoked = await sign({ ...key, kid: 'k2' }, 'u3', 900);
    for (let round = 0; round < 3; round++) {
      expect(await outcome(verifier.verify(forged))).toBe('UNAUTHENTICATED:invalid');
      expect(await outcome(verifier.verify(badClaims))).toBe('UNAUTHENTICATED:invalid');
      expect(await outcome(verifier.verify(revoked))).toBe('UNAUTHENTICATED:invalid');
    }
    expect(resolutions()).toBe(9);
    // The refused tokens left nothing behind: a valid token of the same key is still one check.
    expect(await outcome(verifier.verify(await sign(key, 'u4', 900)))).toBe('ok:u4');
    expect(resolutions()).toBe(10);
  });

  it('keeps at most maxEntries tokens, dropping the least recently used', async () => {
    const { verifier, key, resolutions } = await setup({ maxEntries: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((sub) => sign(key, sub, 900)));
    await verifier.verify(a!);
    await verifier.verify(b!);
    await verifier.verify(a!); // a is now the most recently used
    expect(resolutions()).toBe(2);
    await verifier.verify(c!); // evicts b
    expect(resolutions()).toBe(3);
    await verifier.verify(a!);
    await verifier.verify(c!);
    expect(resolutions()).toBe(3);
    await verifier.verify(b!);
    expect(resolutions()).toBe(4);
  });

  it('can be switched off', async () => {
    const key = await keyPair('k1');
    let resolutions = 0;
    const local = createLocalJWKSet({ keys: [key.jwk] });
    const verifier = new TokenVerifier({
      keys: (header, token) => {
        resolutions++;
        return local(header, token);
      },
      issuer,
      audience,
      clock: movableClock(),
      cache: false,
    });
    const token = await sign(key, 'u1', 900);
    await verifier.verify(token);
    await verifier.verify(token);
    expect(resolutions).toBe(2);
  });
});

describe('VerifiedTokenCache', () => {
  it('stores nothing already expired and keys entries by the token digest', () => {
    let now = START;
    const cache = new VerifiedTokenCache<string>({ maxEntries: 10, maxAgeMs: 60_000, now: () => now });
    cache.set('expired', 'x', now);
    cache.set('live', 'y', now + 1_000);
    expect(cache.size).toBe(1);
    expect(cache.get('expired')).toBeUndefined();
    expect(cache.get('live')).toBe('y');
    now += 1_000;
    expect(cache.get('live')).toBeUndefined();
    expect(cache.size).toBe(0); // an expired entry is dropped when met
  });

  it('holds the bound under many distinct tokens', () => {
    const cache = new VerifiedTokenCache<number>({ maxEntries: 100, maxAgeMs: 60_000, now: () => START });
    for (let i = 0; i < 1_000; i++) cache.set(`token-${i}`, i, START + 60_000);
    expect(cache.size).toBe(100);
    expect(cache.get('token-899')).toBeUndefined();
    expect(cache.get('token-900')).toBe(900);
    expect(cache.get('token-999')).toBe(999);
  });
});
