import { randomUUID } from 'node:crypto';
import type { AuthContext, Clock } from '@campus/platform';
import { CheckoutErrors } from '../domain/errors';
import { MAX_BATCH_SIZE } from '../domain/limits';
import { CHECKOUT_REQUESTERS, requireAnyRole, requireInScope } from '../domain/policy';
import type { Batch, CohortFilter, RunningPolicy, Student } from '../domain/records';
import { startSaga, type SagaPolicy } from '../domain/saga';
import { batchRequested } from '../events/checkout-events';
import type { SagaStore, StudentDirectory } from './ports';

export interface CheckoutRequestsOptions {
  store: SagaStore;
  students: StudentDirectory;
  clock: Clock;
  policy: SagaPolicy;
  /** Called once a batch is stored: the runner starts on it now rather than at its next tick. */
  onBatchCreated?: () => void;
}

/**
 * Starting check-outs (domain spec §9): a list of students or a cohort becomes a batch with one
 * saga per student. Who they are comes from identity at request time (names and rooms are kept, as
 * the accounts will be deactivated); nothing starts unless every student is an active student in
 * the caller's scope. A student whose check-out is still in progress refuses a list that names them
 * (the caller chose them), but is only left out of a cohort (a filter cannot leave them out, and a
 * check-out being compensated may retry for long while identity already shows them active again):
 * the batch names them in `skippedRunning`.
 */
export class CheckoutRequests {
  constructor(private readonly options: CheckoutRequestsOptions) {}

  async checkOut(auth: AuthContext | null, input: { userIds: string[]; reason: string }): Promise<Batch> {
    const caller = requireAnyRole(auth, CHECKOUT_REQUESTERS, 'checkout.request');
    const found = await this.options.students.activeUsers(input.userIds);
    const students = new Map(found.filter((s) => s.isStudent).map((s) => [s.id, s]));
    const missing = input.userIds.filter((id) => !students.has(id));
    if (missing.length) {
      throw CheckoutErrors.error(
        'STUDENTS_NOT_FOUND',
        `${missing.length} of these ids ${missing.length === 1 ? 'is' : 'are'} not an active student`,
        { userIds: missing },
      );
    }
    return this.start(caller, [...students.values()], input.reason, null, 'refuse');
  }

  async checkOutCohort(auth: AuthContext | null, input: { filter: CohortFilter; reason: string }): Promise<Batch> {
    const caller = requireAnyRole(auth, CHECKOUT_REQUESTERS, 'checkout.request');
    const students = await this.options.students.cohort(input.filter);
    if (!students.length)
      throw CheckoutErrors.error('COHORT_EMPTY', 'No active student matches this cohort', { filter: input.filter });
    if (students.length > MAX_BATCH_SIZE) {
      throw CheckoutErrors.error('BATCH_TOO_LARGE', `The cohort has more than ${MAX_BATCH_SIZE} students; narrow it`, {
        max: MAX_BATCH_SIZE,
      });
    }
    return this.start(caller, students, input.reason, input.filter, 'skip');
  }

  private async start(
    caller: AuthContext,
    students: readonly Student[],
    reason: string,
    cohort: CohortFilter | null,
    whenRunning: RunningPolicy,
  ): Promise<Batch> {
    requireInScope(caller, students);
    const now = this.options.clock.now();
    const batch: Batch = {
      id: randomUUID(),
      requestedBy: caller.userId,
      reason,
      cohort,
      total: students.length,
      skippedRunning: [],
      createdAt: now,
      endedAt: null,
    };
    const sagas = students.map((student) =>
      startSaga({
        id: randomUUID(),
        batchId: batch.id,
        student,
        requestedBy: caller.userId,
        reason,
        now,
        policy: this.options.policy,
      }),
    );
    const stored = await this.options.store.createBatch({
      batch,
      sagas,
      whenRunning,
      events: (b) => [batchRequested(b)],
    });
    this.options.onBatchCreated?.();
    return stored;
  }
}
