/** A GraphQL POST with full control of the body (operationName, several operations) and headers. */
export interface GraphQLBody {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}

export interface RawGraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{
      message: string;
      extensions?: { code?: string; details?: Record<string, unknown>; traceId?: string };
    }>;
    error_code?: string;
    message?: string;
    details?: Record<string, unknown>;
  };
}

export async function postGraphQL(
  url: string,
  body: GraphQLBody,
  headers: Record<string, string> = {},
): Promise<RawGraphQLResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as RawGraphQLResponse['body'] };
}

/** The anonymous sign-in request the playground sends. */
export const LOGIN: GraphQLBody = {
  query:
    'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
  operationName: 'Login',
  variables: { email: 'educator@sirius.local', password: 'sirius2026' },
};
