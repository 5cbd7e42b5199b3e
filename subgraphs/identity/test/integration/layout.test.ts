// Extending the campus layout over GraphQL (addRooms): the new rooms are data like the seeded ones —
// in the campus tree, in the users filters, assignable as a residence — and every refusal writes nothing.
import { identityService, type IdentityServiceDefinition } from '@campus/contracts';
import { createGrpcClient, type GrpcClient } from '@campus/platform';
import { errorCodes, graphqlRequest, type GraphQLResponse } from '@campus/testkit';
import { DEMO_PASSWORD, startSeededIdentity, type SeededIdentity } from '../support/seeded-identity';

const PASSWORD = DEMO_PASSWORD;
let service: SeededIdentity;
let url: string;
let admin: string;
let educator: string;
let grpc: GrpcClient<IdentityServiceDefinition>;

async function login(email: string): Promise<string> {
  const res = await graphqlRequest<{ login: { accessToken: string } }>(
    url,
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }',
    { variables: { e: email, p: PASSWORD } },
  );
  if (!res.data?.login) throw new Error(`login ${email} failed: ${JSON.stringify(res.errors)}`);
  return res.data.login.accessToken;
}

beforeAll(async () => {
  service = await startSeededIdentity();
  url = service.url;
  admin = await login('admin@sirius.local');
  educator = await login('educator@sirius.local');
  grpc = createGrpcClient(identityService, `127.0.0.1:${service.identity.grpcPort}`, { name: 'identity' });
});

afterAll(async () => {
  grpc?.$close();
  await service?.stop();
});

interface NewRoom {
  number: string;
  floor: number;
  capacity?: number;
}
interface AddRoomsInput {
  building: string;
  buildingName?: string;
  entrance: number;
  rooms: NewRoom[];
}
interface AddedEntrance {
  building: string;
  number: number;
  rooms: Array<{ id: string; building: string; entrance: number; floor: number; number: string; capacity: number }>;
}
interface TreeBuilding {
  code: string;
  name: string;
  floors: number;
  entrances: Array<{
    number: number;
    rooms: Array<{ number: string; floor: number; residents: Array<{ id: string }> }>;
  }>;
}

const ADD_ROOMS = /* GraphQL */ `
  mutation AddRooms($input: AddRoomsInput!) {
    addRooms(input: $input) {
      building
      number
      rooms {
        id
        building
        entrance
        floor
        number
        capacity
      }
    }
  }
`;

/** As the admin unless another token is given; null: without a token. */
const addRooms = (input: AddRoomsInput, token: string | null = admin) =>
  graphqlRequest<{ addRooms: AddedEntrance }>(url, ADD_ROOMS, { token: token ?? undefined, variables: { input } });

/** The layout as staff see it: every building, or one. */
async function campus(building?: string): Promise<TreeBuilding[]> {
  const res = await graphqlRequest<{ campus: TreeBuilding[] }>(
    url,
    `query($b: String) { campus(building: $b) { code name floors
       entrances { number rooms { number floor residents { id } } } } }`,
    { token: educator, variables: { b: building ?? null } },
  );
  expect(res.errors).toBeUndefined();
  return res.data?.campus ?? [];
}

const roomNumbers = (building: TreeBuilding | undefined) =>
  (building?.entrances ?? []).flatMap((e) => e.rooms.map((r) => r.number)).sort();

const fieldsOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.details?.fields;

describe('addRooms', () => {
  it("lets an admin add a new building's rooms: at once in campus and the filters, and a student's residence", async () => {
    const added = await addRooms({
      building: '10',
      buildingName: 'Корпус 10 (новый)',
      entrance: 1,
      rooms: [
        { number: '1101', floor: 1, capacity: 3 },
        { number: '1102', floor: 1 },
        { number: '1201', floor: 2, capacity: 1 },
      ],
    });
    expect(added.errors).toBeUndefined();
    expect(added.data?.addRooms).toMatchObject({ building: '10', number: 1 });
    expect(added.data?.addRooms.rooms.map(({ id: _, ...room }) => room)).toEqual([
      { building: '10', entrance: 1, floor: 1, number: '1101', capacity: 3 },
      { building: '10', entrance: 1, floor: 1, number: '1102', capacity: 2 },
      { building: '10', entrance: 1, floor: 2, number: '1201', capacity: 1 },
    ]);

    // in the tree, after the seeded buildings ("8" < "9" < "10"), floors as high as its rooms
    expect((await campus()).map((b) => b.code)).toEqual(['8', '9', '10']);
    const [tree] = await campus('10');
    expect(tree).toMatchObject({ code: '10', name: 'Корпус 10 (новый)', floors: 2 });
    expect(tree?.entrances.map((e) => e.number)).toEqual([1]);
    expect(roomNumbers(tree)).toEqual(['1101', '1102', '1201']);

    // a student created into one of them, then moved to another
    const created = await graphqlRequest<{
      createUser: { id: string; residence: { building: string; entrance: number; floor: number; room: string } };
    }>(
      url,
      'mutation($i: CreateUserInput!) { createUser(input: $i) { id residence { building entrance floor room } } }',
      {
        token: admin,
        variables: {
          i: {
            email: 'first.resident@sirius.local',
            password: 'first-resident',
            firstName: 'Первый',
            lastName: 'Жилец',
            residence: { building: '10', room: '1201' },
          },
        },
      },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createUser.residence).toEqual({ building: '10', entrance: 1, floor: 2, room: '1201' });
    const id = created.data?.createUser.id;

    const USERS = 'query($f: UserFilter) { users(filter: $f) { total items { id residence { room } } } }';
    const onFloor2 = await graphqlRequest<{ users: { total: number; items: Array<{ id: string }> } }>(url, USERS, {
      token: educator,
      variables: { f: { building: '10', entrance: 1, floor: 2 } },
    });
    expect(onFloor2.data?.users).toEqual({ total: 1, items: [{ id, residence: { room: '1201' } }] });

    // room 1201 holds one: the next student is refused, and the first moves to 1101
    const full = await graphqlRequest(url, 'mutation($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      token: admin,
      variables: {
        i: {
          email: 'second.resident@sirius.local',
          password: 'second-resident',
          firstName: 'Второй',
          lastName: 'Жилец',
          residence: { building: '10', room: '1201' },
        },
      },
    });
    expect(errorCodes(full)).toEqual(['AUTH_ROOM_FULL']);
    const moved = await graphqlRequest<{ updateUser: { residence: { room: string; floor: number } } }>(
      url,
      'mutation($id: ID!, $i: UpdateUserInput!) { updateUser(id: $id, input: $i) { residence { room floor } } }',
      { token: admin, variables: { id, i: { residence: { building: '10', room: '1101' } } } },
    );
    expect(moved.data?.updateUser.residence).toEqual({ room: '1101', floor: 1 });
    const [after] = await campus('10');
    const residents = Object.fromEntries(
      (after?.entrances[0]?.rooms ?? []).map((r) => [r.number, r.residents.map((u) => u.id)]),
    );
    expect(residents).toEqual({ '1101': [id], '1102': [], '1201': [] });
  });

  it('extends an existing building with a new entrance on a higher floor', async () => {
    expect(await grpc.CheckPlace({ building: '8', entrance: 5 })).toEqual({ known: false });
    const added = await addRooms({ building: '8', entrance: 5, rooms: [{ number: '5601', floor: 6 }] });
    expect(added.errors).toBeUndefined();
    expect(added.data?.addRooms.rooms.map((r) => r.number)).toEqual(['5601']);
    const [tree] = await campus('8');
    // the seeded name stays; the floors grow to the new room's; rooms of the other entrances stay
    expect(tree).toMatchObject({ code: '8', name: 'Корпус 8 (юноши)', floors: 6 });
    expect(tree?.entrances.map((e) => e.number)).toEqual([1, 2, 3, 4, 5]);
    expect(tree?.entrances[4]?.rooms.map((r) => r.number)).toEqual(['5601']);
    expect(tree?.entrances[0]?.rooms).toHaveLength(20);
    // CheckPlace (other services' question, e.g. coworking's) knows the new entrance at once: no cache
    expect(await grpc.CheckPlace({ building: '8', entrance: 5 })).toEqual({ known: true });
  });

  it('refuses anyone but an admin, writing nothing', async () => {
    const input = { building: '11', entrance: 1, rooms: [{ number: '101', floor: 1 }] };
    expect(errorCodes(await addRooms(input, educator))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await addRooms(input, await login('head@sirius.local')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await addRooms(input, await login('educator.head@sirius.local')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await addRooms(input, null))).toEqual(['UNAUTHENTICATED']);
    expect(await campus('11')).toEqual([]);
  });

  it('refuses numbers the building already has, in any entrance, naming them, and writes nothing', async () => {
    const before = await campus('9');
    // entrance 7 is new, 7101 is free; 1101 (entrance 1) and 2304 (entrance 2) are seeded rooms of 9
    const res = await addRooms({
      building: '9',
      entrance: 7,
      rooms: [
        { number: '7101', floor: 9 },
        { number: '2304', floor: 1 },
        { number: '1101', floor: 1 },
      ],
    });
    expect(errorCodes(res)).toEqual(['AUTH_ROOM_NUMBER_TAKEN']);
    expect(res.errors?.[0]?.extensions?.details).toEqual({ building: '9', numbers: ['2304', '1101'] });
    expect(res.errors?.[0]?.message).toMatch(/2304, 1101/);
    // no entrance 7, no room 7101, the floors not raised to 9
    expect(await campus('9')).toEqual(before);

    // a number of an earlier call is refused too
    const again = await addRooms({ building: '10', entrance: 2, rooms: [{ number: '1102', floor: 1 }] });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'AUTH_ROOM_NUMBER_TAKEN',
      details: { building: '10', numbers: ['1102'] },
    });
    expect((await campus('10'))[0]?.entrances.map((e) => e.number)).toEqual([1]);
  });

  it('lets one of concurrent additions of the same number win; the others write nothing', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((entrance) =>
        addRooms({
          building: 'K-12',
          entrance,
          rooms: [
            { number: `${entrance}01`, floor: 1 },
            { number: '999', floor: 2 },
          ],
        }),
      ),
    );
    const won = results.filter((r) => r.data?.addRooms);
    expect(won).toHaveLength(1);
    expect(results.flatMap(errorCodes).sort()).toEqual(Array(4).fill('AUTH_ROOM_NUMBER_TAKEN'));
    const winner = won[0]?.data?.addRooms.number ?? 0;
    const [tree] = await campus('K-12');
    expect(tree?.entrances.map((e) => e.number)).toEqual([winner]);
    expect(roomNumbers(tree)).toEqual([`${winner}01`, '999']);
  });

  it('refuses bad input with a message per field, writing nothing', async () => {
    const bad = await addRooms({
      building: '12 B',
      entrance: 100,
      rooms: [
        { number: '101', floor: 0 },
        { number: '', floor: 51, capacity: 0 },
        { number: 'a very long number', floor: 1 },
      ],
    });
    expect(errorCodes(bad)).toEqual(['VALIDATION_ERROR']);
    expect(fieldsOf(bad)).toEqual({
      building: 'must be letters, digits and hyphens only, e.g. 8',
      entrance: expect.any(String),
      'rooms.0.floor': 'must be at least 1',
      'rooms.1.number': 'must not be empty',
      'rooms.1.floor': 'must be at most 50',
      'rooms.1.capacity': 'must be at least 1',
      'rooms.2.number': 'must have at most 10 characters',
    });

    const repeated = await addRooms({
      building: '12',
      entrance: 1,
      rooms: [
        { number: '101', floor: 1 },
        { number: '102', floor: 1 },
        { number: '101', floor: 2 },
      ],
    });
    expect(errorCodes(repeated)).toEqual(['VALIDATION_ERROR']);
    expect(fieldsOf(repeated)).toEqual({ 'rooms.2.number': 'repeats rooms.0.number (101): each number once per call' });

    const none = await addRooms({ building: '12', entrance: 1, rooms: [] });
    expect(fieldsOf(none)).toEqual({ rooms: 'must name at least one room' });
    const tooMany = await addRooms({
      building: '12',
      entrance: 1,
      rooms: Array.from({ length: 201 }, (_, i) => ({ number: String(1000 + i), floor: 1 })),
    });
    expect(fieldsOf(tooMany)).toEqual({ rooms: 'must name at most 200 rooms per call' });

    expect(await campus('12')).toEqual([]);
    expect(await campus('12 B')).toEqual([]);
  });
});
