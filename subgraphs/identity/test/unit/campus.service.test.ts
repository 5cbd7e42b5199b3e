import { CampusService } from '../../src/services/campus.service';
import { InMemoryCampus, InMemoryUsers, caller } from '../support/fakes';

describe('campus tree', () => {
  const campus = InMemoryCampus.standard(['8', '9'], 4, 2);
  const users = new InMemoryUsers(campus);
  const service = new CampusService(campus);
  const head = users.add({ roles: ['student', 'student_head'], room: { building: '8', room: '2101' } });
  const educator = users.add({ roles: ['educator'] });
  const patrol = users.add({ roles: ['student', 'student_patrol'], room: { building: '8', room: '2102' } });

  it('shows staff every building and entrance', async () => {
    const tree = await service.tree(caller(educator));
    expect(tree.map((b) => b.code)).toEqual(['8', '9']);
    expect(tree[0]?.entrances.map((e) => e.number)).toEqual([1, 2, 3, 4]);
    expect(tree[0]).toMatchObject({ name: 'Корпус 8', floors: 2 });
  });

  it('shows a head only their own entrance', async () => {
    const tree = await service.tree(caller(head));
    expect(tree).toEqual([{ code: '8', name: 'Корпус 8', floors: 2, entrances: [{ building: '8', number: 2 }] }]);
    const rooms = await service.roomsOfEntrances([{ building: '8', entrance: 2 }]);
    expect(rooms.every((r) => r.building === '8' && r.entrance === 2)).toBe(true);
    expect(await service.roomsByIds([rooms[0]?.id ?? ''])).toHaveLength(1);
  });

  it('refuses students who are not heads', async () => {
    await expect(service.tree(caller(patrol))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('extending the layout (addRooms)', () => {
  const setup = () => {
    const campus = InMemoryCampus.standard(['8'], 2, 2);
    const users = new InMemoryUsers(campus);
    return {
      campus,
      service: new CampusService(campus),
      admin: caller(users.add({ roles: ['admin'] })),
      educator: caller(users.add({ roles: ['educator'] })),
    };
  };
  const room = (number: string, floor: number) => ({ number, floor, capacity: 3 });

  it('lets an admin add a new building, named by default, its floors those of its rooms', async () => {
    const { campus, service, admin } = setup();
    const entrance = await service.addRooms(admin, { building: 'A1', entrance: 2, rooms: [room('201', 7)] });
    expect(entrance).toEqual({ building: 'A1', number: 2 });
    expect((await service.tree(admin, 'A1'))[0]).toEqual({
      code: 'A1',
      name: 'Корпус A1',
      floors: 7,
      entrances: [{ building: 'A1', number: 2 }],
    });
    expect(campus.room('A1', '201')).toMatchObject({ entrance: 2, floor: 7, capacity: 3 });
  });

  it('refuses anyone but an admin', async () => {
    const { campus, service, educator } = setup();
    const before = campus.rooms.length;
    await expect(
      service.addRooms(educator, { building: '8', entrance: 1, rooms: [room('190', 1)] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.addRooms(null, { building: '8', entrance: 1, rooms: [room('190', 1)] })).rejects.toMatchObject(
      {
        code: 'UNAUTHENTICATED',
      },
    );
    expect(campus.rooms).toHaveLength(before);
  });

  it('refuses numbers the building has in any entrance, and numbers repeated in the call', async () => {
    const { campus, service, admin } = setup();
    const before = campus.rooms.length;
    // "2101" is a room of entrance 2; adding it to entrance 1 still clashes (unique per building)
    await expect(
      service.addRooms(admin, { building: '8', entrance: 1, rooms: [room('190', 1), room('2101', 1)] }),
    ).rejects.toMatchObject({ code: 'AUTH_ROOM_NUMBER_TAKEN', details: { building: '8', numbers: ['2101'] } });
    await expect(
      service.addRooms(admin, { building: '8', entrance: 1, rooms: [room('190', 1), room('190', 2)] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', details: { numbers: ['190'] } });
    expect(campus.rooms).toHaveLength(before);
  });
});
