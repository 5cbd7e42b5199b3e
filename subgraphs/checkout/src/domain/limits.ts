/** Limits that input validation (schemas/) and the use cases (services/) share. */

/** Students per batch (a list or a cohort; a bigger cohort is narrowed by entrance): well below identity's 1000 users per call, so a cohort over the limit is seen, not cut. */
export const MAX_BATCH_SIZE = 500;
/** The reason staff give for a check-out. */
export const MAX_REASON_LENGTH = 500;
