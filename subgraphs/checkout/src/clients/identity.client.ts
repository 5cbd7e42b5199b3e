// Who the students are, from identity over gRPC (GetUsers): names and rooms are kept with each saga
// at request time. Identity being down refuses the request (CHECKOUT_DEPENDENCY_UNAVAILABLE):
// nothing starts half-informed.
import type { IdentityServiceDefinition, IdentityUserOutput } from '@campus/contracts';
import { DomainError, type GrpcClient } from '@campus/platform';
import { CheckoutErrors } from '../domain/errors';
import type { CohortFilter, Student } from '../domain/records';
import type { StudentDirectory } from '../services/ports';

const STUDENT = 'student';

export function toStudent(user: IdentityUserOutput): Student {
  const r = user.residence;
  return {
    id: user.id,
    fullName: user.fullName || [user.lastName, user.firstName, user.patronymic].filter(Boolean).join(' '),
    room: r ? { building: r.building, entrance: r.entrance, room: r.room } : null,
    isStudent: user.roles.includes(STUDENT),
    entrance: r ? { building: r.building, entrance: r.entrance } : null,
  };
}

async function asking<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DomainError && error.kind !== 'UNAVAILABLE' && error.kind !== 'INTERNAL') throw error;
    throw CheckoutErrors.error('DEPENDENCY_UNAVAILABLE', 'Identity is unavailable; no check-out was started', {
      dependency: 'identity',
    });
  }
}

export class IdentityStudentDirectory implements StudentDirectory {
  constructor(private readonly client: Pick<GrpcClient<IdentityServiceDefinition>, 'GetUsers'>) {}

  async activeUsers(ids: readonly string[]): Promise<Student[]> {
    if (!ids.length) return [];
    const { users } = await asking(() => this.client.GetUsers({ ids: [...ids], includeInactive: false }));
    return users.filter((u) => u.isActive).map(toStudent);
  }

  async cohort(filter: CohortFilter): Promise<Student[]> {
    const { users } = await asking(() =>
      this.client.GetUsers({
        role: STUDENT,
        ...(filter.building != null ? { building: filter.building } : {}),
        ...(filter.entrance != null ? { entrance: filter.entrance } : {}),
        ...(filter.floor != null ? { floor: filter.floor } : {}),
        ...(filter.room != null ? { room: filter.room } : {}),
        ...(filter.checkOutDateTo != null ? { checkOutDateTo: filter.checkOutDateTo } : {}),
        includeInactive: false,
      }),
    );
    return users.filter((u) => u.isActive).map(toStudent);
  }
}
