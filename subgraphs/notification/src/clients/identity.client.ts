import type { IdentityServiceDefinition, IdentityUserOutput } from '@campus/contracts';
import type { GrpcClient, Role } from '@campus/platform';
import type { DirectoryUser } from '../domain/staff';
import type { UserDirectory } from '../services/ports';

/** identity's GetUsers answers at most this many ids per call. */
const MAX_IDS_PER_CALL = 1000;

function toDirectoryUser(user: IdentityUserOutput): DirectoryUser {
  return {
    id: user.id,
    fullName: user.fullName || [user.lastName, user.firstName].filter(Boolean).join(' '),
    roles: user.roles,
    assignedEntrances: user.assignedEntrances.map((e) => ({ building: e.building, entrance: e.entrance })),
    residence: user.residence ? { building: user.residence.building, entrance: user.residence.entrance } : null,
  };
}

/** The user directory over identity's gRPC API (active accounts only). */
export class IdentityDirectory implements UserDirectory {
  constructor(private readonly identity: GrpcClient<IdentityServiceDefinition>) {}

  async usersWithRole(role: Role): Promise<DirectoryUser[]> {
    const { users } = await this.identity.GetUsers({ role });
    return users.map(toDirectoryUser);
  }

  async usersByIds(ids: string[]): Promise<DirectoryUser[]> {
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) batches.push(ids.slice(i, i + MAX_IDS_PER_CALL));
    const answers = await Promise.all(
      batches.map((batch) => this.identity.GetUsers({ ids: batch, includeInactive: true })),
    );
    return answers.flatMap(({ users }) => users.map(toDirectoryUser));
  }
}
