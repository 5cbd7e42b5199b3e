// Fault injection for exercising compensations on a real stack (CHECKOUT_INJECT_FAULTS; refused in
// production by the config): a matching forward step fails before its participant is called.
import { unavailable } from '@campus/platform';
import type { InjectedFault } from '../config';
import { CheckoutErrors } from '../domain/errors';
import type { Saga, SagaAction } from '../domain/records';
import type { Participants } from '../services/ports';

export class FaultInjectingParticipants implements Participants {
  constructor(
    private readonly inner: Participants,
    private readonly faults: readonly InjectedFault[],
  ) {}

  async run(action: SagaAction, saga: Saga): Promise<void> {
    const fault =
      action.kind === 'do' &&
      this.faults.find((f) => f.step === action.step && (f.studentId === '*' || f.studentId === saga.studentId));
    if (fault) {
      if (fault.kind === 'unavailable')
        throw unavailable(`Injected: ${action.step} is unavailable`, { injected: true });
      throw CheckoutErrors.error('INJECTED_FAULT', `Injected failure of ${action.step}`, { step: action.step });
    }
    await this.inner.run(action, saga);
  }
}
