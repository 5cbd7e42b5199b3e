import { timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode } from 'graphql';
import { ErrorCodes } from '../errors';
import { UNSAFE_TEXT_MESSAGE, isUnsafeText, unsafeTextPaths } from '../validation';

// Apollo plugins every subgraph runs before executing a document.

/** The header a trusted internal caller (rover, the composition job) sends to introspect in production. */
export const SERVICE_TOKEN_HEADER = 'x-campus-service-token';

/** Fields that describe the schema itself; `_service { sdl }` is federation's. */
const SCHEMA_FIELDS = new Set(['__schema', '__type', '_service']);

/**
 * What a walk over a document found, per parsed document: Apollo Server hands the same DocumentNode
 * to every request with the same text (its document cache), so each document is walked once, not
 * on every request (the walks were ~1.3 % of a subgraph's CPU under load).
 */
function perDocument<T>(walk: (document: DocumentNode) => T): (document: DocumentNode) => T {
  const found = new WeakMap<DocumentNode, T>();
  return (document) => {
    if (found.has(document)) return found.get(document) as T;
    const result = walk(document);
    found.set(document, result);
    return result;
  };
}

/** Where a string literal with unsafe text sits in the document: `document.<field>.<argument>`. */
export const unsafeLiteralPaths = perDocument((document: DocumentNode): readonly string[] => {
  const paths: string[] = [];
  const where: string[] = [];
  visit(document, {
    Field: { enter: (node) => void where.push(node.name.value), leave: () => void where.pop() },
    Argument: { enter: (node) => void where.push(node.name.value), leave: () => void where.pop() },
    ObjectField: { enter: (node) => void where.push(node.name.value), leave: () => void where.pop() },
    StringValue(node) {
      if (isUnsafeText(node.value)) paths.push(['document', ...where].join('.'));
    },
  });
  return paths;
});

/** Whether the document asks for the schema itself anywhere. */
export const asksForSchema = perDocument((document: DocumentNode): boolean => {
  let found = false;
  visit(document, {
    Field(node) {
      if (SCHEMA_FIELDS.has(node.name.value)) found = true;
    },
  });
  return found;
});

/**
 * Refuses, with VALIDATION_ERROR naming each path, any variable or string literal containing NUL or
 * a lone surrogate (the shared rule of ../validation.ts), before a resolver can hand it to a database.
 */
export function safeTextPlugin(): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const paths = [...unsafeTextPaths(request.variables ?? {}, ['variables']), ...unsafeLiteralPaths(document)];
          if (!paths.length) return;
          throw new GraphQLError('Invalid input', {
            extensions: {
              code: ErrorCodes.VALIDATION,
              details: { fields: Object.fromEntries(paths.map((p) => [p, UNSAFE_TEXT_MESSAGE])) },
              http: { status: 400 },
            },
          });
        },
      };
    },
  };
}

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * In production a subgraph is reached only through the router, which serves the composed schema:
 * `__schema`, `__type` and `_service` are refused unless the request carries SERVICE_TOKEN_HEADER
 * equal to `serviceToken` (without a configured token, always refused).
 */
export function schemaIntrospectionGate(serviceToken: string | undefined): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          if (!asksForSchema(document)) return;
          const given = request.http?.headers.get(SERVICE_TOKEN_HEADER);
          if (serviceToken && given && sameSecret(given, serviceToken)) return;
          throw new GraphQLError('Schema introspection is not available on this service', {
            extensions: { code: ErrorCodes.FORBIDDEN, details: {}, http: { status: 403 } },
          });
        },
      };
    },
  };
}
