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
