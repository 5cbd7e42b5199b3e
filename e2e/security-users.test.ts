// Who reads which User field, through the router, whichever path reaches the user: `me`, `user(id)`,
// `users`, the `campus` tree, and a leave application's applicant, decidedBy and history actors
// (federated references resolved by identity's `_entities`). The rule (identity's
// domain/user-fields.ts): the user themself and staff read everything; a student_head email, phone
// and isMinor of their own entrance's residents; a student_patrol isMinor of its entrance; anybody
// else none of the protected fields (null), names always.
import path from 'node:path';
import { REPO_ROOT } from '@campus/testkit';
import { calculateJwkThumbprint, type JWK } from 'jose';
import pg from 'pg';
import { isSealed, signingKeyCipherFrom } from '../subgraphs/identity/src/adapters/signing-key-cipher';
import { DEMO_PASSWORD, startStack, type Stack } from './support/stack';

jest.setTimeout(180_000);

const PROTECTED = ['email', 'phone', 'isMinor', 'isActive', 'checkInDate', 'checkOutDate', 'parentContact'] as const;
type Field = (typeof PROTECTED)[number];
const USER_FIELDS = `id fullName ${PROTECTED.filter((f) => f !== 'parentContact').join(' ')} parentContact { name phone }`;

type UserView = { id: string; fullName: string | null } & Record<Field, unknown>;

type Viewer = 'self' | 'otherStudent' | 'headSame' | 'headOther' | 'patrolSame' | 'patrolOther' | 'educator' | 'admin';
const VIEWERS: Viewer[] = [
  'self',
  'otherStudent',
  'headSame',
  'headOther',
  'patrolSame',
  'patrolOther',
  'educator',
  'admin',
];

/** What each viewer may read of the minor student (building 8, entrance 1) and of the educator. */
const READABLE: Record<'minor' | 'educator', Record<Viewer, readonly Field[]>> = {
  minor: {
    self: PROTECTED,
    otherStudent: [],
    headSame: ['email', 'phone', 'isMinor'],
    headOther: [],
    patrolSame: ['isMinor'],
    patrolOther: [],
    educator: PROTECTED,
    admin: PROTECTED,
  },
  educator: {
    self: [],
    otherStudent: [],
    headSame: [],
    headOther: [],
    patrolSame: [],
    patrolOther: [],
    educator: PROTECTED,
    admin: PROTECTED,
  },
};

/** The paths each viewer must have reached the minor by (the test fails if one went missing). */
const EXPECTED_PATHS: Record<Viewer, string[]> = {
  self: ['me', 'user', 'leave.applicant'],
  otherStudent: [],
  headSame: ['campus'],
  headOther: [],
  patrolSame: [],
  patrolOther: [],
  educator: ['user', 'users', 'campus', 'leave.applicant'],
  admin: ['user', 'users', 'campus', 'leave.applicant'],
};

let stack: Stack;
const tokens = {} as Record<Viewer, string>;
const ids = { minor: '', educator: '' };
/** Every protected field of the minor and the educator, as an admin reads them. */
const truth = {} as Record<'minor' | 'educator', UserView>;
let applicationId = '';

async function ok<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await stack.graphql<T>(query, { variables, token });
  if (res.errors?.length || !res.data) throw new Error(`${query.slice(0, 60)}… failed: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** The data of a query, or null when the caller may not run it at all (FORBIDDEN). */
async function tryQuery<T>(query: string, token: string, variables: Record<string, unknown> = {}): Promise<T | null> {
  const res = await stack.graphql<T>(query, { variables, token });
  if (res.errors?.length) {
    expect(res.errors.map((e) => e.extensions?.code)).toEqual(res.errors.map(() => 'FORBIDDEN'));
    return null;
  }
  return res.data ?? null;
}

/** The e-mail of a student holding `role` in building 8, entrance `entrance`. */
async function studentWith(role: 'STUDENT_HEAD' | 'STUDENT_PATROL', entrance: number): Promise<string> {
  const { users } = await ok<{ users: { items: { email: string }[] } }>(
    `query($f: UserFilter) { users(filter: $f, size: 1) { items { email } } }`,
    tokens.admin,
    { f: { role, building: '8', entrance } },
  );
  const email = users.items[0]?.email;
  if (!email) throw new Error(`no ${role} in 8/${entrance}`);
  return email;
}

/** Every User object reached by `path` for `viewer`, with the path's name. */
async function usersReached(viewer: Viewer): Promise<{ path: string; user: UserView }[]> {
  const token = tokens[viewer];
  const found: { path: string; user: UserView }[] = [];
  const add = (path: string, users: (UserView | null | undefined)[]) => {
    for (const user of users) if (user) found.push({ path, user });
  };

  const me = await ok<{ me: UserView }>(`{ me { ${USER_FIELDS} } }`, token);
  add('me', [me.me]);
  for (const id of [ids.minor, ids.educator]) {
    const one = await tryQuery<{ user: UserView | null }>(
      `query($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`,
      token,
      {
        id,
      },
    );
    add('user', [one?.user]);
  }
  const list = await tryQuery<{ users: { items: UserView[] } }>(
    `query($ids: String) { users(filter: { search: $ids }, size: 100) { items { ${USER_FIELDS} } } }`,
    token,
    { ids: 'student.minor' },
  );
  add('users', list?.users.items ?? []);
  const campus = await tryQuery<{
    campus: { entrances: { rooms: { residents: UserView[] }[] }[] }[];
  }>(`{ campus { entrances { rooms { residents { ${USER_FIELDS} } } } } }`, token);
  add(
    'campus',
    (campus?.campus ?? []).flatMap((b) => b.entrances.flatMap((e) => e.rooms.flatMap((r) => r.residents))),
  );
  const leave = await tryQuery<{
    leaveApplication: { applicant: UserView; decidedBy: UserView | null; history: { actor: UserView }[] } | null;
  }>(
    `query($id: ID!) { leaveApplication(id: $id) {
      applicant { ${USER_FIELDS} } decidedBy { ${USER_FIELDS} } history { actor { ${USER_FIELDS} } } } }`,
    token,
    { id: applicationId },
  );
  if (leave?.leaveApplication) {
    add('leave.applicant', [leave.leaveApplication.applicant]);
    add('leave.decidedBy', [leave.leaveApplication.decidedBy]);
    add(
      'leave.history.actor',
      leave.leaveApplication.history.map((h) => h.actor),
    );
  }
  return found;
}

beforeAll(async () => {
  stack = await startStack({ services: ['identity', 'leave'] });
  const login = (email: string) => stack.login(email, DEMO_PASSWORD);
  tokens.admin = await login('admin@sirius.local');
  const [headOther, patrolOther] = await Promise.all([
    studentWith('STUDENT_HEAD', 2),
    studentWith('STUDENT_PATROL', 2),
  ]);
  const emails: Record<Exclude<Viewer, 'admin'>, string> = {
    self: 'student.minor@sirius.local',
    otherStudent: 'student.adult@sirius.local',
    headSame: 'head@sirius.local',
    headOther,
    patrolSame: 'patrol@sirius.local',
    patrolOther,
    educator: 'educator@sirius.local',
  };
  for (const [viewer, email] of Object.entries(emails)) tokens[viewer as Viewer] = await login(email);
  ids.minor = (await ok<{ me: { id: string } }>('{ me { id } }', tokens.self)).me.id;
  ids.educator = (await ok<{ me: { id: string } }>('{ me { id } }', tokens.educator)).me.id;
  for (const who of ['minor', 'educator'] as const) {
    truth[who] = (
      await ok<{ user: UserView }>(`query($id: ID!) { user(id: $id) { ${USER_FIELDS} } }`, tokens.admin, {
        id: ids[who],
      })
    ).user;
  }

  // The minor applies, the educator rejects: the application reaches both through leave's references.
  const leaveAt = new Date(Date.now() + 24 * 3_600_000);
  const { submitLeaveApplication } = await ok<{ submitLeaveApplication: { id: string } }>(
    `mutation($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id } }`,
    tokens.self,
    {
      input: {
        leaveAt: leaveAt.toISOString(),
        returnAt: new Date(leaveAt.getTime() + 6 * 3_600_000).toISOString(),
        reason: 'Visiting family (security e2e)',
        contactPhone: '+79991234567',
      },
    },
  );
  applicationId = submitLeaveApplication.id;
  await ok(
    `mutation($id: ID!) { decideLeaveApplication(id: $id, decision: REJECT, reason: "no documents") { id } }`,
    tokens.educator,
    {
      id: applicationId,
    },
  );
});

afterAll(async () => {
  await stack?.stop();
});

it('has something to hide: the minor and the educator have every contact field set', () => {
  expect(truth.minor).toMatchObject({ isMinor: true, isActive: true });
  for (const field of ['email', 'phone', 'parentContact', 'checkInDate'] as const) {
    expect(truth.minor[field]).not.toBeNull();
  }
  expect(truth.educator.email).not.toBeNull();
});

describe.each(VIEWERS)('viewed by %s', (viewer) => {
  it('reads exactly the User fields the rule allows, on every path', async () => {
    const reached = await usersReached(viewer);
    const paths = new Set<string>();
    for (const { path, user } of reached) {
      const who = user.id === ids.minor ? 'minor' : user.id === ids.educator ? 'educator' : null;
      expect(user.fullName).toEqual(expect.any(String)); // names stay visible
      if (!who) continue;
      if (who === 'minor') paths.add(path);
      const readable = READABLE[who][viewer];
      const seen = Object.fromEntries(PROTECTED.map((f) => [f, user[f]]));
      const expected = Object.fromEntries(PROTECTED.map((f) => [f, readable.includes(f) ? truth[who][f] : null]));
      expect({ path, who, fields: seen }).toEqual({ path, who, fields: expected });
    }
    expect([...paths].sort()).toEqual(expect.arrayContaining(EXPECTED_PATHS[viewer]));
    if (viewer === 'self' || viewer === 'educator' || viewer === 'admin') {
      // The educator reached through the minor's own application: as decider and as history actor.
      const viaLeave = reached.filter((r) => r.user.id === ids.educator).map((r) => r.path);
      expect(viaLeave).toEqual(expect.arrayContaining(['leave.decidedBy', 'leave.history.actor']));
    }
  });
});

it("gives a head every resident's room contacts of their entrance, never parents' contacts", async () => {
  const { campus } = await ok<{ campus: { entrances: { rooms: { residents: UserView[] }[] }[] }[] }>(
    `{ campus { entrances { rooms { residents { ${USER_FIELDS} } } } } }`,
    tokens.headSame,
  );
  const residents = campus.flatMap((b) => b.entrances.flatMap((e) => e.rooms.flatMap((r) => r.residents)));
  expect(residents.length).toBeGreaterThan(4);
  expect(residents.every((r) => typeof r.email === 'string' && typeof r.isMinor === 'boolean')).toBe(true);
  const others = residents.filter((r) => r.email !== 'head@sirius.local');
  expect(others.every((r) => r.parentContact === null && r.checkInDate === null && r.isActive === null)).toBe(true);
});

it('keeps the private signing key encrypted at rest (the stack runs with the development key)', async () => {
  const client = new pg.Client({ connectionString: stack.databases.identity!.url });
  await client.connect();
  const { rows } = await client.query<{ kid: string; private_jwk: unknown }>(
    'SELECT kid, private_jwk FROM signing_keys',
  );
  await client.end();
  expect(rows.length).toBeGreaterThan(0);
  const cipher = signingKeyCipherFrom({
    key: undefined,
    previousKeys: [],
    dataDir: path.join(REPO_ROOT, '.data/identity'),
  });
  for (const { kid, private_jwk: stored } of rows) {
    expect(isSealed(stored)).toBe(true);
    expect(JSON.stringify(stored)).not.toMatch(/"d"/);
    const jwk = cipher.open(stored as Parameters<typeof cipher.open>[0], kid) as JWK;
    expect(await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y })).toBe(kid);
  }
});
