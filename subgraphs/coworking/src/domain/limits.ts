/**
 * Limits that input validation (schemas/) and the use cases (services/) share, as MAX_* constants;
 * none yet (see subgraphs/leave/src/domain/limits.ts).
 */
export {};
