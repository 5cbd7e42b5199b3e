import type { ApolloServerPlugin } from '@apollo/server';
import type { RouterContext } from './context';
import { routerErrors } from './errors';
import { toGraphQLError } from './graphql-errors';

/** Client-chosen text echoed in an error is kept short. */
const MAX_ECHOED_NAME = 128;

/**
 * Refuses, as the client's mistake (400), an operationName the document does not define (or a
 * document of several operations without one) and subscriptions, which the gateway would otherwise
 * fail on as internal errors. List it first: it answers before the other plugins look at the operation.
 */
export function operationGuardPlugin(): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) {
            const asked = typeof request.operationName === 'string' ? request.operationName : null;
            throw toGraphQLError(routerErrors.operationNotFound(asked && asked.slice(0, MAX_ECHOED_NAME)));
          }
          if (operation.operation === 'subscription') throw toGraphQLError(routerErrors.subscriptionsNotSupported());
        },
      };
    },
  };
}
