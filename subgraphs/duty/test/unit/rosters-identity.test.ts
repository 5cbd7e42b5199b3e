// Rooms and residents from identity's GetUsers (clients/identity.client.ts), against a scripted
// GetUsers: which users make a room occupied, how calls are batched, and what a failure becomes.
import type { GetUsersRequest, IdentityUserOutput } from '@campus/contracts';
import { createLogger, unavailable } from '@campus/platform';
import { IdentityRoomDirectory } from '../../src/clients/identity.client';
import type { RoomRef } from '../../src/domain/records';

const ROOM_301 = '00000000-0000-4000-8000-000000000301';
const ROOM_302 = '00000000-0000-4000-8000-000000000302';
const ROOM_1001 = '00000000-0000-4000-8000-000000001001';
const ROOM_B = '00000000-0000-4000-8000-00000000b201';

let seq = 0;
function user(roomId: string | null, number: string, fields: Partial<IdentityUserOutput> = {}): IdentityUserOutput {
  seq += 1;
  return {
    id: `00000000-0000-4000-9000-${String(seq).padStart(12, '0')}`,
    email: '',
    phone: '',
    firstName: 'Ivan',
    lastName: `Petrov${seq}`,
    patronymic: '',
    fullName: '',
    roles: ['student'],
    residence: roomId ? { building: '8', entrance: 1, floor: Number(number.slice(0, -2)), room: number, roomId } : null,
    isMinor: false,
    isActive: true,
    parentContact: null,
    assignedEntrances: [],
    ...fields,
  };
}

/** A GetUsers answering from `users` with identity's filters; records each request. */
function identityOf(users: IdentityUserOutput[]) {
  const requests: GetUsersRequest[] = [];
  let failing = false;
  const client = {
    GetUsers: async (request: GetUsersRequest) => {
      requests.push(request);
      if (failing) throw unavailable('identity is down');
      return {
        users: users.filter(
          (u) =>
            (!request.ids?.length || request.ids.includes(u.id)) &&
            (request.building === undefined || u.residence?.building === request.building) &&
            (request.entrance === undefined || u.residence?.entrance === request.entrance) &&
            (!request.role || u.roles.includes(request.role)) &&
            u.isActive,
        ),
      };
    },
  };
  return {
    requests,
    fail: () => {
      failing = true;
    },
    directory: new IdentityRoomDirectory(client, createLogger('test', 'silent')),
  };
}

describe('IdentityRoomDirectory', () => {
  const a = user(ROOM_301, '301');
  const b = user(ROOM_301, '301', { fullName: 'Sidorova Anna' });
  const c = user(ROOM_1001, '1001');
  const d = user(ROOM_302, '302');
  const inactive = user(ROOM_B, '201', { isActive: false });
  const noRoomId = user(null, '205');
  const otherBuilding = user('00000000-0000-4000-8000-00000000c101', '101', {
    residence: { building: '9', entrance: 1, floor: 1, room: '101', roomId: '00000000-0000-4000-8000-00000000c101' },
  });

  it('lists the rooms of the entrance with an active student, by floor and number, with their residents', async () => {
    const { directory, requests } = identityOf([c, a, inactive, b, noRoomId, otherBuilding, d]);
    const rooms = await directory.occupiedRooms({ building: '8', entrance: 1 });
    expect(rooms.map((r) => [r.number, r.residents.map((x) => x.userId)])).toEqual([
      ['301', [a.id, b.id]],
      ['302', [d.id]],
      ['1001', [c.id]],
    ]);
    expect(rooms[0]).toMatchObject({ roomId: ROOM_301, building: '8', entrance: 1, floor: 3 });
    expect(rooms[0]!.residents[1]!.fullName).toBe('Sidorova Anna');
    expect(rooms[0]!.residents[0]!.fullName).toBe(`${a.lastName} Ivan`);
    expect(requests).toEqual([{ building: '8', entrance: 1, role: 'student' }]);
  });

  it('names the room of each user in one call, null for the unknown, roomless and inactive', async () => {
    const { directory, requests } = identityOf([a, c, inactive, noRoomId]);
    const unknown = '00000000-0000-4000-9000-999999999999';
    const rooms = await directory.roomsOf([a.id, c.id, inactive.id, noRoomId.id, unknown]);
    expect(rooms.get(a.id)).toEqual<RoomRef>({ roomId: ROOM_301, building: '8', entrance: 1, floor: 3, number: '301' });
    expect(rooms.get(c.id)?.roomId).toBe(ROOM_1001);
    expect([rooms.get(inactive.id), rooms.get(noRoomId.id), rooms.get(unknown)]).toEqual([null, null, null]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.ids).toHaveLength(5);
  });

  it('batches more than 1000 users into calls of at most 1000 ids', async () => {
    const { directory, requests } = identityOf([a]);
    const ids = Array.from({ length: 2001 }, (_, i) => `00000000-0000-4000-a000-${String(i).padStart(12, '0')}`);
    await directory.roomsOf([a.id, ...ids]);
    expect(requests.map((r) => r.ids!.length)).toEqual([1000, 1000, 2]);
  });

  it('asks once per entrance for the residents of rooms, and maps a room nobody lives in to []', async () => {
    const { directory, requests } = identityOf([a, b, d]);
    const empty: RoomRef = { roomId: ROOM_B, building: '8', entrance: 1, floor: 2, number: '201' };
    const r301: RoomRef = { roomId: ROOM_301, building: '8', entrance: 1, floor: 3, number: '301' };
    const residents = await directory.residentsOf([r301, empty]);
    expect(residents.get(ROOM_301)!.map((r) => r.userId)).toEqual([a.id, b.id]);
    expect(residents.get(ROOM_B)).toEqual([]);
    expect(residents.has(ROOM_302)).toBe(false); // only the rooms asked about
    expect(requests).toEqual([{ building: '8', entrance: 1, role: 'student' }]);
  });

  it('turns a failing identity into DUTY_DEPENDENCY_UNAVAILABLE naming identity', async () => {
    const { directory, fail } = identityOf([a]);
    fail();
    await expect(directory.occupiedRooms({ building: '8', entrance: 1 })).rejects.toMatchObject({
      code: 'DUTY_DEPENDENCY_UNAVAILABLE',
      details: { dependency: 'identity', cause: 'UNAVAILABLE' },
    });
    await expect(directory.roomsOf([a.id])).rejects.toMatchObject({ code: 'DUTY_DEPENDENCY_UNAVAILABLE' });
  });
});
