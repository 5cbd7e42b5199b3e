export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors?: Array<{
    message: string;
    path?: (string | number)[];
    extensions?: { code?: string; details?: Record<string, unknown> };
  }>;
}

export interface GraphQLRequestOptions {
  variables?: Record<string, unknown>;
  token?: string;
  headers?: Record<string, string>;
}

/** Posts one GraphQL operation, the way a browser client would. */
export async function graphqlRequest<T = Record<string, unknown>>(
  url: string,
  query: string,
  options: GraphQLRequestOptions = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const text = await res.text();
  let body: { data?: T | null; errors?: GraphQLResponse['errors'] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON GraphQL response (${res.status}): ${text.slice(0, 500)}`);
  }
  return { status: res.status, headers: res.headers, data: body.data, ...(body.errors ? { errors: body.errors } : {}) };
}

/** The error codes of a response, in order. */
export const errorCodes = (response: GraphQLResponse<unknown>): string[] =>
  (response.errors ?? []).map((e) => String(e.extensions?.code));
