// The saga's participants over gRPC: one idempotent command per step and one compensation, each
// keyed by the check-out id (proto/campus/{coworking,leave,duty,identity}/v1). Deadlines, retries on
// UNAVAILABLE within a call, service authentication and trace propagation come from the platform
// client; a failure reaches the runner as the participant's DomainError.
import {
  coworkingService,
  dutyService,
  identityService,
  leaveService,
  type CoworkingServiceDefinition,
  type DutyServiceDefinition,
  type IdentityServiceDefinition,
  type LeaveServiceDefinition,
} from '@campus/contracts';
import { createGrpcClient, type GrpcClient, type Metrics } from '@campus/platform';
import type { Saga, SagaAction, SagaPosition, StepName } from '../domain/records';
import type { Participants } from '../services/ports';

export interface ParticipantClients {
  coworking: Pick<GrpcClient<CoworkingServiceDefinition>, 'ReleaseBookingsForCheckOut' | 'RestoreBookingsForCheckOut'>;
  leave: Pick<GrpcClient<LeaveServiceDefinition>, 'WithdrawPendingForCheckOut' | 'ReinstateForCheckOut'>;
  duty: Pick<GrpcClient<DutyServiceDefinition>, 'CloseSanctionsForCheckOut' | 'ReopenSanctionsForCheckOut'>;
  identity: Pick<
    GrpcClient<IdentityServiceDefinition>,
    'DeactivateAndVacate' | 'ReactivateAndRestore' | 'FinishCheckOut'
  >;
}

export function createParticipantClients(
  urls: { coworking: string; leave: string; duty: string; identity: string },
  options: { deadlineMs: number; metrics?: Metrics },
): ParticipantClients & { close(): void } {
  const common = { deadlineMs: options.deadlineMs, ...(options.metrics ? { metrics: options.metrics } : {}) };
  const coworking = createGrpcClient(coworkingService, urls.coworking, { name: 'coworking', ...common });
  const leave = createGrpcClient(leaveService, urls.leave, { name: 'leave', ...common });
  const duty = createGrpcClient(dutyService, urls.duty, { name: 'duty', ...common });
  const identity = createGrpcClient(identityService, urls.identity, { name: 'identity', ...common });
  return {
    coworking,
    leave,
    duty,
    identity,
    close: () => [coworking, leave, duty, identity].forEach((c) => c.$close()),
  };
}

type Command = (saga: Saga) => Promise<unknown>;

/** Participants as the runner sees them: a command per forward step and a compensation per done step. */
export class GrpcParticipants implements Participants {
  private readonly forward: Record<SagaPosition, Command>;
  private readonly backward: Record<StepName, Command>;

  constructor(clients: ParticipantClients) {
    const { coworking, leave, duty, identity } = clients;
    const by = (saga: Saga) => ({ userId: saga.studentId, checkoutId: saga.id });
    const id = (saga: Saga) => ({ checkoutId: saga.id });
    this.forward = {
      release_bookings: (saga) => coworking.ReleaseBookingsForCheckOut(by(saga)),
      withdraw_leave: (saga) => leave.WithdrawPendingForCheckOut(by(saga)),
      close_sanctions: (saga) => duty.CloseSanctionsForCheckOut(by(saga)),
      deactivate_account: (saga) => identity.DeactivateAndVacate(by(saga)),
      finish: (saga) => identity.FinishCheckOut(id(saga)),
    };
    this.backward = {
      release_bookings: (saga) => coworking.RestoreBookingsForCheckOut(id(saga)),
      withdraw_leave: (saga) => leave.ReinstateForCheckOut(id(saga)),
      close_sanctions: (saga) => duty.ReopenSanctionsForCheckOut(id(saga)),
      deactivate_account: (saga) => identity.ReactivateAndRestore(id(saga)),
    };
  }

  async run(action: SagaAction, saga: Saga): Promise<void> {
    await (action.kind === 'do' ? this.forward[action.step] : this.backward[action.step])(saga);
  }
}
