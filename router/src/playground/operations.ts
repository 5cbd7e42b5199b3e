/** The example operations the playground opens with, and the one its toolbar signs in with. */

export interface DemoCredentials {
  email: string;
  password: string;
}

export interface PlaygroundTab {
  query: string;
  variables?: string;
}

/** The seeded demo account, prefilled outside production. */
export const DEMO_CREDENTIALS: DemoCredentials = { email: 'educator@sirius.local', password: 'sirius2026' };

/**
 * Identity's sign-in and sign-out mutations (identity owns `login`, `logout`, `refreshSession`).
 * The toolbar reads `accessToken`, `refreshToken`, `expiresAt` and `user { fullName roles }`.
 */
export const LOGIN_MUTATION = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    accessToken
    refreshToken
    expiresAt
    user {
      fullName
      roles
    }
  }
}`;

export const LOGOUT_MUTATION = `mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken)
}`;

export function defaultTabs(credentials: DemoCredentials | undefined): PlaygroundTab[] {
  const variables = credentials ?? { email: 'you@sirius.local', password: '' };
  return [
    {
      query: `# Sign in here or with the toolbar above; the toolbar puts the token into the Headers tab.\n${LOGIN_MUTATION}\n`,
      variables: JSON.stringify(variables, null, 2),
    },
    { query: `query Me {\n  me {\n    fullName\n    roles\n  }\n}\n` },
    {
      query: `query Residents {\n  users(filter: { building: "8", entrance: 1 }) {\n    total\n    items {\n      fullName\n      residence {\n        room\n      }\n    }\n  }\n}\n`,
    },
    {
      query: `query Campus {\n  campus {\n    code\n    entrances {\n      number\n      rooms {\n        number\n        residents {\n          fullName\n        }\n      }\n    }\n  }\n}\n`,
    },
  ];
}
