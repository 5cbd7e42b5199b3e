// The resident directory over identity's gRPC API (GetUsers, whose place_known tells an unknown
// entrance from an empty one; GetUser). Deadline, retries on UNAVAILABLE and trace propagation come
// from the platform client.
import { DomainError, type GrpcClient } from '@campus/platform';
import type { IdentityServiceDefinition, IdentityUserOutput } from '@campus/contracts';
import type { Resident } from '../domain/patrol';
import type { ResidentDirectory } from '../services/ports';

function toResident(user: IdentityUserOutput): Resident {
  return {
    id: user.id,
    fullName: user.fullName || [user.lastName, user.firstName, user.patronymic].filter(Boolean).join(' '),
    building: user.residence?.building || null,
    entrance: user.residence?.entrance || null,
    room: user.residence?.room || null,
    isMinor: user.isMinor,
    isActive: user.isActive,
  };
}

/** The calls this adapter makes (tests hand it just these). */
type IdentityCalls = Pick<GrpcClient<IdentityServiceDefinition>, 'GetUsers' | 'GetUser'>;

export class IdentityResidentDirectory implements ResidentDirectory {
  constructor(private readonly client: IdentityCalls) {}

  async minorResidents(building: string, entrance: number): Promise<Resident[] | null> {
    // Summaries: a roll-call needs names and rooms, not contacts or roles (docs/performance.md).
    const { users, placeKnown } = await this.client.GetUsers({
      building,
      entrance,
      minorsOnly: true,
      summaryOnly: true,
    });
    // Only an explicit false means "no such entrance": an identity older than place_known leaves it
    // unset, and its empty answers stay empty patrols as before.
    return placeKnown === false ? null : users.map(toResident);
  }

  async findUser(id: string): Promise<Resident | null> {
    try {
      return toResident(await this.client.GetUser({ id }));
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'NOT_FOUND') return null;
      throw error;
    }
  }
}
