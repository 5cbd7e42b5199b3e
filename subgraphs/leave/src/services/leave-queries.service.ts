import { forbidden, requireAuth, type AuthContext, type Page, type PageRequest } from '@campus/platform';
import {
  patrolLeaveViewOf,
  type ApplicationView,
  type DocumentView,
  type PatrolLeaveView,
} from '../domain/application-view';
import type { LeaveStatus, RecordedEvent } from '../domain/leave-application';
import { actorOf, canRead, canSeeAsPatrol, isReaderStaff, requireReader } from '../domain/policy';
import type { ApplicantDirectory, ApplicationFilter, ReadModel } from './ports';

/**
 * Reads, always from the read model, with the read rules applied: staff see every application, a
 * student only their own. The batch methods (for DataLoaders) do no authorization themselves:
 * they are only reached through a parent the caller was allowed to see.
 */
export class LeaveQueries {
  constructor(
    private readonly readModel: ReadModel,
    /** Identity asked afresh (not the submissions' cache): where an applicant lives now. */
    private readonly applicants: ApplicantDirectory,
  ) {}

  /**
   * The application if the caller may read it: null when it does not exist, FORBIDDEN when it
   * is someone else's (students), UNAUTHENTICATED without a caller.
   */
  readable(auth: AuthContext | null, application: ApplicationView | null): ApplicationView | null {
    const actor = actorOf(auth);
    if (!application) return null;
    requireReader(actor, application.applicantId);
    return application;
  }

  /**
   * An application referenced from another subgraph (a patrol entry's leave): like `readable`,
   * except that a patrol student of the applicant's entrance gets the patrol's view of an approved
   * leave instead of FORBIDDEN. The entrance is the one the applicant lived in when submitting or,
   * failing that, the one they live in now (identity): a minor moved since is on the roll-call of
   * their new entrance, whose patrol sees the leave that pre-marked them.
   */
  async referenced(
    auth: AuthContext | null,
    application: ApplicationView | null,
  ): Promise<ApplicationView | PatrolLeaveView | null> {
    const actor = actorOf(auth);
    if (!application) return null;
    if (!canRead(actor, application.applicantId)) {
      const caller = requireAuth(auth);
      if (canSeeAsPatrol(caller, application)) return patrolLeaveViewOf(application);
      if (canSeeAsPatrol(caller, { ...application, residence: caller.residence ?? null })) {
        // Only a patrol student's own entrance is worth asking identity about.
        const now = await this.applicants.applicant(application.applicantId, caller.token);
        if (canSeeAsPatrol(caller, { ...application, residence: now.residence })) return patrolLeaveViewOf(application);
      }
    }
    requireReader(actor, application.applicantId);
    return application;
  }

  /** The applications a caller may list; a student's list is scoped to their own applications. */
  async list(auth: AuthContext | null, filter: ApplicationFilter, page: PageRequest): Promise<Page<ApplicationView>> {
    const actor = actorOf(auth);
    if (isReaderStaff(actor)) return this.readModel.list(filter, page);
    if (filter.applicantId !== undefined && filter.applicantId !== actor.userId) {
      throw forbidden('You may list only your own leave applications', { rule: 'own_or_staff_read' });
    }
    return this.readModel.list({ ...filter, applicantId: actor.userId }, page);
  }

  /** `User.leaveApplications`: only the user themself or staff (FORBIDDEN otherwise). */
  assertCanListOf(auth: AuthContext | null, applicantId: string): void {
    requireReader(actorOf(requireAuth(auth)), applicantId);
  }

  applicationsByIds(ids: readonly string[]): Promise<ApplicationView[]> {
    return this.readModel.applicationsByIds(ids);
  }

  applicationsOfApplicants(applicantIds: readonly string[], status: LeaveStatus | undefined, page: PageRequest) {
    return this.readModel.applicationsOfApplicants(applicantIds, { page, ...(status ? { status } : {}) });
  }

  documentsOf(applicationIds: readonly string[]): Promise<DocumentView[]> {
    return this.readModel.documentsOf(applicationIds);
  }

  historyOf(applicationIds: readonly string[]): Promise<RecordedEvent[]> {
    return this.readModel.historyOf(applicationIds);
  }

  /** For patrols: approved leaves covering the instant `at`, of these students or of every student ('all'). */
  async approvedLeavesAt(at: Date, userIds: readonly string[] | 'all'): Promise<ApplicationView[]> {
    if (userIds === 'all') return this.readModel.approvedCovering(at, null);
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return [];
    return this.readModel.approvedCovering(at, unique);
  }
}
