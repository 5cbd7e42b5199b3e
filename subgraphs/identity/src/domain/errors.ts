// Identity's error catalog: every AUTH_* code a client can get, with what it means. Transports map
// the kind (VALIDATION, UNAUTHENTICATED, …) to their own status; clients branch on the code.
import { defineErrorCodes, notFound, type DomainError } from '@campus/platform';

export const IdentityErrors = defineErrorCodes('AUTH', {
  INVALID_CREDENTIALS: {
    kind: 'UNAUTHENTICATED',
    description:
      'The e-mail or password is wrong (the same answer for an unknown e-mail, so accounts cannot be probed).',
  },
  ACCOUNT_DISABLED: {
    kind: 'UNAUTHENTICATED',
    description: 'The account is deactivated; told only after the right password was given.',
  },
  TOO_MANY_ATTEMPTS: {
    kind: 'TOO_MANY_REQUESTS',
    description: 'The account is locked after repeated failed sign-ins; retry after details.retryAfterSeconds.',
  },
  INVALID_REFRESH_TOKEN: {
    kind: 'UNAUTHENTICATED',
    description: 'The refresh token is unknown or its sign-in was ended; sign in again.',
  },
  REFRESH_TOKEN_EXPIRED: { kind: 'UNAUTHENTICATED', description: 'The refresh token has expired; sign in again.' },
  REFRESH_TOKEN_REUSED: {
    kind: 'UNAUTHENTICATED',
    description: 'The refresh token was already used, so a copy exists: every session of that sign-in was ended.',
  },
  WEAK_PASSWORD: {
    kind: 'VALIDATION',
    description: 'The new password breaks the policy (8 to 128 characters, not blank); the message says how.',
  },
  CURRENT_PASSWORD_REQUIRED: {
    kind: 'VALIDATION',
    description: 'Changing your own password needs the current one.',
  },
  EMAIL_TAKEN: { kind: 'CONFLICT', description: 'Another user already has this e-mail.' },
  DUPLICATE_EMAIL_IN_FILE: {
    kind: 'VALIDATION',
    description: 'An import row repeats an e-mail of an earlier row of the same file (reported on that row).',
  },
  ROLES_REQUIRED: { kind: 'VALIDATION', description: 'A user needs at least one role.' },
  INVALID_ROLE_COMBINATION: {
    kind: 'VALIDATION',
    description: 'Staff and student roles were mixed, or student_patrol/student_head given without student.',
  },
  ENTRANCES_NOT_ALLOWED: { kind: 'VALIDATION', description: 'Only an educator_head can be assigned entrances.' },
  RESIDENCE_NOT_ALLOWED: { kind: 'VALIDATION', description: 'Only students live in campus rooms.' },
  RESIDENCE_REQUIRED: {
    kind: 'VALIDATION',
    description: 'student_patrol and student_head act on their own entrance, so the student needs a residence.',
  },
  UNKNOWN_ROOM: { kind: 'VALIDATION', description: 'The building has no room with this number.' },
  UNKNOWN_ENTRANCE: { kind: 'VALIDATION', description: 'An assigned entrance does not exist (details.entrances).' },
  ROOM_FULL: { kind: 'CONFLICT', description: 'The room has no free place for another active resident.' },
  INVALID_STAY_DATES: { kind: 'VALIDATION', description: 'The check-out date is before the check-in date.' },
  SELF_LOCKOUT: {
    kind: 'VALIDATION',
    description: 'An admin tried to deactivate their own account or remove their own admin role.',
  },
  EXPORT_TOO_LARGE: {
    kind: 'VALIDATION',
    description: 'More users match than one CSV export holds (details.maxRows); narrow the filter.',
  },
  TOO_MANY_USERS: {
    kind: 'VALIDATION',
    description: 'A directory query (gRPC GetUsers) matches more users than one answer holds; narrow the filter.',
  },
  CHECKOUT_NOT_STUDENT: {
    kind: 'CONFLICT',
    description:
      'A check-out (gRPC DeactivateAndVacate, from the checkout service) named a user who is not a student; nothing changed.',
  },
  CHECKOUT_FINISHED: {
    kind: 'CONFLICT',
    description:
      'The check-out already finished (its room place was released), so it cannot be undone (gRPC ReactivateAndRestore).',
  },
  ROOM_NUMBER_TAKEN: {
    kind: 'CONFLICT',
    description:
      'addRooms named room numbers the building already has, in any of its entrances (details.numbers); no room was added.',
  },
});

/** The same message whether or not the e-mail exists, so it cannot be used to probe accounts. */
export const invalidCredentials = (): DomainError =>
  IdentityErrors.error('INVALID_CREDENTIALS', 'The e-mail or password is incorrect');

export const accountDisabled = (): DomainError =>
  IdentityErrors.error('ACCOUNT_DISABLED', 'This account is deactivated');

export const tooManyAttempts = (retryAfterSeconds: number): DomainError =>
  IdentityErrors.error(
    'TOO_MANY_ATTEMPTS',
    `Too many failed sign-in attempts; try again in ${
      retryAfterSeconds < 60 ? `${retryAfterSeconds} s` : `${Math.ceil(retryAfterSeconds / 60)} min`
    }`,
    { retryAfterSeconds },
  );

export const invalidRefreshToken = (): DomainError =>
  IdentityErrors.error('INVALID_REFRESH_TOKEN', 'The refresh token is not valid');

export const refreshTokenExpired = (): DomainError =>
  IdentityErrors.error('REFRESH_TOKEN_EXPIRED', 'The refresh token has expired');

export const refreshTokenReused = (): DomainError =>
  IdentityErrors.error(
    'REFRESH_TOKEN_REUSED',
    'The refresh token was already used; all sessions of this sign-in were ended',
  );

export const weakPassword = (reason: string): DomainError =>
  IdentityErrors.error('WEAK_PASSWORD', reason, { fields: { password: reason } });

export const emailTaken = (email: string): DomainError =>
  IdentityErrors.error('EMAIL_TAKEN', `A user with e-mail ${email} already exists`, { email });

export const unknownRoom = (ref: { building: string; room: string }): DomainError =>
  IdentityErrors.error('UNKNOWN_ROOM', `Building ${ref.building} has no room ${ref.room}`, { ...ref });

export const roomFull = (ref: { building: string; room: string; capacity: number }): DomainError =>
  IdentityErrors.error('ROOM_FULL', `Room ${ref.room} of building ${ref.building} is full (${ref.capacity} places)`, {
    ...ref,
  });

/** The shared NOT_FOUND: a missing user is not identity-specific for clients. */
export const userNotFound = (id: string): DomainError => notFound(`User ${id} not found`, { id });

export const checkoutNotStudent = (userId: string): DomainError =>
  IdentityErrors.error('CHECKOUT_NOT_STUDENT', `User ${userId} is not a student; only students are checked out`, {
    userId,
  });

export const checkoutFinished = (checkoutId: string): DomainError =>
  IdentityErrors.error('CHECKOUT_FINISHED', `Check-out ${checkoutId} has finished; it cannot be undone`, {
    checkoutId,
  });

/** Room numbers are unique within a building: these exist already (in whichever entrance). */
export const roomNumbersTaken = (building: string, numbers: readonly string[]): DomainError =>
  IdentityErrors.error(
    'ROOM_NUMBER_TAKEN',
    `Building ${building} already has ${numbers.length === 1 ? 'room' : 'rooms'} ${numbers.join(', ')}; no room was added`,
    { building, numbers: [...numbers] },
  );
