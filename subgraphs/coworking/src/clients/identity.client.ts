// Identity over gRPC. Whether a student's account is still active (GetUser) at the moment they ask
// for a slot: an access token outlives a check-out's deactivation by up to 15 minutes. Whether the
// campus has a building (CheckPlace) when staff add a coworking to it. Identity being down refuses
// the request with COWRK_DEPENDENCY_UNAVAILABLE (retryable): nothing is written without its answer.
import type { IdentityServiceDefinition } from '@campus/contracts';
import { DomainError, type GrpcClient, type Logger } from '@campus/platform';
import { dependencyUnavailable } from '../domain/errors';
import type { StudentAccount } from '../domain/records';
import type { CampusLayout, StudentAccounts } from '../services/ports';

export type IdentityClient = GrpcClient<IdentityServiceDefinition>;

/** The account as identity knows it now (deadline and retries from the platform client), never cached. */
export class IdentityStudentAccounts implements StudentAccounts {
  constructor(
    private readonly client: Pick<IdentityClient, 'GetUser'>,
    private readonly logger: Logger,
  ) {}

  async accountOf(userId: string): Promise<StudentAccount | null> {
    try {
      const user = await this.client.GetUser({ id: userId });
      return { id: user.id, isActive: user.isActive };
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'NOT_FOUND') return null;
      this.logger.warn({ err: error }, 'identity GetUser failed');
      throw dependencyUnavailable('identity', error instanceof DomainError ? { cause: error.code } : {});
    }
  }
}

/**
 * Identity's layout, asked afresh each time (a building an admin has just added counts at once).
 * Failures pass as the platform client raises them: the service decides what UNAVAILABLE means.
 */
export class IdentityCampusLayout implements CampusLayout {
  constructor(private readonly client: Pick<IdentityClient, 'CheckPlace'>) {}

  async buildingExists(building: string): Promise<boolean> {
    const { known } = await this.client.CheckPlace({ building });
    return known;
  }
}
