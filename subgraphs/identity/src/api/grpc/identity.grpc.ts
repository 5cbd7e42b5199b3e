// gRPC transport of campus.identity.v1.IdentityService (proto/campus/identity/v1/identity.proto).
import { grpcService, parseInput, requireCaller, type GrpcServiceBinding } from '@campus/platform';
import { identityService, type IdentityUser } from '@campus/contracts';
import { fullNameOf, isWholeUser, type UserRecord, type UserSummary } from '../../domain/users';
import { checkoutStepRequestSchema, deactivateAndVacateRequestSchema } from '../../schemas/checkout';
import { checkPlaceRequestSchema, checkUserRoleRequestSchema, getUsersRequestSchema } from '../../schemas/directory';
import type { IdentityServices } from '../../services';

/** The only service that may run the check-out saga's steps. */
const CHECKOUT_ORCHESTRATOR = 'checkout';

/**
 * proto3 has no null strings: absent values are "". A summary's message leaves the fields it does
 * not have unset: nothing to encode for them (the receiver reads their defaults).
 */
export function toProtoUser(user: UserSummary | UserRecord): IdentityUser {
  const summary: IdentityUser = {
    id: user.id,
    firstName: user.firstName,
    lastName: user.lastName,
    patronymic: user.patronymic ?? '',
    fullName: fullNameOf(user),
    residence: user.residence,
    isMinor: user.isMinor,
    isActive: user.isActive,
  };
  if (!isWholeUser(user)) return summary;
  return {
    ...summary,
    email: user.email,
    phone: user.phone ?? '',
    roles: user.roles,
    parentContact: user.parentContact,
    assignedEntrances: user.assignedEntrances,
  };
}

/**
 * Directory methods are open to every authenticated service; the check-out saga's steps only to the
 * checkout service (PERMISSION_DENIED for any other).
 */
export function identityGrpcService({
  directory,
  checkout,
}: Pick<IdentityServices, 'directory' | 'checkout'>): GrpcServiceBinding {
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
      const { ids, minorsOnly, summaryOnly, ...filter } = parseInput(getUsersRequestSchema, request);
      const query = { ...filter, ...(ids.length > 0 ? { ids } : {}), minorsOnly };
      const { users, placeKnown } = await directory.getUsers(query, summaryOnly ? 'summary' : 'full');
      return { users: users.map(toProtoUser), placeKnown };
    },
    CheckUserRole: async (request) => {
      const { userId, role, building, entrance } = parseInput(checkUserRoleRequestSchema, request);
      const scope = building !== undefined && entrance !== undefined ? { entrance: { building, entrance } } : {};
      return directory.checkUserRole({ userId, role, ...scope });
    },
    CheckPlace: async (request) => {
      const place = parseInput(checkPlaceRequestSchema, request, 'Invalid CheckPlace request');
      return { known: await directory.placeKnown(place) };
    },
    DeactivateAndVacate: async (request, call) => {
      requireCaller(call, CHECKOUT_ORCHESTRATOR);
      const input = parseInput(deactivateAndVacateRequestSchema, request, 'Invalid DeactivateAndVacate request');
      const result = await checkout.deactivateAndVacate(input);
      return {
        userId: result.userId ?? '',
        previousResidence: result.previousResidence,
        sessionsRevoked: result.sessionsRevoked,
      };
    },
    ReactivateAndRestore: async (request, call) => {
      requireCaller(call, CHECKOUT_ORCHESTRATOR);
      const input = parseInput(checkoutStepRequestSchema, request, 'Invalid ReactivateAndRestore request');
      const result = await checkout.reactivateAndRestore(input);
      return { userId: result.userId ?? '', residence: result.residence };
    },
    FinishCheckOut: async (request, call) => {
      requireCaller(call, CHECKOUT_ORCHESTRATOR);
      const input = parseInput(checkoutStepRequestSchema, request, 'Invalid FinishCheckOut request');
      return { roomReleased: await checkout.finish(input) };
    },
  });
}
