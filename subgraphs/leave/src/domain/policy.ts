import {
  STAFF_ROLES,
  STUDENT_ROLES,
  actsOnEntrance,
  forbidden,
  requireAuth,
  type AuthContext,
  type Residence,
  type Role,
} from '@campus/platform';

/** Who acts: the verified caller (or, for an upload, the caller who asked for the upload link). */
export interface Actor {
  userId: string;
  roles: readonly Role[];
}

/** The actor of a command or a read: the signed-in caller (UNAUTHENTICATED without one). */
export function actorOf(auth: AuthContext | null | undefined): Actor {
  const caller = requireAuth(auth);
  return { userId: caller.userId, roles: caller.roles };
}

/**
 * Who may do what with leave applications (domain spec §2 and §4):
 * - students submit, withdraw and attach documents to their own applications and read only those;
 * - educators and educator heads decide applications and attach/remove documents campus-wide
 *   (an educator_head may do everything an educator may);
 * - the night duty administrator (admin) reads every application but does not decide.
 */
export const DECIDER_ROLES: readonly Role[] = ['educator', 'educator_head'];
export const DOCUMENT_STAFF_ROLES: readonly Role[] = DECIDER_ROLES;
export const READER_STAFF_ROLES: readonly Role[] = STAFF_ROLES;
export const APPLICANT_ROLES: readonly Role[] = STUDENT_ROLES;

const holds = (actor: Actor, roles: readonly Role[]): boolean => actor.roles.some((r) => roles.includes(r));

export const isReaderStaff = (actor: Actor): boolean => holds(actor, READER_STAFF_ROLES);

export const canRead = (actor: Actor, applicantId: string): boolean =>
  actor.userId === applicantId || isReaderStaff(actor);

export const canManageDocuments = (actor: Actor, applicantId: string): boolean =>
  actor.userId === applicantId || holds(actor, DOCUMENT_STAFF_ROLES);

/**
 * A student_patrol may see an approved leave of a student of their own entrance (as the applicant
 * lived when submitting): the patrol's list pre-marks that student absent because of it.
 */
export function canSeeAsPatrol(
  auth: AuthContext,
  application: { status: string; residence: Pick<Residence, 'building' | 'entrance'> | null },
): boolean {
  if (application.status !== 'APPROVED' || !application.residence) return false;
  return actsOnEntrance(auth, application.residence, { campusWide: [], resident: ['student_patrol'] });
}

/** Every denial is the shared FORBIDDEN; `rule` tells which rule denied, for clients and logs. */
export function deny(rule: string, message: string): never {
  throw forbidden(message, { rule });
}

export function requireSubmitter(actor: Actor): void {
  if (!holds(actor, APPLICANT_ROLES)) deny('only_students_submit', 'Only students submit leave applications');
}

export function requireReader(actor: Actor, applicantId: string): void {
  if (!canRead(actor, applicantId)) deny('own_or_staff_read', 'You may read only your own leave applications');
}

export function requireDocumentManager(actor: Actor, applicantId: string): void {
  if (!canManageDocuments(actor, applicantId)) {
    deny(
      'applicant_or_educator_documents',
      'Only the applicant or an educator may change the documents of an application',
    );
  }
}

export function requireDecider(actor: Actor): void {
  if (!holds(actor, DECIDER_ROLES)) deny('only_educators_decide', 'Only educators decide leave applications');
}

export function requireApplicant(actor: Actor, applicantId: string): void {
  if (actor.userId !== applicantId) deny('only_applicant_withdraws', 'Only the applicant may withdraw an application');
}
