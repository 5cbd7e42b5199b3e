import { identityService, type IdentityUser } from '@campus/contracts';
import { createLogger, grpcService, notFound, startGrpcServer, type RunningGrpcServer } from '@campus/platform';
import type { TestUser } from './auth';

/**
 * A real gRPC server standing in for identity at the network boundary (integration tests only;
 * the end-to-end tests use the real identity). It knows the users it is told about.
 */
export class IdentityDouble {
  private readonly users = new Map<string, IdentityUser>();
  private server: RunningGrpcServer | undefined;
  port = 0;

  add(user: TestUser, overrides: Partial<IdentityUser> = {}): this {
    this.users.set(user.id, {
      id: user.id,
      email: `${user.id}@sirius.local`,
      firstName: 'Test',
      lastName: 'User',
      fullName: 'Test User',
      roles: user.roles,
      residence: user.residence ? { ...user.residence, roomId: '' } : null,
      isMinor: user.isMinor,
      isActive: true,
      ...overrides,
    });
    return this;
  }

  async start(port = 0): Promise<this> {
    this.server = await startGrpcServer({
      host: '127.0.0.1',
      port,
      logger: createLogger('identity-double', 'silent'),
      services: [
        grpcService(identityService, {
          GetUser: async ({ id }) => {
            const user = this.users.get(id);
            if (!user) throw notFound('No such user', { id });
            return user;
          },
          GetUsers: async () => ({ users: [...this.users.values()] }),
          ValidateToken: async () => ({ valid: false, reason: 'invalid' }),
          CheckUserRole: async () => ({ hasRole: false, inScope: false }),
        }),
      ],
    });
    this.port = this.server.port;
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
  }
}
