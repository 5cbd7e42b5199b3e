/** Role codes as identity issues them in access tokens; every service authorises with these words. */
export const ROLES = ['student', 'student_patrol', 'student_head', 'educator', 'educator_head', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Educators and administrators. */
export const STAFF_ROLES: readonly Role[] = ['educator', 'educator_head', 'admin'];
/** Students, whatever their duty. */
export const STUDENT_ROLES: readonly Role[] = ['student', 'student_patrol', 'student_head'];
