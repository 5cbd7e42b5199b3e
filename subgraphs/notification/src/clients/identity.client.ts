import type { IdentityServiceDefinition, IdentityUserOutput } from '@campus/contracts';
import type { EntranceRef, GrpcClient, Role } from '@campus/platform';
import type { DirectoryUser, EntranceResident } from '../domain/staff';
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
  constructor(private readonly identity: Pick<GrpcClient<IdentityServiceDefinition>, 'GetUsers'>) {}

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

  async residentsOf(entrance: EntranceRef): Promise<EntranceResident[]> {
    // Summaries: a roster needs who lives in which room, not contacts or roles (docs/performance.md).
    const { users } = await this.identity.GetUsers({
      building: entrance.building,
      entrance: entrance.entrance,
      role: 'student',
      summaryOnly: true,
    });
    // Identity filters by entrance already; a residence elsewhere (or without a room) never counts.
    return users.flatMap(({ id, residence: r }) =>
      r && r.room && r.building === entrance.building && r.entrance === entrance.entrance ? [{ id, room: r.room }] : [],
    );
  }
}
