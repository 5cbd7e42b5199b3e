import { accessClaimsSchema, TokenVerifier, type Clock } from '@campus/platform';
import { decodeProtectedHeader, jwtVerify, SignJWT, generateKeyPair } from 'jose';
import { JwtAccessTokenIssuer } from '../../src/adapters/jwt-access-tokens';
import { generateSigningKey, localVerificationKeys } from '../../src/adapters/signing-key-crypto';
import { accessClaimsOf } from '../../src/domain/access-claims';
import { publicJwkOf } from '../../src/domain/signing-keys';
import { DirectoryService } from '../../src/services/directory.service';
import { SigningKeyService, type SigningKeySettings } from '../../src/services/signing-key.service';
import type { SigningKeyStore } from '../../src/services/ports';
import { InMemoryCampus, InMemorySigningKeys, InMemoryUsers, caller, frozenClock, seconds } from '../support/fakes';

const ISSUER = 'campus-sirius-identity';
const AUDIENCE = 'campus-sirius';
const ACTIVATION_DELAY_SECONDS = 60;

const signingKeys = (store: SigningKeyStore, clock: Clock, settings: SigningKeySettings) =>
  new SigningKeyService({ store, clock, generate: generateSigningKey, settings });

function setup(cacheTtlMs = 60_000) {
  // The platform verifier checks expiry against the real clock, so the test clock starts now.
  const time = frozenClock(new Date());
  const store = new InMemorySigningKeys();
  const keys = signingKeys(store, time, {
    accessTokenTtlSeconds: 900,
    retentionMarginSeconds: 300,
    cacheTtlMs,
    unknownKidCooldownMs: 0,
    activationDelaySeconds: ACTIVATION_DELAY_SECONDS,
  });
  const issuer = new JwtAccessTokenIssuer(keys, { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 900 }, time);
  const verifier = new TokenVerifier({ keys: localVerificationKeys(keys), issuer: ISSUER, audience: AUDIENCE });
  const campus = InMemoryCampus.standard(['8'], 2, 2);
  const users = new InMemoryUsers(campus);
  const student = users.add({
    roles: ['student', 'student_head'],
    room: { building: '8', room: '1201' },
    isMinor: true,
  });
  const head = users.add({ roles: ['educator_head'], assignedEntrances: [{ building: '8', entrance: 2 }] });
  const admin = users.add({ roles: ['admin'] });
  return { time, store, keys, issuer, verifier, users, student, head, admin };
}

describe('signing keys', () => {
  it('creates one active key, once', async () => {
    const { keys, store } = setup();
    const kid = await keys.ensureActiveKey();
    expect(await keys.ensureActiveKey()).toBe(kid);
    expect(store.keys).toHaveLength(1);
    expect(store.exclusiveCalls).toBe(2);
  });

  it('publishes public keys only, keeping a retired key until its tokens have expired', async () => {
    const { keys, admin, time } = setup();
    const first = await keys.ensureActiveKey();
    time.advance(seconds(60));
    const second = await keys.rotate(caller(admin));
    let jwks = await keys.jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([second, first]);
    expect(jwks.keys.every((k) => k.d === undefined && k.alg === 'ES256' && k.use === 'sig')).toBe(true);
    // `first` signs until `second` activates, then stays published for a token's lifetime + margin.
    time.advance(seconds(ACTIVATION_DELAY_SECONDS + 900 + 300 + 1));
    jwks = await keys.jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([second]);
  });

  it('publishes a rotated-in key at once and signs with it only once every verifier can have fetched it', async () => {
    const { keys, admin, time } = setup(0);
    const first = await keys.ensureActiveKey();
    time.advance(seconds(1));
    const second = await keys.rotate(caller(admin));
    const published = async () => (await keys.jwks()).keys.map((k) => k.kid);
    expect(await published()).toEqual([second, first]);
    expect((await keys.signingKey()).kid).toBe(first);
    time.advance(seconds(ACTIVATION_DELAY_SECONDS - 1));
    expect((await keys.signingKey()).kid).toBe(first);
    time.advance(seconds(1));
    expect((await keys.signingKey()).kid).toBe(second);
    time.advance(seconds(900 + 300 - 1));
    expect(await published()).toEqual([second, first]);
    time.advance(seconds(1));
    expect(await published()).toEqual([second]);
  });

  it('signs with the newest published key it can open while the active one is sealed under an encryption key it lacks, and says so', async () => {
    const { keys, store, admin, time } = setup(0);
    const first = await keys.ensureActiveKey();
    time.advance(seconds(60));
    const second = await keys.rotate(caller(admin));
    // Another replica, on a newer SIGNING_KEY_ENCRYPTION_KEY, made `second`: this one reads it without its private half.
    time.advance(seconds(ACTIVATION_DELAY_SECONDS));
    const made = store.keys.find((k) => k.kid === second);
    if (made) made.privateJwk = null;
    const warnings: object[] = [];
    const replica = new SigningKeyService({
      store,
      clock: time,
      generate: generateSigningKey,
      settings: {
        accessTokenTtlSeconds: 900,
        retentionMarginSeconds: 300,
        cacheTtlMs: 0,
        unknownKidCooldownMs: 0,
        activationDelaySeconds: ACTIVATION_DELAY_SECONDS,
      },
      log: { warn: (details) => warnings.push(details) },
    });
    expect((await replica.signingKey()).kid).toBe(first);
    expect(warnings).toEqual([{ activeKid: second, signingKid: first }]);
    expect((await replica.jwks()).keys.map((k) => k.kid)).toEqual([second, first]);

    // Once `first` is no longer published, nothing is left to sign with: a clear error, not a token.
    time.advance(seconds(900 + 300 + 1));
    await expect(replica.signingKey()).rejects.toThrow(/SIGNING_KEY_ENCRYPTION_KEY/);
  });

  it('lets only admins rotate', async () => {
    const { keys, student } = setup();
    await expect(keys.rotate(caller(student))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('derives the kid from the public key (RFC 7638 thumbprint)', async () => {
    const key = await generateSigningKey(new Date());
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(publicJwkOf(key)).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: key.publicJwk.x,
      y: key.publicJwk.y,
      kid: key.kid,
      alg: 'ES256',
      use: 'sig',
    });
  });
});

describe('access tokens', () => {
  it('carry exactly the claims the platform expects, signed ES256 with a kid', async () => {
    const { issuer, verifier, student, keys, time } = setup();
    const { token, expiresAt } = await issuer.issue(student);
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'ES256', kid: (await keys.signingKey()).kid });
    expect(expiresAt.getTime()).toBe(Math.floor(time.now().getTime() / 1000) * 1000 + 900_000);

    const { payload } = await jwtVerify(token, localVerificationKeys(keys), {
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: time.now(),
    });
    expect(accessClaimsSchema.parse(payload)).toEqual(accessClaimsOf(student));
    expect(payload).toMatchObject({
      sub: student.id,
      typ: 'access',
      roles: ['student', 'student_head'],
      residence: { building: '8', entrance: 1, floor: 2, room: '1201' },
      isMinor: true,
      entrances: [],
    });
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: student.id });
  });

  it('list the entrances of an educator_head', async () => {
    const { head } = setup();
    expect(accessClaimsOf(head)).toMatchObject({ residence: null, entrances: [{ building: '8', entrance: 2 }] });
  });

  it('verify after another replica rotated the key (unknown kid reloads)', async () => {
    const { keys, store, time, student, verifier, admin } = setup();
    await keys.ensureActiveKey();
    await verifier.verify(
      (
        await new JwtAccessTokenIssuer(keys, { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 900 }, time).issue(
          student,
        )
      ).token,
    );
    // Another replica rotates directly in the shared store; this one has the old set cached.
    const other = signingKeys(store, time, {
      accessTokenTtlSeconds: 900,
      retentionMarginSeconds: 300,
      cacheTtlMs: 60_000,
      unknownKidCooldownMs: 0,
      activationDelaySeconds: ACTIVATION_DELAY_SECONDS,
    });
    await other.rotate(caller(admin));
    time.advance(seconds(ACTIVATION_DELAY_SECONDS));
    const token = (
      await new JwtAccessTokenIssuer(other, { issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 900 }, time).issue(
        student,
      )
    ).token;
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: student.id });
  });

  it('are refused when signed by a stranger', async () => {
    const { keys, verifier } = setup();
    await keys.ensureActiveKey();
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ typ: 'access', roles: ['admin'], residence: null, isMinor: false })
      .setProtectedHeader({ alg: 'ES256', kid: 'forged' })
      .setSubject('x')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(verifier.verify(forged)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'invalid' },
    });
  });
});

describe('directory (gRPC) rules', () => {
  function directory() {
    const ctx = setup();
    return { ...ctx, service: new DirectoryService({ users: ctx.users, verifier: ctx.verifier }) };
  }

  it('validates tokens: valid, expired, invalid', async () => {
    const { service, issuer, student, keys, time } = directory();
    await keys.ensureActiveKey();
    time.set(new Date());
    const { token, expiresAt } = await issuer.issue(student);
    await expect(service.validateToken(token)).resolves.toMatchObject({
      valid: true,
      reason: '',
      expiresAt,
      auth: { userId: student.id },
    });
    time.advance(seconds(-3600));
    const old = await issuer.issue(student);
    await expect(service.validateToken(old.token)).resolves.toMatchObject({
      valid: false,
      reason: 'expired',
      auth: null,
    });
    await expect(service.validateToken('garbage')).resolves.toMatchObject({ valid: false, reason: 'invalid' });
  });

  it('checks roles and their reach', async () => {
    const { service, student, head, admin, users } = directory();
    const e1 = { building: '8', entrance: 1 };
    const e2 = { building: '8', entrance: 2 };
    await expect(service.checkUserRole({ userId: student.id, role: 'student_head', entrance: e1 })).resolves.toEqual({
      hasRole: true,
      inScope: true,
    });
    await expect(service.checkUserRole({ userId: student.id, role: 'student_head', entrance: e2 })).resolves.toEqual({
      hasRole: true,
      inScope: false,
    });
    await expect(service.checkUserRole({ userId: student.id, role: 'student_patrol' })).resolves.toEqual({
      hasRole: false,
      inScope: false,
    });
    await expect(service.checkUserRole({ userId: head.id, role: 'educator_head', entrance: e2 })).resolves.toEqual({
      hasRole: true,
      inScope: true,
    });
    await expect(service.checkUserRole({ userId: head.id, role: 'educator_head', entrance: e1 })).resolves.toEqual({
      hasRole: true,
      inScope: false,
    });
    await expect(service.checkUserRole({ userId: admin.id, role: 'admin', entrance: e1 })).resolves.toEqual({
      hasRole: true,
      inScope: true,
    });
    await expect(service.checkUserRole({ userId: head.id, role: 'educator_head' })).resolves.toEqual({
      hasRole: true,
      inScope: true,
    });
    await users.update(admin.id, { isActive: false });
    await expect(service.checkUserRole({ userId: admin.id, role: 'admin' })).resolves.toEqual({
      hasRole: false,
      inScope: false,
    });
    await expect(service.checkUserRole({ userId: admin.id, role: 'root' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(
      service.checkUserRole({ userId: 'f0000000-0000-0000-0000-000000000000', role: 'admin' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('bounds GetUsers to 1000 ids and 1000 results; active users by default', async () => {
    const { service, users, admin } = directory();
    const ids = Array.from({ length: 1001 }, (_, i) => `id-${i}`);
    await expect(service.getUsers({ ids, includeInactive: false }, 'full')).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      kind: 'VALIDATION',
    });
    await users.update(admin.id, { isActive: false });
    expect((await service.getUsers({ includeInactive: false }, 'full')).users.map((u) => u.id)).not.toContain(admin.id);
    expect((await service.getUsers({ includeInactive: true }, 'full')).users.map((u) => u.id)).toContain(admin.id);
    for (let i = 0; i < 1001; i++) users.add();
    await expect(service.getUsers({ includeInactive: true }, 'full')).rejects.toMatchObject({
      code: 'AUTH_TOO_MANY_USERS',
    });
  });

  it('tells an empty place from a place the layout lacks, asking the layout only for an empty answer', async () => {
    const { service, users, student } = directory();
    const asked = jest.spyOn(users, 'placeExists');
    const minorsOf = (place: { building?: string; entrance?: number; floor?: number; room?: string }) =>
      service.getUsers({ ...place, minorsOnly: true, includeInactive: false }, 'summary');

    // a lived-in entrance: its minors, known without a look at the layout (the roll-call's path)
    await expect(minorsOf({ building: '8', entrance: 1 })).resolves.toEqual({
      users: [expect.objectContaining({ id: student.id })],
      placeKnown: true,
    });
    expect(asked).not.toHaveBeenCalled();

    // an entrance, floor or room without minors is still a place; an unknown one is not
    await expect(minorsOf({ building: '8', entrance: 2 })).resolves.toEqual({ users: [], placeKnown: true });
    await expect(minorsOf({ building: '8', entrance: 5 })).resolves.toEqual({ users: [], placeKnown: false });
    await expect(minorsOf({ building: '7', entrance: 1 })).resolves.toEqual({ users: [], placeKnown: false });
    await expect(minorsOf({ building: '7' })).resolves.toEqual({ users: [], placeKnown: false });
    await expect(minorsOf({ building: '8', room: '2202' })).resolves.toEqual({ users: [], placeKnown: true });
    await expect(minorsOf({ building: '8', room: '9901' })).resolves.toEqual({ users: [], placeKnown: false });
    await expect(minorsOf({ building: '8', entrance: 1, floor: 3 })).resolves.toEqual({ users: [], placeKnown: false });
    expect(asked.mock.calls.map(([place]) => place)).toEqual([
      { building: '8', entrance: 2 },
      { building: '8', entrance: 5 },
      { building: '7', entrance: 1 },
      { building: '7' },
      { building: '8', room: '2202' },
      { building: '8', room: '9901' },
      { building: '8', entrance: 1, floor: 3 },
    ]);

    // no place named: nobody matching is just nobody
    asked.mockClear();
    await expect(
      service.getUsers({ ids: ['f0000000-0000-0000-0000-000000000000'], includeInactive: false }, 'full'),
    ).resolves.toEqual({ users: [], placeKnown: true });
    expect(asked).not.toHaveBeenCalled();
  });
});
