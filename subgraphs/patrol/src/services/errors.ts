import { DomainError, type ErrorDetails } from '@campus/platform';

/** Stable error codes of the patrol service; clients may switch on them. */
export const PatrolErrorCode = {
  NOT_FOUND: 'PATROL_NOT_FOUND',
  ENTRY_NOT_FOUND: 'PATROL_ENTRY_NOT_FOUND',
  ALREADY_EXISTS: 'PATROL_ALREADY_EXISTS',
  TOO_EARLY: 'PATROL_TOO_EARLY',
  DATE_IN_FUTURE: 'PATROL_DATE_IN_FUTURE',
  DEPENDENCY_UNAVAILABLE: 'PATROL_DEPENDENCY_UNAVAILABLE',
  REASON_REQUIRED: 'PATROL_REASON_REQUIRED',
  NOT_ALL_CHECKED: 'PATROL_NOT_ALL_CHECKED',
  ALREADY_COMPLETED: 'PATROL_ALREADY_COMPLETED',
  NOT_A_RESIDENT: 'PATROL_NOT_A_RESIDENT',
  ENTRY_EXISTS: 'PATROL_ENTRY_EXISTS',
} as const;

export type Dependency = 'identity' | 'leave';

export const patrolErrors = {
  notFound: (id: string) => new DomainError('NOT_FOUND', PatrolErrorCode.NOT_FOUND, `Patrol ${id} does not exist`, { id }),
  entryNotFound: (id: string) =>
    new DomainError('NOT_FOUND', PatrolErrorCode.ENTRY_NOT_FOUND, `Patrol entry ${id} does not exist`, { id }),
  alreadyExists: (details: { date: string; building: string; entrance: number; patrolId?: string }) =>
    new DomainError(
      'CONFLICT',
      PatrolErrorCode.ALREADY_EXISTS,
      `A patrol of building ${details.building}, entrance ${details.entrance} on ${details.date} already exists`,
      details,
    ),
  tooEarly: (details: { date: string; earliestStart: string; timeZone: string }) =>
    new DomainError(
      'CONFLICT',
      PatrolErrorCode.TOO_EARLY,
      `Today's patrol may start at ${details.earliestStart} (${details.timeZone}) at the earliest`,
      details,
    ),
  dateInFuture: (details: { date: string; today: string; timeZone: string }) =>
    new DomainError('VALIDATION', PatrolErrorCode.DATE_IN_FUTURE, `A patrol cannot be started for a future date (${details.date})`, details),
  dependencyUnavailable: (dependency: Dependency, cause: DomainError, others: Dependency[] = []) =>
    new DomainError(
      'UNAVAILABLE',
      PatrolErrorCode.DEPENDENCY_UNAVAILABLE,
      `The ${dependency} service is unavailable; nothing was changed, try again shortly`,
      { dependency, ...(others.length ? { alsoUnavailable: others } : {}), cause: cause.message },
    ),
  reasonRequired: (entryId: string) =>
    new DomainError('VALIDATION', PatrolErrorCode.REASON_REQUIRED, 'An absence needs a reason unless an approved leave covers it', {
      entryId,
      fields: { reason: 'required when absent' },
    }),
  notAllChecked: (details: { patrolId: string; unchecked: number; uncheckedEntryIds: string[] }) =>
    new DomainError(
      'CONFLICT',
      PatrolErrorCode.NOT_ALL_CHECKED,
      `${details.unchecked} ${details.unchecked === 1 ? 'entry is' : 'entries are'} not checked yet`,
      details,
    ),
  alreadyCompleted: (patrolId: string) =>
    new DomainError('CONFLICT', PatrolErrorCode.ALREADY_COMPLETED, 'The patrol is completed; it can no longer change', { patrolId }),
  notAResident: (details: ErrorDetails) =>
    new DomainError(
      'VALIDATION',
      PatrolErrorCode.NOT_A_RESIDENT,
      "The student is not a minor resident of this patrol's entrance",
      details,
    ),
  entryExists: (details: { patrolId: string; studentId: string; entryId: string }) =>
    new DomainError('CONFLICT', PatrolErrorCode.ENTRY_EXISTS, 'The student is already listed in this patrol', details),
};
