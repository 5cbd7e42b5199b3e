// The whole service in-process: GraphQL over HTTP, the JWKS endpoint and gRPC with a real client.
import { createGrpcClient, DomainError, TokenVerifier, type GrpcClient } from '@campus/platform';
import { identityService, type IdentityServiceDefinition } from '@campus/contracts';
import { errorCodes, graphqlRequest, type GraphQLResponse } from '@campus/testkit';
import type { RunningIdentity } from '../../src/app';
import { DEMO_PASSWORD, startSeededIdentity, type SeededIdentity } from '../support/seeded-identity';

const PASSWORD = DEMO_PASSWORD;
let service: SeededIdentity;
let identity: RunningIdentity;
let grpc: GrpcClient<IdentityServiceDefinition>;
let url: string;
let base: string;

beforeAll(async () => {
  service = await startSeededIdentity({ LOGIN_MAX_FAILED_ATTEMPTS: '3' });
  ({ identity, base, url } = service);
  grpc = createGrpcClient(identityService, `127.0.0.1:${identity.grpcPort}`, { name: 'identity' });
});

afterAll(async () => {
  grpc?.$close();
  await service?.stop();
});

const LOGIN = /* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      accessToken
      refreshToken
      expiresAt
      refreshExpiresAt
      user {
        id
        email
        roles
        parentContact {
          name
        }
      }
    }
  }
`;
const REFRESH = /* GraphQL */ `
  mutation Refresh($token: String!) {
    refreshSession(refreshToken: $token) {
      accessToken
      refreshToken
      user {
        email
      }
    }
  }
`;

interface Payload {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  refreshExpiresAt: string;
  user: { id: string; email: string; roles: string[]; parentContact: { name: string } | null };
}

async function login(email: string, password = PASSWORD): Promise<Payload> {
  const res = await graphqlRequest<{ login: Payload }>(url, LOGIN, { variables: { email, password } });
  if (!res.data?.login) throw new Error(`login ${email} failed: ${JSON.stringify(res.errors)}`);
  return res.data.login;
}

describe('sessions', () => {
  it('signs in and answers me', async () => {
    const session = await login('Student.Minor@sirius.local');
    expect(session.user).toMatchObject({ email: 'student.minor@sirius.local', roles: ['STUDENT'] });
    expect(session.user.parentContact).not.toBeNull();
    const expiresIn = Date.parse(session.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000);

    const me = await graphqlRequest<{
      me: { email: string; fullName: string; residence: { building: string; entrance: number } };
    }>(url, '{ me { email fullName residence { building entrance floor room roomId } isMinor checkInDate } }', {
      token: session.accessToken,
    });
    expect(me.data?.me).toMatchObject({
      email: 'student.minor@sirius.local',
      residence: { building: '8', entrance: 1 },
    });
    expect((await graphqlRequest<{ me: null }>(url, '{ me { id } }')).data?.me).toBeNull();
  });

  it('rotates refresh tokens and revokes the family when a rotated token is reused', async () => {
    const first = await login('student.adult@sirius.local');
    const second = await graphqlRequest<{ refreshSession: Payload }>(url, REFRESH, {
      variables: { token: first.refreshToken },
    });
    const next = second.data?.refreshSession;
    expect(next?.refreshToken).toBeDefined();
    expect(next?.refreshToken).not.toBe(first.refreshToken);

    const reuse = await graphqlRequest(url, REFRESH, { variables: { token: first.refreshToken } });
    expect(errorCodes(reuse)).toEqual(['AUTH_REFRESH_TOKEN_REUSED']);
    const afterRevoke = await graphqlRequest(url, REFRESH, { variables: { token: next?.refreshToken } });
    expect(errorCodes(afterRevoke)).toEqual(['AUTH_INVALID_REFRESH_TOKEN']);
  });

  it('logs out one sign-in, or all of them', async () => {
    const a = await login('patrol@sirius.local');
    const b = await login('patrol@sirius.local');
    const out = await graphqlRequest<{ logout: boolean }>(url, 'mutation($t: String!) { logout(refreshToken: $t) }', {
      variables: { t: a.refreshToken },
    });
    expect(out.data?.logout).toBe(true);
    expect(errorCodes(await graphqlRequest(url, REFRESH, { variables: { token: a.refreshToken } }))).toEqual([
      'AUTH_INVALID_REFRESH_TOKEN',
    ]);
    const everywhere = await graphqlRequest<{ logoutEverywhere: boolean }>(url, 'mutation { logoutEverywhere }', {
      token: b.accessToken,
    });
    expect(everywhere.data?.logoutEverywhere).toBe(true);
    expect(errorCodes(await graphqlRequest(url, REFRESH, { variables: { token: b.refreshToken } }))).toEqual([
      'AUTH_INVALID_REFRESH_TOKEN',
    ]);
  });

  it('locks an account after too many failures (3 in this configuration)', async () => {
    const attempt = (password: string) =>
      graphqlRequest(url, LOGIN, { variables: { email: 'educator2@sirius.local', password } });
    for (let i = 0; i < 3; i++)
      expect(errorCodes(await attempt('wrong-password'))).toEqual(['AUTH_INVALID_CREDENTIALS']);
    const locked = await attempt(PASSWORD);
    expect(errorCodes(locked)).toEqual(['AUTH_TOO_MANY_ATTEMPTS']);
    expect(locked.errors?.[0]?.extensions?.details?.retryAfterSeconds).toBeGreaterThan(800);
  });

  it('refuses a bad bearer token before any resolver runs', async () => {
    const res = await graphqlRequest(url, '{ me { id } }', { token: 'not.a.jwt' });
    expect(res.status).toBe(401);
    expect(errorCodes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('authorisation and queries', () => {
  it('forbids users to a student and serves staff filtered pages', async () => {
    const student = await login('student.adult@sirius.local');
    const query =
      'query($f: UserFilter, $size: Int) { users(filter: $f, size: $size) { total page size pages items { email roles residence { building entrance } } } }';
    expect(errorCodes(await graphqlRequest(url, query, { token: student.accessToken }))).toEqual(['FORBIDDEN']);

    const educator = await login('educator@sirius.local');
    const page = await graphqlRequest<{
      users: {
        total: number;
        size: number;
        items: Array<{ roles: string[]; residence: { building: string; entrance: number } }>;
      };
    }>(url, query, {
      token: educator.accessToken,
      variables: { f: { building: '8', entrance: 1, role: 'STUDENT_HEAD' }, size: 5 },
    });
    expect(page.data?.users).toMatchObject({ total: 1, size: 5 });
    expect(page.data?.users.items[0]).toMatchObject({
      roles: ['STUDENT', 'STUDENT_HEAD'],
      residence: { building: '8', entrance: 1 },
    });
    expect(
      errorCodes(await graphqlRequest(url, query, { token: educator.accessToken, variables: { size: 101 } })),
    ).toEqual(['VALIDATION_ERROR']);
  });

  it('shows a student only their own profile', async () => {
    const student = await login('student.adult@sirius.local');
    const head = await login('head@sirius.local');
    const query = 'query($id: ID!) { user(id: $id) { email } }';
    expect(
      (await graphqlRequest(url, query, { token: student.accessToken, variables: { id: student.user.id } })).data,
    ).toEqual({
      user: { email: 'student.adult@sirius.local' },
    });
    expect(
      errorCodes(await graphqlRequest(url, query, { token: student.accessToken, variables: { id: head.user.id } })),
    ).toEqual(['FORBIDDEN']);
  });

  it('answers user(id) for nobody with null, as every single-item query does, and a malformed id with VALIDATION_ERROR', async () => {
    const educator = await login('educator@sirius.local');
    const query = 'query($id: ID!) { user(id: $id) { email } }';
    const missing = await graphqlRequest(url, query, {
      token: educator.accessToken,
      variables: { id: 'f0000000-0000-4000-8000-000000000000' },
    });
    expect({ data: missing.data, errors: errorCodes(missing) }).toEqual({ data: { user: null }, errors: [] });
    const malformed = await graphqlRequest(url, query, { token: educator.accessToken, variables: { id: 'nope' } });
    expect(errorCodes(malformed)).toEqual(['VALIDATION_ERROR']);
  });

  it("gives a head the tree of their own entrance, residents without parents' contacts", async () => {
    const head = await login('head@sirius.local');
    const res = await graphqlRequest<{
      campus: Array<{
        code: string;
        entrances: Array<{
          number: number;
          rooms: Array<{ number: string; residents: Array<{ email: string; parentContact: unknown }> }>;
        }>;
      }>;
    }>(
      url,
      '{ campus { code name floors entrances { building number rooms { number floor capacity residents { email isMinor parentContact { phone } } } } } }',
      {
        token: head.accessToken,
      },
    );
    expect(res.errors).toBeUndefined();
    const campus = res.data?.campus ?? [];
    expect(campus.map((b) => b.code)).toEqual(['8']);
    expect(campus[0]?.entrances.map((e) => e.number)).toEqual([1]);
    const rooms = campus[0]?.entrances[0]?.rooms ?? [];
    expect(rooms).toHaveLength(20);
    expect(rooms.every((r) => r.number.startsWith('1'))).toBe(true);
    const residents = rooms.flatMap((r) => r.residents);
    expect(residents.map((r) => r.email)).toEqual(
      expect.arrayContaining(['head@sirius.local', 'student.minor@sirius.local']),
    );
    expect(residents.every((r) => r.parentContact === null)).toBe(true);

    const educator = await login('educator@sirius.local');
    const all = await graphqlRequest<{ campus: Array<{ entrances: unknown[] }> }>(
      url,
      '{ campus { code entrances { number } } }',
      { token: educator.accessToken },
    );
    expect(all.data?.campus).toHaveLength(2);
    // one building, as a screen shows it; a head's scope still applies within it
    const one = await graphqlRequest<{ campus: Array<{ code: string; entrances: unknown[] }> }>(
      url,
      '{ campus(building: "9") { code entrances { number } } }',
      { token: educator.accessToken },
    );
    expect(one.data?.campus.map((b) => b.code)).toEqual(['9']);
    expect(one.data?.campus[0]?.entrances).toHaveLength(4);
    const elsewhere = await graphqlRequest<{ campus: unknown[] }>(url, '{ campus(building: "9") { code } }', {
      token: head.accessToken,
    });
    expect(elsewhere.data?.campus).toEqual([]);
    const patrol = await login('patrol@sirius.local');
    expect(errorCodes(await graphqlRequest(url, '{ campus { code } }', { token: patrol.accessToken }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it("serves staff a building's rooms with their active residents, and residents only to whom may see them", async () => {
    type Resident = { id: string; fullName: string; email: string | null; isMinor: boolean | null };
    type TreeRoom = { id: string; number: string; residents: Resident[] };
    const educator = await login('educator@sirius.local');
    // residents asked through a fragment: read with their entrance (Entrance.rooms looks ahead)
    const tree = await graphqlRequest<{
      campus: Array<{ entrances: Array<{ number: number; rooms: TreeRoom[] }> }>;
    }>(
      url,
      `{ campus(building: "8") { entrances { number rooms { id number ...People } } } }
       fragment People on Room { residents { id fullName email isMinor } }`,
      { token: educator.accessToken },
    );
    expect(tree.errors).toBeUndefined();
    const entrances = tree.data?.campus[0]?.entrances ?? [];
    const rooms = entrances.flatMap((e) => e.rooms);
    expect(rooms.length).toBeGreaterThan(20);

    // every active resident of the building, each in their room, in list order
    const listed: Array<{ id: string; residence: { room: string } }> = [];
    for (let page = 1; ; page++) {
      const res = await graphqlRequest<{ users: { pages: number; items: typeof listed } }>(
        url,
        'query($p: Int) { users(filter: { building: "8", isActive: true }, page: $p, size: 100) { pages items { id residence { room } } } }',
        { token: educator.accessToken, variables: { p: page } },
      );
      listed.push(...(res.data?.users.items ?? []));
      if (page >= (res.data?.users.pages ?? 0)) break;
    }
    expect(rooms.flatMap((r) => r.residents.map((u) => `${r.number}:${u.id}`))).toEqual(
      listed.map((u) => `${u.residence.room}:${u.id}`),
    );
    const residents = rooms.flatMap((r) => r.residents);
    expect(residents.every((u) => u.email !== null && typeof u.isMinor === 'boolean')).toBe(true);

    // the same rooms reached one by one (federated references) answer the same residents
    const ENTITIES =
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Room { id residents { id fullName email isMinor } } } }';
    const asEntities = await graphqlRequest<{ _entities: Array<{ id: string; residents: Resident[] }> }>(
      url,
      ENTITIES,
      { token: educator.accessToken, variables: { r: rooms.map((r) => ({ __typename: 'Room', id: r.id })) } },
    );
    expect(asEntities.data?._entities).toEqual(rooms.map((r) => ({ id: r.id, residents: r.residents })));

    // a student: their own room's residents, the roommates' contacts and age hidden; no other room
    const student = await login('student.adult@sirius.local');
    const home = rooms.find((r) => r.residents.some((u) => u.id === student.user.id));
    // a room of the student's own entrance (8/1), not theirs
    const elsewhere = entrances.find((e) => e.number === 1)?.rooms.find((r) => r !== home && r.residents.length > 0);
    if (!home || !elsewhere) throw new Error('demo campus: no room for student.adult');
    const own = await graphqlRequest<{ _entities: Array<{ residents: Resident[] }> }>(url, ENTITIES, {
      token: student.accessToken,
      variables: { r: [{ __typename: 'Room', id: home.id }] },
    });
    expect(own.data?._entities[0]?.residents.map((u) => u.id)).toEqual(home.residents.map((u) => u.id));
    for (const u of own.data?._entities[0]?.residents ?? []) {
      const self = u.id === student.user.id;
      expect(u.email === null).toBe(!self);
      expect(u.isMinor === null).toBe(!self);
    }
    // another room answers no residents, not an error: a FORBIDDEN on the non-null list would null
    // the room and its parents up to the root (duty's dutySwaps names rooms of other entrances)
    const otherEntrance = entrances.find((e) => e.number !== 1)?.rooms.find((r) => r.residents.length > 0);
    if (!otherEntrance) throw new Error('demo campus: no resident outside entrance 8/1');
    const mixed = await graphqlRequest<{ _entities: Array<{ id: string; residents: Resident[] }> }>(url, ENTITIES, {
      token: student.accessToken,
      variables: {
        r: [home, elsewhere, otherEntrance].map((r) => ({ __typename: 'Room', id: r.id })),
      },
    });
    expect(mixed.errors).toBeUndefined();
    expect(mixed.data?._entities.map((r) => [r.id, r.residents.map((u) => u.id)])).toEqual([
      [home.id, home.residents.map((u) => u.id)],
      [elsewhere.id, []],
      [otherEntrance.id, []],
    ]);

    // the patrol of entrance 8/1: who is a minor there, not how to reach them
    const patrol = await login('patrol@sirius.local');
    const patrolled = await graphqlRequest<{ _entities: Array<{ residents: Resident[] }> }>(url, ENTITIES, {
      token: patrol.accessToken,
      variables: { r: [{ __typename: 'Room', id: home.id }] },
    });
    const seen = patrolled.data?._entities[0]?.residents.filter((u) => u.id !== patrol.user.id) ?? [];
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((u) => u.email === null && typeof u.isMinor === 'boolean')).toBe(true);

    // the head of 8/1: every room of their entrance, through the campus tree (its only other path to
    // rooms) and as references; a room of another entrance is a reference with no residents
    const head = await login('head@sirius.local');
    const own8 = await graphqlRequest<{ campus: Array<{ entrances: Array<{ rooms: TreeRoom[] }> }> }>(
      url,
      '{ campus(building: "8") { entrances { rooms { id number residents { id fullName email isMinor } } } } }',
      { token: head.accessToken },
    );
    const headRooms = own8.data?.campus[0]?.entrances.flatMap((e) => e.rooms) ?? [];
    expect(headRooms.map((r) => [r.id, r.residents.map((u) => u.id)])).toEqual(
      (entrances.find((e) => e.number === 1)?.rooms ?? []).map((r) => [r.id, r.residents.map((u) => u.id)]),
    );
    const headed = await graphqlRequest<{ _entities: Array<{ residents: Resident[] }> }>(url, ENTITIES, {
      token: head.accessToken,
      variables: { r: [elsewhere, otherEntrance].map((r) => ({ __typename: 'Room', id: r.id })) },
    });
    expect(headed.errors).toBeUndefined();
    expect(headed.data?._entities.map((r) => r.residents.length)).toEqual([elsewhere.residents.length, 0]);
  });

  it('answers every field of a page read as summaries, and of residents, as of whole users', async () => {
    const educator = await login('educator@sirius.local');
    const ALL_FIELDS = `id fullName firstName lastName patronymic email phone roles isMinor isActive checkInDate
      checkOutDate parentContact { name phone } assignedEntrances { building entrance } createdAt residence { room }`;
    const page = (items: string, fragments = '') =>
      graphqlRequest<{ users: { total: number; items: Array<Record<string, unknown>> } }>(
        url,
        `{ users(filter: { building: "8" }, size: 40) { total items { ${items} } } } ${fragments}`,
        { token: educator.accessToken },
      );
    const whole = await page(ALL_FIELDS);
    expect(whole.errors).toBeUndefined();
    const items = whole.data?.users.items ?? [];
    expect(items.length).toBeGreaterThan(20);
    expect(items.some((u) => Array.isArray(u.roles) && u.roles.includes('STUDENT_HEAD'))).toBe(true);
    // names and rooms only: read as summaries, the same users in the same order
    const pick = (keys: string[]) => items.map((u) => Object.fromEntries(keys.map((k) => [k, u[k]])));
    const summary = await page('__typename id fullName isMinor isActive residence { room }');
    expect(summary.data?.users.total).toBe(whole.data?.users.total);
    expect(summary.data?.users.items.map(({ __typename, ...u }) => ({ typename: __typename, ...u }))).toEqual(
      pick(['id', 'fullName', 'isMinor', 'isActive', 'residence']).map((u) => ({ typename: 'User', ...u })),
    );
    // whole-record fields asked through fragments are seen, and answered as on the whole page
    const viaFragments = await page(
      'id ... on User { roles } ...Contacts',
      'fragment Contacts on User { email parentContact { name phone } createdAt }',
    );
    expect(viaFragments.data?.users.items).toEqual(pick(['id', 'roles', 'email', 'parentContact', 'createdAt']));

    // residents are read as summaries: their whole-record fields come from one more read, the same answers
    const tree = await graphqlRequest<{
      campus: Array<{ entrances: Array<{ rooms: Array<{ residents: Array<Record<string, unknown>> }> }> }>;
    }>(url, `{ campus(building: "8") { entrances { rooms { residents { ${ALL_FIELDS} } } } } }`, {
      token: educator.accessToken,
    });
    expect(tree.errors).toBeUndefined();
    const residents = tree.data?.campus[0]?.entrances.flatMap((e) => e.rooms.flatMap((r) => r.residents)) ?? [];
    const activeOnPage = new Map(items.filter((u) => u.isActive).map((u) => [u.id, u]));
    expect(residents.length).toBeGreaterThan(20);
    for (const resident of residents) {
      const listed = activeOnPage.get(resident.id);
      if (listed) expect(resident).toEqual(listed);
    }
    expect(residents.filter((u) => activeOnPage.has(u.id)).length).toBeGreaterThan(10);
  });

  it('resolves federated references in batches', async () => {
    const educator = await login('educator@sirius.local');
    const head = await login('head@sirius.local');
    const res = await graphqlRequest<{ _entities: Array<{ email?: string; number?: string } | null> }>(
      url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { email } ... on Room { number } } }',
      {
        token: educator.accessToken,
        variables: {
          r: [
            { __typename: 'User', id: head.user.id },
            { __typename: 'User', id: educator.user.id },
            { __typename: 'User', id: 'not-a-uuid' },
          ],
        },
      },
    );
    expect(res.data?._entities).toEqual([{ email: 'head@sirius.local' }, { email: 'educator@sirius.local' }, null]);
  });

  it('exports CSV for staff', async () => {
    const educator = await login('educator@sirius.local');
    const res = await graphqlRequest<{ exportUsersCsv: string }>(
      url,
      '{ exportUsersCsv(filter: { building: "8", room: "1101" }) }',
      {
        token: educator.accessToken,
      },
    );
    // a UTF-8 byte order mark first, so that Excel in the Russian locale reads the names right
    expect(res.data?.exportUsersCsv.startsWith('\uFEFFid,email,lastName,firstName,')).toBe(true);
    const lines = res.data?.exportUsersCsv.slice(1).trim().split('\r\n') ?? [];
    expect(lines[0]).toMatch(/^id,email,lastName,firstName,/);
    expect(lines[1]).toMatch(/[А-Яа-яЁё]/); // the seeded residents' Cyrillic names, intact
    expect(lines.length).toBeGreaterThan(1);

    // for an Excel that splits on semicolons (the Russian locale's)
    const semicolons = await graphqlRequest<{ exportUsersCsv: string }>(
      url,
      '{ exportUsersCsv(filter: { building: "8", room: "1101" }, separator: SEMICOLON) }',
      { token: educator.accessToken },
    );
    const rows = semicolons.data?.exportUsersCsv.slice(1).trim().split('\r\n') ?? [];
    expect(rows[0]).toMatch(/^id;email;lastName;firstName;/);
    expect(rows.map((row) => row.replace(/;/g, ','))).toEqual(lines); // the same rows (no field holds , or ;)
  });
});

describe('administration', () => {
  const IMPORT =
    'mutation($csv: String!) { importStudents(csv: $csv) { total imported failed errors { row email code message } users { email residence { room } } } }';

  it('imports students: valid rows in, bad rows reported', async () => {
    const admin = await login('admin@sirius.local');
    const csv = [
      'email,lastName,firstName,phone,building,room,isMinor,password',
      'new.one@sirius.local,Новиков,Пётр,+79001110000,8,4504,no,first-password',
      'new.two@sirius.local,Новикова,Анна,not-a-phone,9,4504,no,',
      'admin@sirius.local,Дубль,Админ,,,,,',
    ].join('\n');
    const res = await graphqlRequest<{
      importStudents: { total: number; imported: number; failed: number; errors: Array<{ row: number; code: string }> };
    }>(url, IMPORT, { token: admin.accessToken, variables: { csv } });
    expect(res.data?.importStudents).toMatchObject({
      total: 3,
      imported: 1,
      failed: 2,
      errors: [
        { row: 3, code: 'VALIDATION_ERROR' },
        { row: 4, code: 'AUTH_EMAIL_TAKEN' },
      ],
    });
    await expect(login('new.one@sirius.local', 'first-password')).resolves.toBeDefined();
    const educator = await login('educator@sirius.local');
    expect(errorCodes(await graphqlRequest(url, IMPORT, { token: educator.accessToken, variables: { csv } }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('creates users, assigns roles with their rules, deactivates', async () => {
    const admin = await login('admin@sirius.local');
    const create = await graphqlRequest<{
      createUser: { id: string; email: string; residence: { entrance: number; floor: number } };
    }>(
      url,
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id email phone residence { entrance floor } } }',
      {
        token: admin.accessToken,
        variables: {
          i: {
            email: 'Fresh@Sirius.local',
            password: 'fresh-password',
            firstName: 'Свежий',
            lastName: 'Студент',
            phone: '8 900 000 11 22',
            residence: { building: '9', room: '3201' },
          },
        },
      },
    );
    expect(create.data?.createUser).toMatchObject({
      email: 'fresh@sirius.local',
      residence: { entrance: 3, floor: 2 },
    });
    const id = create.data?.createUser.id;

    const assign =
      'mutation($id: ID!, $roles: [Role!]!, $e: [EntranceInput!]) { assignRoles(userId: $id, roles: $roles, entrances: $e) { roles assignedEntrances { building entrance } } }';
    const mixed = await graphqlRequest(url, assign, {
      token: admin.accessToken,
      variables: { id, roles: ['STUDENT', 'EDUCATOR'] },
    });
    expect(errorCodes(mixed)).toEqual(['AUTH_INVALID_ROLE_COMBINATION']);
    const promoted = await graphqlRequest<{ assignRoles: { roles: string[] } }>(url, assign, {
      token: admin.accessToken,
      variables: { id, roles: ['STUDENT', 'STUDENT_PATROL'] },
    });
    expect(promoted.data?.assignRoles.roles).toEqual(['STUDENT', 'STUDENT_PATROL']);

    const session = await login('fresh@sirius.local', 'fresh-password');
    const deactivated = await graphqlRequest<{ deactivateUser: { isActive: boolean } }>(
      url,
      'mutation($id: ID!) { deactivateUser(id: $id) { isActive } }',
      {
        token: admin.accessToken,
        variables: { id },
      },
    );
    expect(deactivated.data?.deactivateUser.isActive).toBe(false);
    expect(
      errorCodes(
        await graphqlRequest(url, LOGIN, { variables: { email: 'fresh@sirius.local', password: 'fresh-password' } }),
      ),
    ).toEqual(['AUTH_ACCOUNT_DISABLED']);
    expect(errorCodes(await graphqlRequest(url, REFRESH, { variables: { token: session.refreshToken } }))).toEqual([
      'AUTH_INVALID_REFRESH_TOKEN',
    ]);
  });

  it('keeps a parent contact for every minor: create, import and update without one are refused', async () => {
    const admin = await login('admin@sirius.local');
    const as = { token: admin.accessToken };
    const CREATE =
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id isMinor parentContact { name phone } } }';
    const UPDATE =
      'mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { isMinor parentContact { name phone } } }';
    type Minor = { id: string; isMinor: boolean; parentContact: { name: string; phone: string } | null };
    const person = (email: string) => ({ email, password: 'minor-password', firstName: 'Юный', lastName: 'Студент' });
    const fieldsOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.details?.fields;

    // create
    const refused = await graphqlRequest(url, CREATE, {
      ...as,
      variables: { i: { ...person('minor.none@sirius.local'), isMinor: true } },
    });
    expect(errorCodes(refused)).toEqual(['VALIDATION_ERROR']);
    expect(fieldsOf(refused)).toHaveProperty('parentContact');
    const created = await graphqlRequest<{ createUser: Minor }>(url, CREATE, {
      ...as,
      variables: {
        i: {
          ...person('minor.parent@sirius.local'),
          isMinor: true,
          parentContact: { name: 'Мама', phone: '89160000011' },
        },
      },
    });
    expect(created.data?.createUser).toMatchObject({
      isMinor: true,
      parentContact: { name: 'Мама', phone: '+79160000011' },
    });
    const minorId = created.data?.createUser.id;

    // update: clearing a minor's contact, or making an adult a minor without one
    const cleared = await graphqlRequest(url, UPDATE, {
      ...as,
      variables: { id: minorId, i: { parentContact: null } },
    });
    expect(errorCodes(cleared)).toEqual(['VALIDATION_ERROR']);
    expect(fieldsOf(cleared)).toHaveProperty('parentContact');
    const adult = await graphqlRequest<{ createUser: Minor }>(url, CREATE, {
      ...as,
      variables: { i: person('adult.soon.minor@sirius.local') },
    });
    const adultId = adult.data?.createUser.id;
    const younger = await graphqlRequest(url, UPDATE, { ...as, variables: { id: adultId, i: { isMinor: true } } });
    expect(errorCodes(younger)).toEqual(['VALIDATION_ERROR']);
    expect(fieldsOf(younger)).toHaveProperty('parentContact');
    const withParent = await graphqlRequest<{ updateUser: Minor }>(url, UPDATE, {
      ...as,
      variables: { id: adultId, i: { isMinor: true, parentContact: { name: 'Папа', phone: '+79160000012' } } },
    });
    expect(withParent.data?.updateUser).toMatchObject({ isMinor: true, parentContact: { phone: '+79160000012' } });
    const ME = '{ me { isMinor parentContact { name phone } } }';
    const minorSession = await login('minor.parent@sirius.local', 'minor-password');
    expect((await graphqlRequest<{ me: Minor }>(url, ME, { token: minorSession.accessToken })).data?.me).toMatchObject({
      isMinor: true,
      parentContact: { name: 'Мама' },
    });

    // import
    const csv = [
      'email,lastName,firstName,isMinor,parentName,parentPhone',
      'import.minor.none@sirius.local,Без,Родителя,да,,',
      'import.minor.ok@sirius.local,С,Родителем,да,Мама,+79160000013',
    ].join('\n');
    const imported = await graphqlRequest<{
      importStudents: {
        imported: number;
        errors: Array<{ row: number; email: string; code: string; message: string }>;
      };
    }>(url, 'mutation($csv: String!) { importStudents(csv: $csv) { imported errors { row email code message } } }', {
      ...as,
      variables: { csv },
    });
    expect(imported.data?.importStudents.imported).toBe(1);
    expect(imported.data?.importStudents.errors).toEqual([
      {
        row: 2,
        email: 'import.minor.none@sirius.local',
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining('parentName: required for a minor'),
      },
    ]);
  });

  it('changes passwords', async () => {
    const educator = await login('educator3@sirius.local');
    const change =
      'mutation($u: ID, $c: String, $n: String!) { changePassword(userId: $u, currentPassword: $c, newPassword: $n) }';
    expect(
      errorCodes(
        await graphqlRequest(url, change, { token: educator.accessToken, variables: { c: PASSWORD, n: 'short' } }),
      ),
    ).toEqual(['AUTH_WEAK_PASSWORD']);
    const ok = await graphqlRequest<{ changePassword: boolean }>(url, change, {
      token: educator.accessToken,
      variables: { c: PASSWORD, n: 'educator3-new' },
    });
    expect(ok.data?.changePassword).toBe(true);
    await expect(login('educator3@sirius.local', 'educator3-new')).resolves.toBeDefined();
  });
});

describe('tokens and keys', () => {
  it('serves the JWKS; other services verify tokens against that URL', async () => {
    /** campus_requests_total of the JWKS route, answered ok, on /metrics. */
    const jwksRequests = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      const line = text
        .split('\n')
        .find(
          (l) =>
            l.startsWith('campus_requests_total{') &&
            l.includes('transport="http"') &&
            l.includes('operation="GET /.well-known/jwks.json"') &&
            l.includes('outcome="ok"'),
        );
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await jwksRequests();
    const res = await fetch(`${base}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(await jwksRequests()).toBe(before + 1); // timed like every request
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    const jwks = (await res.json()) as { keys: Array<{ kid: string; d?: string }> };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);

    const session = await login('educator.head@sirius.local');
    const verifier = new TokenVerifier({
      keys: `${base}/.well-known/jwks.json`,
      issuer: 'campus-sirius-identity',
      audience: 'campus-sirius',
    });
    await expect(verifier.verify(session.accessToken)).resolves.toMatchObject({
      userId: session.user.id,
      roles: ['educator_head'],
      residence: null,
      entrances: [
        { building: '8', entrance: 1 },
        { building: '8', entrance: 2 },
      ],
    });
  });

  it("rotates the signing key without refusing a token: those in flight, nor the new key's first", async () => {
    const admin = await login('admin@sirius.local');
    const kidOf = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;
    const rotated = await graphqlRequest<{ rotateSigningKey: string }>(url, 'mutation { rotateSigningKey }', {
      token: admin.accessToken,
    });
    const kid = rotated.data?.rotateSigningKey;
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys[0]?.kid).toBe(kid);
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
    expect((await graphqlRequest(url, '{ me { email } }', { token: admin.accessToken })).data).toEqual({
      me: { email: 'admin@sirius.local' },
    });
    // Published at once, the new key signs only after SIGNING_KEY_ACTIVATION_DELAY_SECONDS (60 s):
    // until then sign-ins get tokens of the previous key, which every service already knows.
    const fresh = await login('admin@sirius.local');
    expect(kidOf(fresh.accessToken)).toBe(kidOf(admin.accessToken));
    expect(jwks.keys.map((k) => k.kid)).toContain(kidOf(admin.accessToken));
  });

  it('reports readiness', async () => {
    const res = await fetch(`${base}/health/readiness`);
    expect(await res.json()).toEqual({ status: 'ok', checks: { database: 'up' }, failing: [] });
  });
});

describe('gRPC', () => {
  it('validates tokens', async () => {
    const session = await login('head@sirius.local');
    const valid = await grpc.ValidateToken({ token: session.accessToken });
    expect(valid).toMatchObject({
      valid: true,
      reason: '',
      userId: session.user.id,
      roles: ['student', 'student_head'],
      isMinor: false,
    });
    expect(valid.residence).toMatchObject({ building: '8', entrance: 1 });
    expect(Date.parse(valid.expiresAt)).toBe(Date.parse(session.expiresAt));
    expect(await grpc.ValidateToken({ token: 'garbage' })).toMatchObject({
      valid: false,
      reason: 'invalid',
      userId: '',
    });
  });

  it('gets one user, or NOT_FOUND', async () => {
    const session = await login('student.minor@sirius.local');
    const user = await grpc.GetUser({ id: session.user.id });
    expect(user).toMatchObject({
      email: 'student.minor@sirius.local',
      roles: ['student'],
      isMinor: true,
      isActive: true,
      patronymic: expect.any(String),
    });
    expect(user.parentContact?.phone).toMatch(/^\+7\d{10}$/);
    expect(user.residence).toMatchObject({ building: '8', entrance: 1, roomId: expect.any(String) });
    const missing = await grpc.GetUser({ id: '00000000-0000-4000-8000-000000000000' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(DomainError);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', kind: 'NOT_FOUND' });
  });

  it('gets users by filter, ordered by building, room, last name', async () => {
    const { users } = await grpc.GetUsers({ building: '8', entrance: 1, minorsOnly: true });
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((u) => u.isMinor && u.residence?.building === '8' && u.residence.entrance === 1)).toBe(true);
    const keys = users.map((u) => `${u.residence?.room}|${u.lastName}`);
    expect(keys).toEqual([...keys].sort());

    // summaries: the same users with their names, room and flags, nothing else filled in
    const summaries = await grpc.GetUsers({ building: '8', entrance: 1, minorsOnly: true, summaryOnly: true });
    expect(summaries.users).toEqual(
      users.map((u) => ({ ...u, email: '', phone: '', roles: [], parentContact: null, assignedEntrances: [] })),
    );
    expect(users.some((u) => u.email !== '' && u.roles.length > 0)).toBe(true);

    const heads = await grpc.GetUsers({ role: 'student_head' });
    expect(heads.users).toHaveLength(8);
    const byIds = await grpc.GetUsers({
      ids: [heads.users[0]?.id ?? '', heads.users[1]?.id ?? ''],
      building: heads.users[0]?.residence?.building ?? '',
    });
    expect(byIds.users.length).toBeGreaterThanOrEqual(1);

    // place_known: set on every answer; false only for a place the layout lacks (asked of the database)
    expect(users.length > 0 && summaries.placeKnown && heads.placeKnown).toBe(true);
    const placeOf = async (request: Parameters<typeof grpc.GetUsers>[0]) => {
      const answer = await grpc.GetUsers({ ...request, minorsOnly: true, summaryOnly: true });
      return [answer.users.length, answer.placeKnown];
    };
    expect(await placeOf({ building: '8', entrance: 5 })).toEqual([0, false]);
    expect(await placeOf({ building: '8', entrance: 4, role: 'admin' })).toEqual([0, true]);
    expect(await placeOf({ entrance: 5 })).toEqual([0, false]);
    expect(await placeOf({ entrance: 2, role: 'admin' })).toEqual([0, true]);
    expect(await placeOf({ building: '7' })).toEqual([0, false]);
    expect(await placeOf({ building: '9', role: 'admin' })).toEqual([0, true]);
    expect(await placeOf({ building: '8', entrance: 1, floor: 9 })).toEqual([0, false]);
    expect(await placeOf({ building: '8', entrance: 1, floor: 5, role: 'admin' })).toEqual([0, true]);
    expect(await placeOf({ building: '8', room: '9999' })).toEqual([0, false]);
    expect(await placeOf({ building: '8', room: '1201', role: 'admin' })).toEqual([0, true]);
    expect(await placeOf({ building: '8', entrance: 2, room: '1201' })).toEqual([0, false]); // 1201 is in entrance 1
    expect(await placeOf({ ids: ['00000000-0000-4000-8000-000000000000'] })).toEqual([0, true]);

    const tooMany = await grpc
      .GetUsers({ ids: Array.from({ length: 1001 }, (_, i) => `id-${i}`) })
      .catch((e: unknown) => e);
    expect(tooMany).toMatchObject({ kind: 'VALIDATION', code: 'VALIDATION_ERROR' });
    const badRole = await grpc.GetUsers({ role: 'root' }).catch((e: unknown) => e);
    expect(badRole).toMatchObject({ kind: 'VALIDATION' });
  });

  it('checks roles and their scope', async () => {
    const head = await login('educator.head@sirius.local');
    expect(
      await grpc.CheckUserRole({ userId: head.user.id, role: 'educator_head', building: '8', entrance: 2 }),
    ).toEqual({ hasRole: true, inScope: true });
    expect(
      await grpc.CheckUserRole({ userId: head.user.id, role: 'educator_head', building: '9', entrance: 1 }),
    ).toEqual({ hasRole: true, inScope: false });
    expect(await grpc.CheckUserRole({ userId: head.user.id, role: 'admin' })).toEqual({
      hasRole: false,
      inScope: false,
    });
    const patrol = await login('patrol@sirius.local');
    expect(
      await grpc.CheckUserRole({ userId: patrol.user.id, role: 'student_patrol', building: '8', entrance: 1 }),
    ).toEqual({ hasRole: true, inScope: true });
  });

  it('says whether the layout has a building or an entrance of it (CheckPlace), as the layout stands', async () => {
    expect(await grpc.CheckPlace({ building: '8' })).toEqual({ known: true });
    expect(await grpc.CheckPlace({ building: ' 9 ' })).toEqual({ known: true }); // trimmed, as every input
    expect(await grpc.CheckPlace({ building: '8', entrance: 4 })).toEqual({ known: true });
    expect(await grpc.CheckPlace({ building: '88' })).toEqual({ known: false });
    expect(await grpc.CheckPlace({ building: '88', entrance: 1 })).toEqual({ known: false });
    expect(await grpc.CheckPlace({ building: '8', entrance: 5 })).toEqual({ known: false });

    const invalid = async (request: Parameters<typeof grpc.CheckPlace>[0]) => {
      const error = await grpc.CheckPlace(request).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'VALIDATION', code: 'VALIDATION_ERROR' });
      return Object.keys((error as DomainError).details.fields as Record<string, string>);
    };
    expect(await invalid({ building: '  ' })).toEqual(['building']);
    expect(await invalid({ building: 'x'.repeat(21) })).toEqual(['building']);
    expect(await invalid({ building: '8', entrance: 0 })).toEqual(['entrance']);

    // as every directory method: only a service holding the deployment's secret may ask
    const anonymous = createGrpcClient(identityService, `127.0.0.1:${identity.grpcPort}`, {
      name: 'identity',
      auth: false,
    });
    try {
      await expect(anonymous.CheckPlace({ building: '8' })).rejects.toMatchObject({ kind: 'UNAUTHENTICATED' });
    } finally {
      anonymous.$close();
    }
  });
});
