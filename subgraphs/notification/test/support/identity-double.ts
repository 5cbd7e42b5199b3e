// identity's gRPC API as a test double at the network boundary: a real gRPC server (platform
// startGrpcServer, the real proto) answering from an in-memory list of users.
import { identityService } from '@campus/contracts';
import { grpcService, startGrpcServer, unavailable } from '@campus/platform';
import pino from 'pino';
import type { TestUser } from './tokens';

export interface IdentityDouble {
  port: number;
  users: TestUser[];
  /** While true every call fails with UNAVAILABLE. */
  down: boolean;
  calls: number;
  close(): Promise<void>;
}

const notNeeded = async (): Promise<never> => {
  throw unavailable('not implemented by the identity test double');
};

export async function startIdentityDouble(users: TestUser[]): Promise<IdentityDouble> {
  const state = { users, down: false, calls: 0 };
  const toUser = (u: TestUser) => ({
    id: u.id,
    email: u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    fullName: `${u.lastName} ${u.firstName}`.trim(),
    roles: u.roles,
    residence: u.residence ? { ...u.residence, roomId: '' } : null,
    isMinor: u.isMinor,
    isActive: true,
    assignedEntrances: u.assignedEntrances,
  });
  const server = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    services: [
      grpcService(identityService, {
        GetUsers: async (request) => {
          state.calls++;
          if (state.down) throw unavailable('identity is down (test)');
          const matching = state.users.filter(
            (u) => (request.ids.length === 0 || request.ids.includes(u.id)) && (!request.role || (u.roles as string[]).includes(request.role)),
          );
          return { users: matching.map(toUser) };
        },
        GetUser: notNeeded,
        ValidateToken: notNeeded,
        CheckUserRole: notNeeded,
      }),
    ],
  });
  return Object.assign(state, { port: server.port, close: () => server.close() });
}
