// Service authentication over a real connection: every server refuses calls without a valid
// service token (UNAUTHENTICATED, coded like every platform gRPC error), every client attaches one,
// and the handler sees the calling service and the user it acts for.
import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import { identityService } from '@campus/contracts';
import { freePort, TestClock } from '@campus/testkit';
import type { AuthContext } from '../../src/auth';
import { DomainError } from '../../src/errors';
import {
  callerOf,
  createGrpcClient,
  grpcService,
  requireCaller,
  SERVICE_AUTH_METADATA,
  signServiceToken,
  startGrpcServer,
  type GrpcClientOptions,
  type RunningGrpcServer,
  type ServiceCaller,
} from '../../src/grpc';

const logger = pino({ level: 'silent' });
const SECRET = 'a-test-secret-of-the-deployment-0123456789';
const OTHER_SECRET = 'another-secret-nobody-deployed-0123456789';

const student: AuthContext = {
  userId: '3f2b9a44-0000-4000-8000-000000000001',
  roles: ['student', 'student_patrol'],
  residence: { building: '8', entrance: 2, floor: 3, room: '2301' },
  isMinor: true,
  entrances: [],
  token: 'the-users-own-bearer-token',
};

interface Seen {
  caller: ServiceCaller;
  metadataKeys: string[];
}

async function serve(options: { allowedCallers?: string[]; acceptedSecrets?: string[] } = {}) {
  const seen: Seen[] = [];
  const server = await startGrpcServer({
    host: '127.0.0.1',
    port: await freePort(),
    logger,
    auth: { secret: SECRET, ...options },
    services: [
      grpcService(identityService, {
        ValidateToken: async () => ({ valid: false, reason: 'invalid' }),
        GetUser: async (request, call) => {
          seen.push({ caller: callerOf(call), metadataKeys: Object.keys(call.metadata.getMap()) });
          return { id: request.id, email: 'x@sirius.local', firstName: 'Иван', lastName: 'Петров', roles: [] };
        },
        GetUsers: async () => ({ users: [] }),
        CheckUserRole: async () => ({ hasRole: true, inScope: false }),
        CheckPlace: async () => ({ known: true }),
        // A saga participant's command: for the checkout orchestrator only.
        DeactivateAndVacate: async (request, call) => {
          requireCaller(call, 'checkout');
          return { userId: request.userId, sessionsRevoked: 0 };
        },
        ReactivateAndRestore: async () => ({ userId: '' }),
        FinishCheckOut: async () => ({ roomReleased: false }),
      }),
    ],
  });
  return { server, seen };
}

describe('gRPC service authentication', () => {
  let server: RunningGrpcServer;
  let seen: Seen[];
  let address: string;
  const clients: { $close(): void }[] = [];

  beforeAll(async () => {
    ({ server, seen } = await serve());
    address = `127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    for (const client of clients) client.$close();
    await server.close();
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const client = (options: Partial<GrpcClientOptions> = {}, at = address) => {
    const made = createGrpcClient(identityService, at, { name: 'identity', attempts: 1, ...options });
    clients.push(made);
    return made;
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'answered',
      (error: unknown) => error,
    );

  it('lets only the named services call a method guarded by requireCaller (FORBIDDEN for others)', async () => {
    const request = { userId: 'u1', checkoutId: 'c1' };
    expect(await client({ auth: { service: 'checkout', secret: SECRET } }).DeactivateAndVacate(request)).toMatchObject({
      userId: 'u1',
    });
    const refused = await refusal(client({ auth: { service: 'duty', secret: SECRET } }).DeactivateAndVacate(request));
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', details: { caller: 'duty', allowed: ['checkout'] } });
  });

  it('refuses a call without a service token with gRPC status UNAUTHENTICATED, before the handler', async () => {
    // A bare grpc-js client, as an intruder on the network would use it.
    const Raw = grpc.makeGenericClientConstructor(identityService, 'identity');
    const raw = new Raw(address, grpc.credentials.createInsecure());
    const method = identityService.GetUser;
    const error = await new Promise<grpc.ServiceError>((resolve, reject) =>
      raw.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        { id: 'u1' },
        new grpc.Metadata(),
        {},
        (err) => (err ? resolve(err) : reject(new Error('answered without a credential'))),
      ),
    );
    raw.close();
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(error.metadata.get('x-error-code')).toEqual(['UNAUTHENTICATED']);
    expect(JSON.parse(String(error.metadata.get('x-error-details')[0]))).toEqual({
      reason: 'missing',
      service: 'identity',
    });
    expect(seen).toEqual([]);
  });

  it('refuses the platform client too when it sends no token', async () => {
    const error = await refusal(client({ auth: false }).GetUser({ id: 'u1' }));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'UNAUTHENTICATED', code: 'UNAUTHENTICATED', details: { reason: 'missing' } });
  });

  it('refuses a token signed with another secret', async () => {
    const error = await refusal(client({ auth: { service: 'leave', secret: OTHER_SECRET } }).GetUser({ id: 'u1' }));
    expect(error).toMatchObject({ kind: 'UNAUTHENTICATED', details: { reason: 'invalid', service: 'identity' } });
    expect(seen).toEqual([]);
  });

  it('refuses an expired token', async () => {
    const twoMinutesAgo = new TestClock(new Date(Date.now() - 120_000));
    const error = await refusal(
      client({ auth: { service: 'leave', secret: SECRET, clock: twoMinutesAgo } }).GetUser({ id: 'u1' }),
    );
    expect(error).toMatchObject({ kind: 'UNAUTHENTICATED', details: { reason: 'expired' } });
  });

  it('refuses a token meant for another service', async () => {
    const forLeave = await signServiceToken({ secret: SECRET, service: 'patrol', audience: 'leave' });
    const error = await refusal(
      client({ auth: false }).GetUser({ id: 'u1' }, { metadata: { [SERVICE_AUTH_METADATA]: forLeave } }),
    );
    expect(error).toMatchObject({ kind: 'UNAUTHENTICATED', details: { reason: 'audience', service: 'identity' } });
    expect(seen).toEqual([]);
  });

  it('refuses a forged token (right claims, no valid signature)', async () => {
    const genuine = await signServiceToken({ secret: SECRET, service: 'leave', audience: 'identity' });
    const [header, , signature] = genuine.split('.');
    const claims = Buffer.from(
      JSON.stringify({ iss: 'admin', sub: 'admin', aud: 'identity', iat: 1, exp: 4_102_444_800 }),
    ).toString('base64url');
    const error = await refusal(
      client({ auth: false }).GetUser(
        { id: 'u1' },
        { metadata: { [SERVICE_AUTH_METADATA]: `${header}.${claims}.${signature}` } },
      ),
    );
    expect(error).toMatchObject({ kind: 'UNAUTHENTICATED', details: { reason: 'invalid' } });
  });

  it('answers a valid call; the handler sees the calling service and never the token', async () => {
    const answer = await client({ auth: { service: 'leave', secret: SECRET } }).GetUser({ id: 'u1' });
    expect(answer).toMatchObject({ id: 'u1' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.caller).toEqual({ service: 'leave' });
    expect(seen[0]!.metadataKeys).not.toContain(SERVICE_AUTH_METADATA);
  });

  it('carries the user a call is made for, signed, without their bearer token', async () => {
    const leave = client({ auth: { service: 'leave', secret: SECRET } });
    await leave.GetUser({ id: 'u1' }, { onBehalfOf: student });
    await leave.GetUser({ id: 'u2' });
    expect(seen.map((s) => s.caller)).toEqual([
      {
        service: 'leave',
        user: {
          userId: student.userId,
          roles: ['student', 'student_patrol'],
          residence: student.residence,
          isMinor: true,
          entrances: [],
        },
      },
      // The next call, without a user, is the service's own.
      { service: 'leave' },
    ]);
    expect(JSON.stringify(seen)).not.toContain(student.token);
  });

  it('accepts the tokens of a second secret while a rotation rolls out, and still those of its own', async () => {
    const rotating = await serve({ acceptedSecrets: [OTHER_SECRET] });
    try {
      const at = `127.0.0.1:${rotating.server.port}`;
      for (const secret of [OTHER_SECRET, SECRET]) {
        await expect(client({ auth: { service: 'leave', secret } }, at).GetUser({ id: 'u1' })).resolves.toEqual(
          expect.objectContaining({ id: 'u1' }),
        );
      }
      expect(rotating.seen.map((s) => s.caller)).toEqual([{ service: 'leave' }, { service: 'leave' }]);
      const stranger = 'a-secret-neither-side-was-given-0123456789';
      const error = await refusal(client({ auth: { service: 'leave', secret: stranger } }, at).GetUser({ id: 'u1' }));
      expect(error).toMatchObject({ kind: 'UNAUTHENTICATED', details: { reason: 'invalid' } });
    } finally {
      await rotating.server.close();
    }
  });

  it('lets only the allowed callers in when the server names them', async () => {
    const restricted = await serve({ allowedCallers: ['leave'] });
    try {
      const at = `127.0.0.1:${restricted.server.port}`;
      const error = await refusal(client({ auth: { service: 'patrol', secret: SECRET } }, at).GetUser({ id: 'u1' }));
      expect(error).toMatchObject({ kind: 'UNAUTHENTICATED', details: { reason: 'caller', caller: 'patrol' } });
      await expect(client({ auth: { service: 'leave', secret: SECRET } }, at).GetUser({ id: 'u1' })).resolves.toEqual(
        expect.objectContaining({ id: 'u1' }),
      );
      expect(restricted.seen.map((s) => s.caller.service)).toEqual(['leave']);
    } finally {
      await restricted.server.close();
    }
  });
});
