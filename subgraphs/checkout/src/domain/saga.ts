// The check-out saga's definition (architecture standard: orchestration): which action comes next and
// what an action's outcome does to the saga. Pure: the runner (services/saga-runner.service.ts) does
// the calls and persists what this returns, so a restarted orchestrator resumes from the stored state.
import {
  STEPS,
  type ParticipantError,
  type Saga,
  type SagaAction,
  type SagaFailure,
  type SagaPosition,
  type StepName,
  type StepOutcome,
} from './records';

export interface SagaPolicy {
  /** How long one forward step may keep failing with UNAVAILABLE (from its first failure) before the saga compensates. */
  stepTimeoutMs: number;
  /** How long the forward part of a saga may take in all. */
  sagaTimeoutMs: number;
  /** First retry delay; doubled per failed attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
}

/** The participant code of a held coworking key: the one business refusal with a code of its own. */
export const KEY_HELD_PARTICIPANT_CODE = 'COWRK_KEY_HELD';

/** Which service does a step (for messages and metrics). */
export const PARTICIPANT_OF: Record<SagaPosition, string> = {
  release_bookings: 'coworking',
  withdraw_leave: 'leave',
  close_sanctions: 'duty',
  deactivate_account: 'identity',
  finish: 'identity',
};

export function retryDelayMs(policy: SagaPolicy, attempt: number): number {
  return Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
}

/** What the saga needs next; null once it has ended. */
export function nextAction(saga: Saga): SagaAction | null {
  if (saga.status === 'running') return { kind: 'do', step: saga.step };
  if (saga.status === 'compensating') {
    const step = saga.toCompensate[0];
    return step ? { kind: 'undo', step } : null;
  }
  return null;
}

/** The forward step after `step` (the last one is followed by `finish`). */
export function stepAfter(step: StepName): SagaPosition {
  return STEPS[STEPS.indexOf(step) + 1] ?? 'finish';
}

/** A participant's refusal as the check-out's failure: a held key keeps its own code and names the coworking. */
export function refusalFailure(step: SagaPosition, error: ParticipantError): SagaFailure {
  if (error.code === KEY_HELD_PARTICIPANT_CODE) {
    const name = typeof error.details.coworkingName === 'string' ? error.details.coworkingName : 'a coworking';
    return {
      step,
      code: 'CHECKOUT_KEY_HELD',
      reason: `The student holds the key of ${name}; it must come back before the check-out`,
      details: { ...error.details, participantCode: error.code },
    };
  }
  return {
    step,
    code: 'CHECKOUT_STEP_REFUSED',
    reason: `${PARTICIPANT_OF[step]} refused: ${error.message}`,
    details: { ...error.details, participantCode: error.code },
  };
}

function timeoutFailure(
  step: SagaPosition,
  error: ParticipantError,
  policy: SagaPolicy,
  sagaExpired: boolean,
): SagaFailure {
  const limit = sagaExpired ? `the check-out's ${policy.sagaTimeoutMs / 1000} s` : `${policy.stepTimeoutMs / 1000} s`;
  return {
    step,
    code: 'CHECKOUT_STEP_TIMED_OUT',
    reason: `The ${PARTICIPANT_OF[step]} service did not complete ${step} within ${limit} (last error: ${error.message})`,
    details: { participantCode: error.code },
  };
}

/** Stops the forward part: undo `toUndo` (in reverse order of doing), or end failed when there is nothing to undo. */
function compensate(saga: Saga, failure: SagaFailure, toUndo: readonly StepName[], now: Date): Saga {
  const toCompensate = [...toUndo].reverse();
  return {
    ...saga,
    status: toCompensate.length ? 'compensating' : 'failed',
    failure,
    toCompensate,
    attempt: 0,
    nextAttemptAt: now,
    lastError: null,
    endedAt: toCompensate.length ? null : now,
  };
}

/**
 * The saga after `action` came to `outcome` at `now`.
 *
 * Forward: done → the next step (or `finish`, then succeeded). Refused → compensate the done steps
 * (the refusing step changed nothing). Unavailable → retry with backoff until the step's deadline
 * or the saga's, then compensate the done steps AND this one (its effect is unknown; compensations
 * are idempotent and a participant undoes nothing it did not do).
 *
 * Compensation: done → the next one (none left: failed). Anything else → retry with backoff, for as
 * long as it takes: a compensation has no deadline, because giving up would leave the student half
 * checked out (operators see it through lastError, attempts and the alert on long compensations).
 */
export function advance(saga: Saga, action: SagaAction, outcome: StepOutcome, now: Date, policy: SagaPolicy): Saga {
  const base: Saga = { ...saga, updatedAt: now };
  if (action.kind === 'undo') {
    if (outcome.kind === 'done') {
      const toCompensate = base.toCompensate.slice(1);
      return {
        ...base,
        toCompensate,
        compensated: [...base.compensated, action.step],
        attempt: 0,
        nextAttemptAt: now,
        lastError: null,
        status: toCompensate.length ? 'compensating' : 'failed',
        endedAt: toCompensate.length ? null : now,
      };
    }
    const attempt = base.attempt + 1;
    return {
      ...base,
      attempt,
      nextAttemptAt: new Date(now.getTime() + retryDelayMs(policy, attempt)),
      lastError: `${outcome.error.code}: ${outcome.error.message}`,
    };
  }

  const step = action.step;
  if (outcome.kind === 'done') {
    if (step === 'finish') return { ...base, status: 'succeeded', attempt: 0, lastError: null, endedAt: now };
    return {
      ...base,
      done: [...base.done, step],
      step: stepAfter(step),
      attempt: 0,
      stepStartedAt: now,
      nextAttemptAt: now,
      lastError: null,
    };
  }
  if (outcome.kind === 'refused') return compensate(base, refusalFailure(step, outcome.error), base.done, now);

  const attempt = base.attempt + 1;
  // A step's deadline runs from its first failure: a saga queued behind a big batch loses no time.
  const stepStartedAt = base.attempt === 0 ? now : base.stepStartedAt;
  const stepExpired = now.getTime() >= stepStartedAt.getTime() + policy.stepTimeoutMs;
  const sagaExpired = now.getTime() >= base.deadlineAt.getTime();
  if (stepExpired || sagaExpired) {
    const maybeDone = step === 'finish' ? base.done : [...base.done, step];
    return compensate(base, timeoutFailure(step, outcome.error, policy, sagaExpired), maybeDone, now);
  }
  return {
    ...base,
    attempt,
    stepStartedAt,
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(policy, attempt)),
    lastError: `${outcome.error.code}: ${outcome.error.message}`,
  };
}

/** A new saga for one student of a batch, at its first step. */
export function startSaga(input: {
  id: string;
  batchId: string;
  student: { id: string; fullName: string; room: Saga['room'] };
  requestedBy: string;
  reason: string;
  now: Date;
  policy: SagaPolicy;
}): Saga {
  const { now } = input;
  return {
    id: input.id,
    batchId: input.batchId,
    studentId: input.student.id,
    studentName: input.student.fullName,
    room: input.student.room,
    requestedBy: input.requestedBy,
    reason: input.reason,
    status: 'running',
    step: STEPS[0],
    attempt: 0,
    stepStartedAt: now,
    nextAttemptAt: now,
    deadlineAt: new Date(now.getTime() + input.policy.sagaTimeoutMs),
    done: [],
    toCompensate: [],
    compensated: [],
    failure: null,
    lastError: null,
    version: 0,
    createdAt: now,
    updatedAt: now,
    endedAt: null,
  };
}

export const isEnded = (saga: Pick<Saga, 'status'>): boolean => saga.status === 'succeeded' || saga.status === 'failed';
