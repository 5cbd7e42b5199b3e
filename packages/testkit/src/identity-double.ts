// identity's gRPC API as a test double at the network boundary: a real gRPC server (platform's
// server, the real proto from @campus/contracts) answering from the users a test gives it, with
// scripted delays and failures. Integration tests only; end-to-end tests use the real identity.
import { identityService, type GetUsersRequest, type IdentityUser } from '@campus/contracts';
import {
  createLogger,
  grpcService,
  notFound,
  startGrpcServer,
  unavailable,
  type RunningGrpcServer,
} from '@campus/platform';
import type { TestUser } from './users';

export type IdentityMethod =
  | 'GetUser'
  | 'GetUsers'
  | 'ValidateToken'
  | 'CheckUserRole'
  | 'CheckPlace'
  | 'DeactivateAndVacate'
  | 'ReactivateAndRestore'
  | 'FinishCheckOut';

/** One call the double received: when it arrived and when it was answered (to observe concurrency). */
export interface IdentityCall {
  method: IdentityMethod;
  request: unknown;
  arrived: number;
  answered?: number;
}

/** Scripted per test: `before` may sleep or throw (e.g. platform `unavailable(…)`) before the real answer. */
export interface CallBehaviour {
  /** `call` counts the calls of the same method, this one included (1, 2, …). */
  before?: (call: number) => Promise<void> | void;
}

/** Every call answers `ms` later. */
export const slowBy = (ms: number): CallBehaviour => ({
  // unref: a call still sleeping when the test ends must not keep the worker alive
  before: () => new Promise<void>((r) => setTimeout(r, ms).unref()),
});

/** As identity answers: a summary (GetUsers' summary_only) leaves contacts, roles and entrances unset. */
function toIdentityUser(user: TestUser, summaryOnly = false): IdentityUser {
  const summary: IdentityUser = {
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    fullName: [user.lastName, user.firstName].filter(Boolean).join(' '),
    residence: user.residence ? { ...user.residence, roomId: '' } : null,
    isMinor: user.isMinor,
    isActive: user.isActive,
  };
  return summaryOnly
    ? summary
    : { ...summary, email: user.email, roles: user.roles, assignedEntrances: user.entrances };
}

/** GetUsers' filters as identity applies them (absent filters match everyone; inactive users only on request). */
function matches(user: TestUser, request: GetUsersRequest): boolean {
  const { ids, building, entrance, floor, room, role, minorsOnly, includeInactive } = request;
  return (
    (!ids?.length || ids.includes(user.id)) &&
    (building === undefined || user.residence?.building === building) &&
    (entrance === undefined || user.residence?.entrance === entrance) &&
    (floor === undefined || user.residence?.floor === floor) &&
    (room === undefined || user.residence?.room === room) &&
    (!role || (user.roles as string[]).includes(role)) &&
    (!minorsOnly || user.isMinor) &&
    (includeInactive || user.isActive)
  );
}

export class IdentityDouble {
  /** While true every call fails with UNAVAILABLE, as when identity is down. */
  down = false;
  behaviour: CallBehaviour = {};
  readonly calls: IdentityCall[] = [];
  private server: RunningGrpcServer | undefined;

  /**
   * The campus layout CheckPlace answers from: building code → its entrance numbers. Empty until a
   * test adds buildings; where a known user lives is in the layout too, as in identity.
   */
  readonly layout = new Map<string, Set<number>>();

  constructor(public users: TestUser[] = []) {}

  add(...users: TestUser[]): this {
    this.users.push(...users);
    return this;
  }

  /** Puts these buildings in the layout, each with entrances 1..`entrances` (4, as the demo campus's). */
  addBuildings(codes: readonly string[], entrances = 4): this {
    for (const code of codes) {
      const known = this.layout.get(code) ?? new Set<number>();
      for (let n = 1; n <= entrances; n++) known.add(n);
      this.layout.set(code, known);
    }
    return this;
  }

  /** CheckPlace's answer: the building (and the entrance, when given) is in the layout or lived in. */
  knowsPlace(building: string, entrance?: number): boolean {
    const entrances = this.layout.get(building);
    if (entrances && (entrance === undefined || entrances.has(entrance))) return true;
    return this.users.some(
      (u) => u.residence?.building === building && (entrance === undefined || u.residence.entrance === entrance),
    );
  }

  /** The calls of one method, oldest first. */
  callsTo(method: IdentityMethod): IdentityCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  get port(): number {
    if (!this.server) throw new Error('the identity double is not started');
    return this.server.port;
  }

  /** host:port, as IDENTITY_GRPC_URL. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    const notImplemented = async (): Promise<never> => {
      throw new Error('not implemented by the identity test double');
    };
    this.server = await startGrpcServer({
      host: '127.0.0.1',
      port,
      logger: createLogger('identity-double', 'silent'),
      services: [
        grpcService(identityService, {
          GetUser: (request) =>
            this.answer('GetUser', request, () => {
              const user = this.users.find((u) => u.id === request.id);
              if (!user) throw notFound(`User ${request.id} does not exist`, { id: request.id });
              return toIdentityUser(user);
            }),
          GetUsers: (request) =>
            this.answer('GetUsers', request, () => ({
              users: this.users.filter((u) => matches(u, request)).map((u) => toIdentityUser(u, request.summaryOnly)),
            })),
          ValidateToken: (request) => this.answer('ValidateToken', request, notImplemented),
          CheckUserRole: (request) => this.answer('CheckUserRole', request, notImplemented),
          CheckPlace: (request) =>
            this.answer('CheckPlace', request, () => ({
              known: this.knowsPlace(request.building.trim(), request.entrance),
            })),
          // The check-out saga's commands: end-to-end tests use the real identity for those.
          DeactivateAndVacate: (request) => this.answer('DeactivateAndVacate', request, notImplemented),
          ReactivateAndRestore: (request) => this.answer('ReactivateAndRestore', request, notImplemented),
          FinishCheckOut: (request) => this.answer('FinishCheckOut', request, notImplemented),
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

  private async answer<R>(method: IdentityMethod, request: unknown, respond: () => R | Promise<R>): Promise<R> {
    const call: IdentityCall = { method, request, arrived: Date.now() };
    this.calls.push(call);
    if (this.down) throw unavailable('identity is down (test)');
    await this.behaviour.before?.(this.callsTo(method).length);
    try {
      return await respond();
    } finally {
      call.answered = Date.now();
    }
  }
}

/** Starts an identity double knowing `users`. */
export const startIdentityDouble = (users: TestUser[] = []): Promise<IdentityDouble> =>
  new IdentityDouble(users).start();
