import * as grpc from '@grpc/grpc-js';
import pino from 'pino';
import { identityService } from '@campus/contracts';
import { createGrpcClient, grpcService, startGrpcServer, type RunningGrpcServer } from '../../src/grpc';
import { DomainError, methodNotAllowed, notFound, tooLarge, unavailable } from '../../src/errors';
import { freePort } from '@campus/testkit';

const logger = pino({ level: 'silent' });
const user = (id: string) => ({
  id,
  email: `${id}@sirius.local`,
  firstName: 'Иван',
  lastName: 'Петров',
  roles: ['student'],
});

describe('gRPC helpers over a real connection', () => {
  let server: RunningGrpcServer;
  let port: number;
  let getUserCalls = 0;
  let failuresLeft = 0;
  let seenTraceparent: string | undefined;

  beforeAll(async () => {
    port = await freePort();
    server = await startGrpcServer({
      host: '127.0.0.1',
      port,
      logger,
      services: [
        grpcService(identityService, {
          ValidateToken: async () => ({ valid: false, reason: 'invalid' }),
          GetUser: async (request, call) => {
            getUserCalls++;
            seenTraceparent = call.metadata.get('traceparent')[0] as string | undefined;
            if (failuresLeft > 0) {
              failuresLeft--;
              throw unavailable('warming up');
            }
            if (request.id === 'missing') throw notFound('No such user', { id: request.id }, 'AUTH_USER_NOT_FOUND');
            if (request.id === 'crash') throw new Error('SELECT * FROM users failed');
            if (request.id === 'huge')
              throw tooLarge('The photo is too large', { maxBytes: 1024 }, 'AUTH_PHOTO_TOO_LARGE');
            if (request.id === 'method') throw methodNotAllowed();
            return user(request.id);
          },
          GetUsers: async () => {
            await new Promise((r) => setTimeout(r, 2_000)); // far past the tests' deadlines
            return { users: [] };
          },
          CheckUserRole: async () => ({ hasRole: true, inScope: false }),
          CheckPlace: async () => ({ known: true }),
          // Details in any script: metadata values must be printable ASCII, the text must survive.
          DeactivateAndVacate: async () => {
            throw new DomainError('CONFLICT', 'COWRK_KEY_HELD', 'Ключ не сдан', {
              coworkingName: 'Коворкинг «Орбита» 🚀',
            });
          },
          ReactivateAndRestore: async () => ({ userId: '' }),
          FinishCheckOut: async () => ({ roomReleased: false }),
        }),
      ],
    });
  });

  afterAll(() => server.close());

  beforeEach(() => {
    getUserCalls = 0;
    failuresLeft = 0;
  });

  const client = () => createGrpcClient(identityService, `127.0.0.1:${port}`, { name: 'identity', backoffMs: 20 });

  it('returns decoded responses with defaults filled in', async () => {
    const response = await client().GetUser({ id: 'u1' });
    expect(response).toMatchObject({ id: 'u1', firstName: 'Иван', isMinor: false, residence: null });
  });

  it('carries the domain code and details of a server error', async () => {
    const error = await client()
      .GetUser({ id: 'missing' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'NOT_FOUND', code: 'AUTH_USER_NOT_FOUND', details: { id: 'missing' } });
  });

  it('carries details in any script (Cyrillic, emoji) unchanged, and the server survives them', async () => {
    await expect(client().DeactivateAndVacate({ userId: 'u1', checkoutId: 'c1' })).rejects.toMatchObject({
      code: 'COWRK_KEY_HELD',
      message: 'Ключ не сдан',
      details: { coworkingName: 'Коворкинг «Орбита» 🚀' },
    });
    expect(await client().GetUser({ id: 'u2' })).toMatchObject({ id: 'u2' });
  });

  it('carries the kind too, where the gRPC status alone would not tell it', async () => {
    await expect(client().GetUser({ id: 'huge' })).rejects.toMatchObject({
      kind: 'TOO_LARGE',
      code: 'AUTH_PHOTO_TOO_LARGE',
      details: { maxBytes: 1024 },
    });
    await expect(client().GetUser({ id: 'method' })).rejects.toMatchObject({
      kind: 'METHOD_NOT_ALLOWED',
      code: 'METHOD_NOT_ALLOWED',
    });
  });

  it('hides unexpected server failures behind INTERNAL_ERROR', async () => {
    const error = await client()
      .GetUser({ id: 'crash' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'INTERNAL', code: 'INTERNAL_ERROR', message: 'Internal server error' });
  });

  it('retries UNAVAILABLE up to three attempts', async () => {
    failuresLeft = 2;
    await expect(client().GetUser({ id: 'u2' })).resolves.toMatchObject({ id: 'u2' });
    expect(getUserCalls).toBe(3);

    failuresLeft = 5;
    getUserCalls = 0;
    await expect(client().GetUser({ id: 'u3' })).rejects.toMatchObject({ kind: 'UNAVAILABLE' });
    expect(getUserCalls).toBe(3);
  });

  it('does not retry other failures', async () => {
    await client()
      .GetUser({ id: 'missing' })
      .catch(() => undefined);
    expect(getUserCalls).toBe(1);
  });

  it('gives up at the deadline and reports the dependency as unavailable', async () => {
    const started = Date.now();
    const error = await client()
      .GetUsers({}, { deadlineMs: 150 })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_500); // cut at the deadline, long before the answer
    expect(error).toMatchObject({
      kind: 'UNAVAILABLE',
      details: { dependency: 'identity', grpcStatus: 'DEADLINE_EXCEEDED' },
    });
  });

  it('reports a server that is down as UNAVAILABLE after retrying', async () => {
    const down = createGrpcClient(identityService, `127.0.0.1:${await freePort()}`, {
      name: 'identity',
      backoffMs: 10,
    });
    await expect(down.GetUser({ id: 'x' })).rejects.toMatchObject({ kind: 'UNAVAILABLE', code: 'UNAVAILABLE' });
    down.$close();
  });

  it('reports a method the server lacks (an older version mid-rollout) as UNAVAILABLE, not INTERNAL', async () => {
    const olderPort = await freePort();
    const older = new grpc.Server();
    older.addService(identityService, {}); // no handlers: grpc-js answers UNIMPLEMENTED to every call
    await new Promise<void>((resolve, reject) =>
      older.bindAsync(`127.0.0.1:${olderPort}`, grpc.ServerCredentials.createInsecure(), (e) =>
        e ? reject(e) : resolve(),
      ),
    );
    const olderClient = createGrpcClient(identityService, `127.0.0.1:${olderPort}`, {
      name: 'identity',
      backoffMs: 10,
    });
    try {
      await expect(olderClient.CheckPlace({ building: '8' })).rejects.toMatchObject({
        kind: 'UNAVAILABLE',
        code: 'UNAVAILABLE',
        details: { dependency: 'identity', grpcStatus: 'UNIMPLEMENTED' },
      });
    } finally {
      olderClient.$close();
      older.forceShutdown();
    }
  });

  it('sends no traceparent when no span is active (nothing to continue)', async () => {
    await client().GetUser({ id: 'u4' });
    expect(seenTraceparent).toBeUndefined();
  });
});
