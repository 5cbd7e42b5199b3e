import { z } from 'zod';
import {
  envTypes,
  grpcDependencyEnv,
  loadConfig,
  subgraphEnv,
  subgraphSettings,
  type SubgraphSettings,
} from '@campus/platform';
import { POSITIONS, type SagaPosition } from './domain/records';
import type { SagaPolicy } from './domain/saga';

/** The checkout service's environment; its defaults are its row in scripts/lib/services.ts. */
export const checkoutEnv = z.object({
  ...subgraphEnv('checkout', 4007, 50057),
  // The participants of the saga (and identity for who the students are).
  ...grpcDependencyEnv('IDENTITY', 50051),
  ...grpcDependencyEnv('COWORKING', 50054),
  ...grpcDependencyEnv('LEAVE', 50055),
  ...grpcDependencyEnv('DUTY', 50053),
  /** How long one step may keep failing with UNAVAILABLE (from its first failure) before the saga compensates. */
  CHECKOUT_STEP_TIMEOUT_SECONDS: envTypes.seconds.default(60),
  /** How long a student's check-out may take before it compensates (counted from the request). */
  CHECKOUT_SAGA_TIMEOUT_SECONDS: envTypes.seconds.default(900),
  /**
   * How long one compensation may keep failing with UNAVAILABLE (from its first failure) before the
   * saga gives up undoing and ends FAILED with CHECKOUT_COMPENSATION_INCOMPLETE, for an operator.
   */
  CHECKOUT_COMPENSATION_TIMEOUT_SECONDS: envTypes.seconds.default(86_400),
  /** First retry delay of a failed step or compensation, doubled per attempt up to the max. */
  CHECKOUT_RETRY_BASE_MS: envTypes.positiveInt.default(500),
  CHECKOUT_RETRY_MAX_MS: envTypes.positiveInt.default(30_000),
  /** Sagas one orchestrator process drives at once. */
  CHECKOUT_CONCURRENCY: envTypes.positiveInt.default(8),
  /** A claimed saga stays this process's for so long (a killed process's sagas resume after it). */
  CHECKOUT_LEASE_SECONDS: envTypes.seconds.default(20),
  /** Deadline of one participant call (gRPC, retries on UNAVAILABLE included). */
  CHECKOUT_CALL_DEADLINE_MS: envTypes.positiveInt.default(5_000),
  /** How often the scheduler's tick looks for due sagas (cron in CAMPUS_TIMEZONE, 6 fields = seconds). */
  CHECKOUT_TICK_CRON: z.string().min(1).default('*/2 * * * * *'),
  /**
   * Fault injection, to exercise compensations on a real stack (refused when NODE_ENV=production):
   * comma-separated `<step>:<studentId or *>[:unavailable]`; a matching forward step is refused
   * (CHECKOUT_INJECTED_FAULT) or, with `:unavailable`, fails as if its service were down.
   */
  CHECKOUT_INJECT_FAULTS: z.string().default(''),
});

/** One injected fault: the forward step `step` fails for `studentId` ('*': everyone). */
export interface InjectedFault {
  step: SagaPosition;
  studentId: string;
  kind: 'refused' | 'unavailable';
}

export interface CheckoutConfig extends SubgraphSettings {
  identityGrpcUrl: string;
  coworkingGrpcUrl: string;
  leaveGrpcUrl: string;
  dutyGrpcUrl: string;
  policy: SagaPolicy;
  concurrency: number;
  leaseMs: number;
  callDeadlineMs: number;
  tickCron: string;
  faults: InjectedFault[];
}

export function parseFaults(text: string): InjectedFault[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [step, studentId, kind = 'refused'] = part.split(':');
      if (!POSITIONS.includes(step as SagaPosition) || !studentId || (kind !== 'refused' && kind !== 'unavailable')) {
        throw new Error(
          `CHECKOUT_INJECT_FAULTS: "${part}" is not <step>:<studentId|*>[:unavailable] (steps: ${POSITIONS.join(', ')})`,
        );
      }
      return { step: step as SagaPosition, studentId, kind };
    });
}

export function loadCheckoutConfig(env: NodeJS.ProcessEnv = process.env): CheckoutConfig {
  const e = loadConfig(checkoutEnv, env);
  const faults = parseFaults(e.CHECKOUT_INJECT_FAULTS);
  if (faults.length && e.NODE_ENV === 'production') {
    throw new Error('CHECKOUT_INJECT_FAULTS is refused in production');
  }
  return {
    ...subgraphSettings(e),
    identityGrpcUrl: e.IDENTITY_GRPC_URL,
    coworkingGrpcUrl: e.COWORKING_GRPC_URL,
    leaveGrpcUrl: e.LEAVE_GRPC_URL,
    dutyGrpcUrl: e.DUTY_GRPC_URL,
    policy: {
      stepTimeoutMs: e.CHECKOUT_STEP_TIMEOUT_SECONDS * 1000,
      sagaTimeoutMs: e.CHECKOUT_SAGA_TIMEOUT_SECONDS * 1000,
      compensationTimeoutMs: e.CHECKOUT_COMPENSATION_TIMEOUT_SECONDS * 1000,
      retryBaseMs: e.CHECKOUT_RETRY_BASE_MS,
      retryMaxMs: e.CHECKOUT_RETRY_MAX_MS,
    },
    concurrency: e.CHECKOUT_CONCURRENCY,
    leaseMs: e.CHECKOUT_LEASE_SECONDS * 1000,
    callDeadlineMs: e.CHECKOUT_CALL_DEADLINE_MS,
    tickCron: e.CHECKOUT_TICK_CRON,
    faults,
  };
}
