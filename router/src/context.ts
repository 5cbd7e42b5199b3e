import type { AuthContext } from '@campus/platform';

/** Per-request state of a GraphQL operation in the router. */
export interface RouterContext {
  /** The verified caller, or null for an anonymous request. */
  auth: AuthContext | null;
  requestId: string;
  /** Whom the rate limits count this request against (clientKey); set for every HTTP request. */
  client?: string;
  /** Headers every subgraph call of this operation carries (identity and trace context). */
  forwardHeaders: Record<string, string>;
}

/** The header carrying the caller's address to the subgraphs (set by the router, not forwarded). */
export const CLIENT_ADDRESS_HEADER = 'x-campus-client';

/** Request headers the router passes on to subgraphs. */
export const FORWARDED_HEADERS = ['authorization', 'x-request-id', 'traceparent', 'tracestate'] as const;
