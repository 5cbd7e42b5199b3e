// The patrol service's error catalog: every PATROL_* code a client may get (docs/errors.md is
// printed from it), and the factories the rules and use cases throw, built on it.
import { defineErrorCodes, type DomainError } from '@campus/platform';

export const PatrolErrors = defineErrorCodes('PATROL', {
  NOT_FOUND: { kind: 'NOT_FOUND', description: 'No patrol with this id.' },
  ENTRY_NOT_FOUND: { kind: 'NOT_FOUND', description: 'No patrol entry with this id.' },
  ENTRANCE_NOT_FOUND: {
    kind: 'NOT_FOUND',
    description:
      "identity's campus layout has no such entrance (details.building, details.entrance); no patrol was created.",
  },
  ALREADY_EXISTS: {
    kind: 'CONFLICT',
    description: 'The entrance already has a patrol for that date (details.patrolId when known); open it instead.',
  },
  TOO_EARLY: {
    kind: 'CONFLICT',
    description: "Today's patrol may not start before the earliest start time (details.earliestStart, campus time).",
  },
  DATE_IN_FUTURE: {
    kind: 'VALIDATION',
    description: 'A patrol cannot be started for a date after today (campus time).',
  },
  DEPENDENCY_UNAVAILABLE: {
    kind: 'UNAVAILABLE',
    description:
      'identity or leave (details.dependency) is down, busy or too slow; nothing was changed, retry shortly.',
  },
  REASON_REQUIRED: {
    kind: 'VALIDATION',
    description: 'Marking a student absent needs a reason unless an approved leave covers the evening.',
  },
  NOT_ALL_CHECKED: {
    kind: 'CONFLICT',
    description: 'The patrol cannot be completed while entries are unchecked (details.uncheckedEntryIds).',
  },
  ALREADY_COMPLETED: { kind: 'CONFLICT', description: 'The patrol is completed and can no longer change.' },
  NOT_A_RESIDENT: {
    kind: 'VALIDATION',
    description:
      "The student is not an active minor resident of the patrol's entrance (details.reason: unknown, inactive, adult or other_entrance for staff; always not_a_minor_resident for a patrol student).",
  },
  ENTRY_EXISTS: {
    kind: 'CONFLICT',
    description: 'The student is already listed in this patrol (details.entryId).',
  },
});

/** The services a patrol calls; named in PATROL_DEPENDENCY_UNAVAILABLE. */
export type Dependency = 'identity' | 'leave';

export const patrolErrors = {
  notFound: (id: string) => PatrolErrors.error('NOT_FOUND', `Patrol ${id} does not exist`, { id }),
  entryNotFound: (id: string) => PatrolErrors.error('ENTRY_NOT_FOUND', `Patrol entry ${id} does not exist`, { id }),
  entranceNotFound: (details: { building: string; entrance: number }) =>
    PatrolErrors.error(
      'ENTRANCE_NOT_FOUND',
      `Building ${details.building} has no entrance ${details.entrance}; there is nobody to patrol`,
      details,
    ),
  alreadyExists: (details: { date: string; building: string; entrance: number; patrolId?: string }) =>
    PatrolErrors.error(
      'ALREADY_EXISTS',
      `A patrol of building ${details.building}, entrance ${details.entrance} on ${details.date} already exists`,
      details,
    ),
  tooEarly: (details: { date: string; earliestStart: string; timeZone: string }) =>
    PatrolErrors.error(
      'TOO_EARLY',
      `Today's patrol may start at ${details.earliestStart} (${details.timeZone}) at the earliest`,
      details,
    ),
  dateInFuture: (details: { date: string; today: string; timeZone: string }) =>
    PatrolErrors.error('DATE_IN_FUTURE', `A patrol cannot be started for a future date (${details.date})`, details),
  dependencyUnavailable: (dependency: Dependency, cause: DomainError, others: Dependency[] = []) =>
    PatrolErrors.error(
      'DEPENDENCY_UNAVAILABLE',
      `The ${dependency} service is unavailable; nothing was changed, try again shortly`,
      { dependency, ...(others.length ? { alsoUnavailable: others } : {}), cause: cause.message },
    ),
  reasonRequired: (entryId: string) =>
    PatrolErrors.error('REASON_REQUIRED', 'An absence needs a reason unless an approved leave covers it', {
      entryId,
      fields: { reason: 'required when absent' },
    }),
  notAllChecked: (details: { patrolId: string; unchecked: number; uncheckedEntryIds: string[] }) =>
    PatrolErrors.error(
      'NOT_ALL_CHECKED',
      `${details.unchecked} ${details.unchecked === 1 ? 'entry is' : 'entries are'} not checked yet`,
      details,
    ),
  alreadyCompleted: (patrolId: string) =>
    PatrolErrors.error('ALREADY_COMPLETED', 'The patrol is completed; it can no longer change', { patrolId }),
  notAResident: (details: { patrolId: string; studentId: string; reason: string }) =>
    PatrolErrors.error('NOT_A_RESIDENT', "The student is not a minor resident of this patrol's entrance", details),
  entryExists: (details: { patrolId: string; studentId: string; entryId: string }) =>
    PatrolErrors.error('ENTRY_EXISTS', 'The student is already listed in this patrol', details),
};
