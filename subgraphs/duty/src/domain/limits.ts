/**
 * Limits that input validation (schemas/) and the use cases (services/) share, as MAX_* constants
 * (see subgraphs/leave/src/domain/limits.ts).
 */

/** The largest photo a report takes (domain spec §6: JPG/PNG up to 5 MB). */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** The most photos one report holds (a few per category; bounds storage per duty). */
export const MAX_PHOTOS_PER_REPORT = 30;

/** The longest rejection reason kept. */
export const MAX_REJECTION_REASON_LENGTH = 1000;

/**
 * How many months after the current campus month a roster may be generated for: a month further
 * ahead is a typo, and a roster is never deleted (its month could not be generated again).
 */
export const MAX_ROSTER_MONTHS_AHEAD = 12;
