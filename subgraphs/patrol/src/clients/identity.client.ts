// The resident directory over identity's gRPC API (GetUsers / GetUser). Deadline, retries on
// UNAVAILABLE and trace propagation come from the platform client.
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

export class IdentityResidentDirectory implements ResidentDirectory {
  constructor(private readonly client: GrpcClient<IdentityServiceDefinition>) {}

  async minorResidents(building: string, entrance: number): Promise<Resident[]> {
    // Summaries: a roll-call needs names and rooms, not contacts or roles (docs/performance.md).
    const { users } = await this.client.GetUsers({ building, entrance, minorsOnly: true, summaryOnly: true });
    return users.map(toResident);
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
