// Who the students are, from identity over gRPC (GetUsers): names and rooms are kept with each saga
// at request time. Identity being down, or refusing this service (its service credential:
// UNAUTHENTICATED / PERMISSION_DENIED), refuses the request with CHECKOUT_DEPENDENCY_UNAVAILABLE:
// nothing starts half-informed, and the caller is never told to sign in again for a fault of ours.
// Only these GraphQL-facing reads: the saga's own calls to identity (participants.client.ts) reach
// the runner as identity's errors, which it classifies itself (retry or refusal).
import type { IdentityServiceDefinition, IdentityUserOutput } from '@campus/contracts';
import { DomainError, type ErrorKind, type GrpcClient, type Logger } from '@campus/platform';
import { CheckoutErrors } from '../domain/errors';
import type { CohortFilter, Student } from '../domain/records';
import type { StudentDirectory } from '../services/ports';

const STUDENT = 'student';

/** Identity's answers about the request itself (e.g. AUTH_TOO_MANY_USERS), passed on as they are. */
const ANSWERS: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['VALIDATION', 'NOT_FOUND', 'CONFLICT', 'TOO_LARGE']);

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

export class IdentityStudentDirectory implements StudentDirectory {
  constructor(
    private readonly client: Pick<GrpcClient<IdentityServiceDefinition>, 'GetUsers'>,
    private readonly logger?: Logger,
  ) {}

  async activeUsers(ids: readonly string[]): Promise<Student[]> {
    if (!ids.length) return [];
    const { users } = await this.asking(() => this.client.GetUsers({ ids: [...ids], includeInactive: false }));
    return users.filter((u) => u.isActive).map(toStudent);
  }

  async cohort(filter: CohortFilter): Promise<Student[]> {
    const { users } = await this.asking(() =>
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

  /** Anything but an answer about the request is identity being unavailable to us (its code in details.cause). */
  private async asking<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof DomainError && ANSWERS.has(error.kind)) throw error;
      this.logger?.warn({ err: error }, 'checkout: identity GetUsers failed');
      throw CheckoutErrors.error('DEPENDENCY_UNAVAILABLE', 'Identity is unavailable; no check-out was started', {
        dependency: 'identity',
        ...(error instanceof DomainError ? { cause: error.code } : {}),
      });
    }
  }
}
