import type { Role } from '@campus/platform';
import { CachedUserDirectory } from '../../src/adapters/cached-user-directory';
import type { DirectoryUser } from '../../src/domain/staff';
import type { UserDirectory } from '../../src/services/ports';

const user = (id: string, roles: Role[] = ['student']): DirectoryUser => ({
  id,
  fullName: `User ${id}`,
  roles,
  assignedEntrances: [],
  residence: null,
});

/** identity's directory double: counts calls, knows users a, b, c and two educators. */
function identity() {
  const calls = { roles: [] as Role[], ids: [] as string[][], entrances: [] as string[] };
  const known = new Map(['a', 'b', 'c'].map((id) => [id, user(id)]));
  const inner: UserDirectory = {
    usersWithRole: async (role) => {
      calls.roles.push(role);
      return role === 'educator' ? [user('e1', ['educator']), user('e2', ['educator'])] : [];
    },
    usersByIds: async (ids) => {
      calls.ids.push(ids);
      return ids.flatMap((id) => (known.has(id) ? [known.get(id)!] : []));
    },
    residentsOf: async (entrance) => {
      calls.entrances.push(`${entrance.building}/${entrance.entrance}`);
      return [{ id: 'a', room: `30${calls.entrances.length}` }];
    },
  };
  return { inner, calls };
}

test('a staff list is asked once per role while fresh, concurrent misses sharing one call', async () => {
  const { inner, calls } = identity();
  const directory = new CachedUserDirectory(inner, { ttlMs: 60_000, maxUsers: 100 });
  const lists = await Promise.all([directory.usersWithRole('educator'), directory.usersWithRole('educator')]);
  await directory.usersWithRole('educator');
  expect(lists[0]!.map((u) => u.id)).toEqual(['e1', 'e2']);
  expect(calls.roles).toEqual(['educator']);
  await directory.usersWithRole('educator_head');
  expect(calls.roles).toEqual(['educator', 'educator_head']);
});

test('names: only ids not seen yet are asked, in one call; unknown ids are asked again', async () => {
  const { inner, calls } = identity();
  const directory = new CachedUserDirectory(inner, { ttlMs: 60_000, maxUsers: 100 });
  expect((await directory.usersByIds(['a', 'b'])).map((u) => u.id)).toEqual(['a', 'b']);
  expect((await directory.usersByIds(['b', 'c', 'x', 'c'])).map((u) => u.id)).toEqual(['b', 'c', 'c']);
  expect(await directory.usersByIds(['x'])).toEqual([]);
  expect(calls.ids).toEqual([['a', 'b'], ['c', 'x'], ['x']]);
});

test('answers expire after the TTL; with a TTL of 0 every call goes to identity', async () => {
  {
    const { inner, calls } = identity();
    const directory = new CachedUserDirectory(inner, { ttlMs: 30, maxUsers: 100 });
    await directory.usersByIds(['a']);
    await directory.usersByIds(['a']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await directory.usersByIds(['a']);
    expect(calls.ids).toEqual([['a'], ['a']]);
  }
  const { inner, calls } = identity();
  const uncached = new CachedUserDirectory(inner, { ttlMs: 0, maxUsers: 100 });
  await uncached.usersWithRole('educator');
  await uncached.usersWithRole('educator');
  await uncached.usersByIds(['a']);
  await uncached.usersByIds(['a']);
  expect(calls.roles).toHaveLength(2);
  expect(calls.ids).toHaveLength(2);
});

test('an entrance’s residents are asked every time (a roster must see who lives where now)', async () => {
  const { inner, calls } = identity();
  const directory = new CachedUserDirectory(inner, { ttlMs: 60_000, maxUsers: 100 });
  expect(await directory.residentsOf({ building: '8', entrance: 2 })).toEqual([{ id: 'a', room: '301' }]);
  expect(await directory.residentsOf({ building: '8', entrance: 2 })).toEqual([{ id: 'a', room: '302' }]);
  expect(calls.entrances).toEqual(['8/2', '8/2']);
});
