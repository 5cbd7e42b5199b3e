import { Metrics } from '@campus/platform';
import { Kind, parse } from 'graphql';
import { LOGIN_MUTATION, LOGOUT_MUTATION, defaultTabs } from './playground/operations';

/** The label of every GraphQL operation whose name is not a known one. */
export const OTHER_OPERATION = 'other';

/** The operation names of the documents the router knows: the playground's sign-in, sign-out and examples. */
export function playgroundOperationNames(): string[] {
  const documents = [LOGIN_MUTATION, LOGOUT_MUTATION, ...defaultTabs(undefined).map((tab) => tab.query)];
  return documents.flatMap((source) =>
    parse(source).definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION && d.name ? [d.name.value] : [])),
  );
}

/**
 * The router's metrics. Clients choose operation names freely, and every distinct label value is a
 * new time series kept until restart, so GraphQL samples are labelled only by known names (the
 * playground's and METRICS_OPERATION_NAMES), "anonymous", or "other". Logs keep the name as sent.
 */
export class RouterMetrics extends Metrics {
  private readonly knownOperations: ReadonlySet<string>;

  constructor(allowedOperationNames: readonly string[]) {
    super('router');
    this.knownOperations = new Set([...playgroundOperationNames(), ...allowedOperationNames, 'anonymous']);
  }

  override observeRequest(transport: 'http' | 'graphql', operation: string, outcome: string, seconds: number): void {
    const label = transport === 'graphql' && !this.knownOperations.has(operation) ? OTHER_OPERATION : operation;
    super.observeRequest(transport, label, outcome, seconds);
  }
}
