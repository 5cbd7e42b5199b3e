// What the directory asks identity and how it reads the answers (identity's client is a stand-in).
import type { IdentityUserOutput } from '@campus/contracts';
import { IdentityDirectory } from '../../src/clients/identity.client';

type Client = ConstructorParameters<typeof IdentityDirectory>[0];

/** A GetUsers summary (summary_only): no contacts, roles or entrances. */
const summary = (id: string, residence: IdentityUserOutput['residence']): IdentityUserOutput => ({
  id,
  email: '',
  phone: '',
  firstName: 'Тест',
  lastName: id,
  patronymic: '',
  fullName: `${id} Тест`,
  roles: [],
  residence,
  isMinor: false,
  isActive: true,
  parentContact: null,
  assignedEntrances: [],
});

const place = (building: string, entrance: number, room: string) => ({
  building,
  entrance,
  floor: Number(room[0] ?? 0),
  room,
  roomId: '',
});

test('an entrance’s residents: one summary call for its students, read as id and room', async () => {
  const requests: unknown[] = [];
  const client: Client = {
    GetUsers: async (request) => {
      requests.push(request);
      return {
        users: [
          summary('a', place('8', 2, '301')),
          summary('b', place('8', 2, '302')),
          summary('c', place('8', 3, '301')), // elsewhere: never counts, whatever identity answered
          summary('d', place('8', 2, '')), // no room on record
          summary('e', null),
        ],
        placeKnown: true,
      };
    },
  };

  expect(await new IdentityDirectory(client).residentsOf({ building: '8', entrance: 2 })).toEqual([
    { id: 'a', room: '301' },
    { id: 'b', room: '302' },
  ]);
  expect(requests).toEqual([{ building: '8', entrance: 2, role: 'student', summaryOnly: true }]);
});

test('identity failing fails the call (the consumer retries the event)', async () => {
  const client: Client = { GetUsers: () => Promise.reject(new Error('UNAVAILABLE')) };
  await expect(new IdentityDirectory(client).residentsOf({ building: '8', entrance: 2 })).rejects.toThrow(
    'UNAVAILABLE',
  );
});
