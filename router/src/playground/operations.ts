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
 * The sign-in mutation. The toolbar reads `data.login.accessToken` and `data.login.user`
 * (fullName, roles) from its result, so the selection below must keep those fields.
 */
export const LOGIN_MUTATION = `mutation Login($email: String!, $password: String!) {
  login(input: { email: $email, password: $password }) {
    accessToken
    user {
      fullName
      roles
    }
  }
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
