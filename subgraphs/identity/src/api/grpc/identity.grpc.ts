// gRPC transport of campus.identity.v1.IdentityService (proto/campus/identity/v1/identity.proto).
import { grpcService, parseInput, type GrpcServiceBinding } from '@campus/platform';
import { identityService, type IdentityUser } from '@campus/contracts';
import { fullNameOf, type UserRecord } from '../../domain/users';
import { checkUserRoleRequestSchema, getUsersRequestSchema } from '../../schemas/directory';
import type { DirectoryService } from '../../services/directory.service';

/** proto3 has no null strings: absent values are "". */
export function toProtoUser(user: UserRecord): IdentityUser {
  return {
    id: user.id,
    email: user.email,
    phone: user.phone ?? '',
    firstName: user.firstName,
    lastName: user.lastName,
    patronymic: user.patronymic ?? '',
    fullName: fullNameOf(user),
    roles: user.roles,
    residence: user.residence,
    isMinor: user.isMinor,
    isActive: user.isActive,
    parentContact: user.parentContact,
    assignedEntrances: user.assignedEntrances,
  };
}

export function identityGrpcService(directory: DirectoryService): GrpcServiceBinding {
  return grpcService(identityService, {
    ValidateToken: async ({ token }) => {
      const result = await directory.validateToken(token);
      const residence = result.auth?.residence;
      return {
        valid: result.valid,
        reason: result.reason,
        userId: result.auth?.userId ?? '',
        roles: result.auth?.roles ?? [],
        // Tokens carry the room number but not its id.
        residence: residence ? { ...residence, roomId: '' } : null,
        isMinor: result.auth?.isMinor ?? false,
        expiresAt: result.expiresAt?.toISOString() ?? '',
      };
    },
    GetUser: async ({ id }) => toProtoUser(await directory.getUser(id)),
    GetUsers: async (request) => {
      const { ids, minorsOnly, ...filter } = parseInput(getUsersRequestSchema, request);
      const users = await directory.getUsers({ ...filter, ...(ids.length > 0 ? { ids } : {}), minorsOnly });
      return { users: users.map(toProtoUser) };
    },
    CheckUserRole: async (request) => {
      const { userId, role, building, entrance } = parseInput(checkUserRoleRequestSchema, request);
      const scope = building !== undefined && entrance !== undefined ? { entrance: { building, entrance } } : {};
      return directory.checkUserRole({ userId, role, ...scope });
    },
  });
}
