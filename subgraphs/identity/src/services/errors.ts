// Identity's stable error codes. Transports map the kind (VALIDATION, UNAUTHENTICATED, …) to their
// own status; clients branch on the code.
import { DomainError, conflict, notFound, unauthenticated, validationError, type ErrorDetails } from '@campus/platform';

export const IdentityErrorCodes = {
  INVALID_CREDENTIALS: 'AUTH_INVALID_CREDENTIALS',
  ACCOUNT_DISABLED: 'AUTH_ACCOUNT_DISABLED',
  TOO_MANY_ATTEMPTS: 'AUTH_TOO_MANY_ATTEMPTS',
  INVALID_REFRESH_TOKEN: 'AUTH_INVALID_REFRESH_TOKEN',
  REFRESH_TOKEN_EXPIRED: 'AUTH_REFRESH_TOKEN_EXPIRED',
  REFRESH_TOKEN_REUSED: 'AUTH_REFRESH_TOKEN_REUSED',
  WEAK_PASSWORD: 'AUTH_WEAK_PASSWORD',
  CURRENT_PASSWORD_REQUIRED: 'AUTH_CURRENT_PASSWORD_REQUIRED',
  EMAIL_TAKEN: 'AUTH_EMAIL_TAKEN',
  DUPLICATE_EMAIL_IN_FILE: 'AUTH_DUPLICATE_EMAIL_IN_FILE',
  ROLES_REQUIRED: 'AUTH_ROLES_REQUIRED',
  INVALID_ROLE_COMBINATION: 'AUTH_INVALID_ROLE_COMBINATION',
  ENTRANCES_NOT_ALLOWED: 'AUTH_ENTRANCES_NOT_ALLOWED',
  RESIDENCE_NOT_ALLOWED: 'AUTH_RESIDENCE_NOT_ALLOWED',
  RESIDENCE_REQUIRED: 'AUTH_RESIDENCE_REQUIRED',
  UNKNOWN_ROOM: 'AUTH_UNKNOWN_ROOM',
  UNKNOWN_ENTRANCE: 'AUTH_UNKNOWN_ENTRANCE',
  ROOM_FULL: 'AUTH_ROOM_FULL',
  INVALID_STAY_DATES: 'AUTH_INVALID_STAY_DATES',
  SELF_LOCKOUT: 'AUTH_SELF_LOCKOUT',
  EXPORT_TOO_LARGE: 'AUTH_EXPORT_TOO_LARGE',
  TOO_MANY_USERS: 'AUTH_TOO_MANY_USERS',
} as const;

const C = IdentityErrorCodes;

/** The same message whether or not the e-mail exists, so it cannot be used to probe accounts. */
export const invalidCredentials = () => unauthenticated('The e-mail or password is incorrect', {}, C.INVALID_CREDENTIALS);

export const accountDisabled = () => unauthenticated('This account is deactivated', {}, C.ACCOUNT_DISABLED);

export const tooManyAttempts = (retryAfterSeconds: number) =>
  new DomainError(
    'TOO_MANY_REQUESTS',
    C.TOO_MANY_ATTEMPTS,
    `Too many failed sign-in attempts; try again in ${Math.ceil(retryAfterSeconds / 60)} min`,
    { retryAfterSeconds },
  );

export const invalidRefreshToken = () => unauthenticated('The refresh token is not valid', {}, C.INVALID_REFRESH_TOKEN);
export const refreshTokenExpired = () => unauthenticated('The refresh token has expired', {}, C.REFRESH_TOKEN_EXPIRED);
export const refreshTokenReused = () =>
  unauthenticated('The refresh token was already used; all sessions of this sign-in were ended', {}, C.REFRESH_TOKEN_REUSED);

export const weakPassword = (reason: string) => validationError(reason, { fields: { password: reason } }, C.WEAK_PASSWORD);

export const emailTaken = (email: string) => conflict(`A user with e-mail ${email} already exists`, { email }, C.EMAIL_TAKEN);

export const unknownRoom = (ref: { building: string; room: string }) =>
  validationError(`Building ${ref.building} has no room ${ref.room}`, { ...ref }, C.UNKNOWN_ROOM);

export const roomFull = (ref: { building: string; room: string; capacity: number }) =>
  conflict(`Room ${ref.room} of building ${ref.building} is full (${ref.capacity} places)`, { ...ref }, C.ROOM_FULL);

export const userNotFound = (id: string) => notFound(`User ${id} not found`, { id });

export const identityValidation = (code: keyof typeof IdentityErrorCodes, message: string, details: ErrorDetails = {}) =>
  validationError(message, details, IdentityErrorCodes[code]);
