// Integration-test harness: the patrol service in-process over a fresh database and a RabbitMQ
// exchange of its own, with identity and leave replaced AT THE NETWORK BOUNDARY by real gRPC
// servers whose behaviour each test scripts, and access tokens signed with a local ES256 key.
import { randomBytes, randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { SignJWT, exportJWK, generateKeyPair, type KeyLike } from 'jose';
import {
  TokenVerifier,
  createLogger,
  grpcService,
  notFound,
  startGrpcServer,
  type CloudEvent,
  type Role,
  type RunningGrpcServer,
} from '@campus/platform';
import { fromTimestamp, identityService, leaveService, type GetUsersRequest } from '@campus/contracts';
import { createTestDatabase, graphqlRequest, type GraphQLResponse, type TestDatabase } from '@campus/testkit';
import { startPatrol, type RunningPatrol } from '../../../src/app';
import { loadPatrolConfig } from '../../../src/config';

export const ISSUER = 'campus-sirius-identity';
export const AUDIENCE = 'campus-sirius';

// ── tokens ────────────────────────────────────────────────────────────────────────────────────

export interface TestUser {
  id: string;
  roles: Role[];
  residence: { building: string; entrance: number; floor: number; room: string } | null;
  isMinor: boolean;
  firstName: string;
  lastName: string;
  isActive?: boolean;
}

export class TokenIssuer {
  private constructor(
    private readonly privateKey: KeyLike,
    readonly verifier: TokenVerifier,
  ) {}

  static async create(): Promise<TokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    await exportJWK(publicKey); // proves the key is exportable like identity's JWKS keys
    return new TokenIssuer(privateKey, new TokenVerifier({ keys: async () => publicKey, issuer: ISSUER, audience: AUDIENCE }));
  }

  /** An access token with the claims identity issues (platform accessClaimsSchema). */
  sign(user: TestUser): Promise<string> {
    return new SignJWT({ typ: 'access', roles: user.roles, residence: user.residence, isMinor: user.isMinor, entrances: [] })
      .setProtectedHeader({ alg: 'ES256', kid: 'test' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('15m')
      .sign(this.privateKey);
  }
}

export function user(partial: Partial<TestUser> & Pick<TestUser, 'roles'>): TestUser {
  return {
    id: randomUUID(),
    residence: null,
    isMinor: false,
    firstName: 'Test',
    lastName: `User${randomBytes(2).toString('hex')}`,
    ...partial,
  };
}

export const residentOf = (building: string, entrance: number, room: string) => ({ building, entrance, floor: Number(room[0]), room });

// ── identity and leave at the network boundary ────────────────────────────────────────────────

const silent = createLogger('patrol-test-doubles', 'silent');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function toProtoUser(u: TestUser) {
  return {
    id: u.id,
    email: `${u.id}@sirius.local`,
    firstName: u.firstName,
    lastName: u.lastName,
    fullName: `${u.lastName} ${u.firstName}`,
    roles: u.roles,
    residence: u.residence ? { ...u.residence, roomId: randomUUID() } : null,
    isMinor: u.isMinor,
    isActive: u.isActive ?? true,
  };
}

/** Scripted per test: `before(call)` may sleep or throw (e.g. UNAVAILABLE) before the real answer. */
export interface Behaviour {
  before?: (call: number) => Promise<void> | void;
}

export class FakeIdentity {
  users: TestUser[] = [];
  behaviour: Behaviour = {};
  getUsersCalls: GetUsersRequest[] = [];
  /** When each GetUsers call arrived and answered (ms since epoch), to observe concurrency. */
  timeline: { method: string; arrived: number; answered?: number }[] = [];
  private server: RunningGrpcServer | undefined;

  get address(): string {
    return `127.0.0.1:${this.server!.port}`;
  }

  async start(): Promise<this> {
    const unimplemented = async () => {
      throw new Error('not used by patrol');
    };
    this.server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger: silent,
      services: [
        grpcService(identityService, {
          ValidateToken: unimplemented,
          CheckUserRole: unimplemented,
          GetUser: async (request) => {
            const mark = { method: 'GetUser', arrived: Date.now() } as { method: string; arrived: number; answered?: number };
            this.timeline.push(mark);
            await this.behaviour.before?.(this.timeline.length);
            const found = this.users.find((u) => u.id === request.id);
            mark.answered = Date.now();
            if (!found) throw notFound(`User ${request.id} does not exist`);
            return toProtoUser(found);
          },
          GetUsers: async (request) => {
            this.getUsersCalls.push(request);
            const mark = { method: 'GetUsers', arrived: Date.now() } as { method: string; arrived: number; answered?: number };
            this.timeline.push(mark);
            await this.behaviour.before?.(this.getUsersCalls.length);
            const users = this.users.filter(
              (u) =>
                (request.building === undefined || u.residence?.building === request.building) &&
                (request.entrance === undefined || u.residence?.entrance === request.entrance) &&
                (!request.minorsOnly || u.isMinor) &&
                (u.isActive ?? true),
            );
            mark.answered = Date.now();
            return { users: users.map(toProtoUser) };
          },
        }),
      ],
    });
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }
}

export interface TestLeave {
  applicationId: string;
  studentId: string;
  leaveAt: Date;
  returnAt: Date;
  reason: string;
}

export class FakeLeave {
  leaves: TestLeave[] = [];
  behaviour: Behaviour = {};
  calls: { at: Date; userIds: string[]; allStudents: boolean; arrived: number }[] = [];
  private server: RunningGrpcServer | undefined;

  get address(): string {
    return `127.0.0.1:${this.server!.port}`;
  }

  async start(): Promise<this> {
    this.server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      logger: silent,
      services: [
        grpcService(leaveService, {
          GetApprovedLeaves: async (request) => {
            const at = fromTimestamp(request.at)!;
            this.calls.push({ at, userIds: request.userIds, allStudents: request.allStudents ?? false, arrived: Date.now() });
            await this.behaviour.before?.(this.calls.length);
            const covering = this.leaves.filter(
              (l) => l.leaveAt <= at && at < l.returnAt && (!request.userIds.length || request.userIds.includes(l.studentId)),
            );
            return {
              leaves: covering.map((l) => ({
                applicationId: l.applicationId,
                studentId: l.studentId,
                reason: l.reason,
                leaveAt: { seconds: String(l.leaveAt.getTime() / 1000), nanos: 0 },
                returnAt: { seconds: String(l.returnAt.getTime() / 1000), nanos: 0 },
              })),
            };
          },
        }),
      ],
    });
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }
}

export const slowBy = (ms: number): Behaviour => ({ before: () => sleep(ms) });

// ── RabbitMQ ──────────────────────────────────────────────────────────────────────────────────

/** A private queue bound to the test's exchange, collecting every patrol event. */
export class EventQueue {
  readonly received: CloudEvent[] = [];
  readonly routingKeys: string[] = [];

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    readonly exchange: string,
  ) {}

  static async open(exchange: string): Promise<EventQueue> {
    const connection = await amqp.connect(process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true }); // as the service's broker declares it
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, exchange, 'campus.patrol.#');
    const events = new EventQueue(connection, channel, exchange);
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        events.routingKeys.push(message.fields.routingKey);
        events.received.push(JSON.parse(message.content.toString()) as CloudEvent);
      },
      { noAck: true },
    );
    return events;
  }

  /** Waits until an event matching `predicate` arrived (the outbox relay publishes asynchronously). */
  async waitFor(predicate: (event: CloudEvent) => boolean, timeoutMs = 10_000): Promise<CloudEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.received)}`);
      await sleep(50);
    }
  }

  async close(): Promise<void> {
    await this.channel.deleteExchange(this.exchange).catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

// ── the service ───────────────────────────────────────────────────────────────────────────────

export interface Harness {
  patrol: RunningPatrol;
  db: TestDatabase;
  identity: FakeIdentity;
  leave: FakeLeave;
  events: EventQueue;
  tokens: TokenIssuer;
  url: string;
  /** The service's clock; tests move it. */
  now: { value: Date };
  graphql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, as?: TestUser): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const db = await createTestDatabase('patrol');
  const identity = await new FakeIdentity().start();
  const leave = await new FakeLeave().start();
  const exchange = `campus.events.test.patrol.${randomBytes(4).toString('hex')}`;
  const events = await EventQueue.open(exchange);
  const tokens = await TokenIssuer.create();
  const now = { value: new Date() };
  const config = loadPatrolConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.PATROL_TEST_LOG_LEVEL ?? 'silent',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    DATABASE_URL: db.url,
    DB_POOL_SIZE: '4',
    AMQP_EXCHANGE: exchange,
    ...(process.env.AMQP_URL ? { AMQP_URL: process.env.AMQP_URL } : {}),
    IDENTITY_GRPC_URL: identity.address,
    LEAVE_GRPC_URL: leave.address,
    ...env,
  });
  const patrol = await startPatrol(config, { tokenVerifier: tokens.verifier, clock: () => now.value });
  const url = `http://127.0.0.1:${patrol.httpPort}/graphql`;
  return {
    patrol,
    db,
    identity,
    leave,
    events,
    tokens,
    url,
    now,
    graphql: async (query, variables, as) =>
      graphqlRequest(url, query, { variables, ...(as ? { token: await tokens.sign(as) } : {}) }),
    close: async () => {
      await patrol.close();
      await Promise.all([identity.stop(), leave.stop(), events.close()]);
      await db.drop();
    },
  };
}

export const codes = (response: GraphQLResponse<unknown>): string[] => (response.errors ?? []).map((e) => String(e.extensions?.code));
