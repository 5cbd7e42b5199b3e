import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestClock } from '@campus/testkit';
import * as jose from 'jose';
import { ConfigError, grpcEnv, loadConfig } from '../../src/config';
import {
  localServiceAuthSecret,
  processAcceptedServiceAuthSecrets,
  processServiceAuthSecret,
  serviceOfMethod,
  ServiceTokenCache,
  ServiceTokenVerifier,
  signServiceToken,
  verifyServiceToken,
} from '../../src/grpc/service-auth';
import { z } from 'zod';

// jwtVerify stays jose's own; the spy only counts the signature checks.
jest.mock('jose', () => {
  const actual = jest.requireActual<typeof import('jose')>('jose');
  return { ...actual, jwtVerify: jest.fn(actual.jwtVerify) };
});

const SECRET = 'a-test-secret-of-the-deployment-0123456789';

describe('service tokens', () => {
  it('names the callee after the proto package of the method', () => {
    expect(serviceOfMethod('/campus.identity.v1.IdentityService/GetUsers')).toBe('identity');
    expect(serviceOfMethod('/campus.duty.v2.DutyService/GetStatus')).toBe('duty');
    expect(serviceOfMethod('/other.Thing/Do')).toBe('other.Thing');
  });

  it('reuses a token until shortly before it expires, then signs a new one', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const cache = new ServiceTokenCache();
    const claims = { secret: SECRET, service: 'leave', audience: 'identity', clock };
    const first = await cache.token(claims);
    clock.advance(30_000);
    expect(await cache.token(claims)).toBe(first);
    expect(await cache.token({ ...claims, audience: 'patrol' })).not.toBe(first);
    clock.advance(20_000);
    const renewed = await cache.token(claims);
    expect(renewed).not.toBe(first);
    // The renewed token is valid a full lifetime from now.
    clock.advance(55_000);
    await expect(verifyServiceToken(renewed, { secret: SECRET, audience: 'identity', clock })).resolves.toEqual({
      service: 'leave',
    });
    await expect(verifyServiceToken(first, { secret: SECRET, audience: 'identity', clock })).rejects.toMatchObject({
      kind: 'UNAUTHENTICATED',
      details: { reason: 'expired' },
    });
  });
});

describe("a gRPC server's token verifier", () => {
  const user = { userId: 'u1', roles: ['student' as const], residence: null, isMinor: true, entrances: [] };

  it('checks a token once and answers from memory until its exp, per audience, never for a refusal', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const verifier = new ServiceTokenVerifier({ secret: SECRET, allowedCallers: ['patrol'], clock });
    const token = await signServiceToken({ secret: SECRET, service: 'patrol', audience: 'identity', user, clock });
    const checks = jest.mocked(jose.jwtVerify);
    checks.mockClear();

    for (let i = 0; i < 3; i++)
      await expect(verifier.verify(token, 'identity')).resolves.toEqual({ service: 'patrol', user });
    expect(checks).toHaveBeenCalledTimes(1);

    // The same token for another service is checked, and refused: its audience is identity.
    await expect(verifier.verify(token, 'leave')).rejects.toMatchObject({ details: { reason: 'audience' } });
    await expect(verifier.verify(token, 'leave')).rejects.toMatchObject({ details: { reason: 'audience' } });
    expect(checks).toHaveBeenCalledTimes(3);

    // A caller outside the allow-list, a forged token and no token are refused every time.
    const other = await signServiceToken({ secret: SECRET, service: 'duty', audience: 'identity', clock });
    await expect(verifier.verify(other, 'identity')).rejects.toMatchObject({ details: { reason: 'caller' } });
    const forged = await signServiceToken({ secret: `${SECRET}-not`, service: 'patrol', audience: 'identity', clock });
    await expect(verifier.verify(forged, 'identity')).rejects.toMatchObject({ details: { reason: 'invalid' } });
    await expect(verifier.verify(undefined, 'identity')).rejects.toMatchObject({ details: { reason: 'missing' } });

    // From exp on the remembered verdict is gone; past the clock tolerance the token is refused.
    clock.advance(59_000);
    checks.mockClear();
    await expect(verifier.verify(token, 'identity')).resolves.toEqual({ service: 'patrol', user });
    expect(checks).toHaveBeenCalledTimes(0);
    clock.advance(1_000);
    await expect(verifier.verify(token, 'identity')).resolves.toEqual({ service: 'patrol', user });
    expect(checks).toHaveBeenCalledTimes(1);
    clock.advance(6_000);
    await expect(verifier.verify(token, 'identity')).rejects.toMatchObject({ details: { reason: 'expired' } });
  });
});

describe('a rotation of the service secret', () => {
  const NEXT = 'the-next-secret-of-the-deployment-9876543210';

  it('accepts tokens signed with an accepted secret, after the current one, and no others', async () => {
    const clock = new TestClock(new Date('2026-03-01T10:00:00Z'));
    const sign = (secret: string, expired = false) =>
      signServiceToken({
        secret,
        service: 'patrol',
        audience: 'identity',
        clock,
        ...(expired ? { ttlSeconds: -10 } : {}),
      });
    const verify = (token: string, acceptedSecrets: string[]) =>
      verifyServiceToken(token, { secret: SECRET, acceptedSecrets, audience: 'identity', clock });

    await expect(verify(await sign(NEXT), [NEXT])).resolves.toEqual({ service: 'patrol' });
    await expect(verify(await sign(SECRET), [NEXT])).resolves.toEqual({ service: 'patrol' });
    await expect(verify(await sign(NEXT), [])).rejects.toMatchObject({ details: { reason: 'invalid' } });
    await expect(verify(await sign(`${NEXT}-not`), [NEXT])).rejects.toMatchObject({ details: { reason: 'invalid' } });
    // A verdict other than a wrong signature stands: an expired token is expired under any secret.
    await expect(verify(await sign(NEXT, true), [NEXT])).rejects.toMatchObject({ details: { reason: 'expired' } });
  });

  it('reads the accepted secrets from SERVICE_AUTH_SECRETS_ACCEPTED, each as long as a secret', () => {
    expect(processAcceptedServiceAuthSecrets({})).toEqual([]);
    expect(processAcceptedServiceAuthSecrets({ SERVICE_AUTH_SECRETS_ACCEPTED: ` ${NEXT}, ${SECRET} ,` })).toEqual([
      NEXT,
      SECRET,
    ]);
    expect(() => processAcceptedServiceAuthSecrets({ SERVICE_AUTH_SECRETS_ACCEPTED: `${NEXT},short` })).toThrow(
      /SERVICE_AUTH_SECRETS_ACCEPTED/,
    );
    const schema = z.object({ ...grpcEnv, GRPC_PORT: grpcEnv.GRPC_PORT.default(50051) });
    expect(() => loadConfig(schema, { SERVICE_AUTH_SECRETS_ACCEPTED: 'short' })).toThrow(
      /SERVICE_AUTH_SECRETS_ACCEPTED/,
    );
  });
});

describe('the service secret', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'service-auth-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is generated once per data directory, owner-only, and kept', () => {
    const file = path.join(dir, 'nested', 'service-auth-secret');
    const first = localServiceAuthSecret(file);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(localServiceAuthSecret(file)).toBe(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(localServiceAuthSecret(path.join(dir, 'elsewhere'))).not.toBe(first);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['service-auth-secret']);
  });

  it('comes from SERVICE_AUTH_SECRET when set, and is required in production', () => {
    const file = path.join(dir, 'process-secret');
    expect(processServiceAuthSecret({ SERVICE_AUTH_SECRET: SECRET, SERVICE_AUTH_SECRET_FILE: file })).toBe(SECRET);
    expect(fs.existsSync(file)).toBe(false);
    expect(processServiceAuthSecret({ NODE_ENV: 'development', SERVICE_AUTH_SECRET_FILE: file })).toBe(
      fs.readFileSync(file, 'utf8'),
    );
    expect(() => processServiceAuthSecret({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => processServiceAuthSecret({ SERVICE_AUTH_SECRET: 'short' })).toThrow(/SERVICE_AUTH_SECRET/);
  });

  it('makes every service config refuse to start in production without it, naming the variable', () => {
    const schema = z.object({ ...grpcEnv, GRPC_PORT: grpcEnv.GRPC_PORT.default(50051), NODE_ENV: z.string() });
    let error: unknown;
    try {
      loadConfig(schema, { NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['SERVICE_AUTH_SECRET is required in production']);
    expect(() => loadConfig(schema, { NODE_ENV: 'production', SERVICE_AUTH_SECRET: 'too-short' })).toThrow(
      /SERVICE_AUTH_SECRET/,
    );
    expect(loadConfig(schema, { NODE_ENV: 'production', SERVICE_AUTH_SECRET: SECRET }).SERVICE_AUTH_SECRET).toBe(
      SECRET,
    );
    expect(loadConfig(schema, { NODE_ENV: 'development' }).SERVICE_AUTH_SECRET).toBeUndefined();
  });
});
