import { DomainError, type GrpcClient, type Logger } from '@campus/platform';
import type { IdentityServiceDefinition, IdentityUserOutput } from '@campus/contracts';
import { dependencyUnavailable, LeaveErrors } from '../domain/errors';
import type { ApplicantSnapshot } from '../domain/leave-application';
import type { ApplicantDirectory } from '../services/ports';

export type IdentityClient = GrpcClient<IdentityServiceDefinition>;

export function toApplicantSnapshot(user: IdentityUserOutput): ApplicantSnapshot {
  const r = user.residence;
  return {
    id: user.id,
    isActive: user.isActive,
    isMinor: user.isMinor,
    residence: r ? { building: r.building, entrance: r.entrance, floor: r.floor, room: r.room } : null,
  };
}

/**
 * The applicant as identity knows them right now (gRPC GetUser, deadline and retries from the
 * platform client). Identity being down fails the call with LEAVE_DEPENDENCY_UNAVAILABLE. Asked on
 * submission (through CachedApplicantDirectory) and, afresh, for where a moved applicant lives now.
 */
export class IdentityApplicantDirectory implements ApplicantDirectory {
  constructor(
    private readonly client: Pick<IdentityClient, 'GetUser'>,
    private readonly logger: Logger,
  ) {}

  async applicant(userId: string, callerToken: string): Promise<ApplicantSnapshot> {
    try {
      const user = await this.client.GetUser({ id: userId }, { metadata: { authorization: `Bearer ${callerToken}` } });
      return toApplicantSnapshot(user);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'NOT_FOUND') {
        throw LeaveErrors.error('APPLICANT_NOT_FOUND', 'Identity does not know the applicant', { userId });
      }
      this.logger.warn({ err: error }, 'identity GetUser failed');
      throw dependencyUnavailable('identity', error instanceof DomainError ? { cause: error.code } : {});
    }
  }
}
