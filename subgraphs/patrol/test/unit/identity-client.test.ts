// The entrance's minors as identity's GetUsers answers them: place_known tells an entrance the
// layout lacks (null, refused by startPatrol) from one without minors ([]).
import type { IdentityUserOutput } from '@campus/contracts';
import { IdentityResidentDirectory } from '../../src/clients/identity.client';

type Client = ConstructorParameters<typeof IdentityResidentDirectory>[0];
type Answer = Awaited<ReturnType<Client['GetUsers']>>;

const minor: IdentityUserOutput = {
  id: 'u1',
  email: '',
  phone: '',
  firstName: 'Артём',
  lastName: 'Алексеев',
  patronymic: '',
  fullName: 'Алексеев Артём',
  roles: [],
  residence: { building: '8', entrance: 1, floor: 3, room: '1301', roomId: '' },
  isMinor: true,
  isActive: true,
  parentContact: null,
  assignedEntrances: [],
};

function answering(answer: Answer): { client: Client; requests: unknown[] } {
  const requests: unknown[] = [];
  const client: Client = {
    GetUsers: async (request) => {
      requests.push(request);
      return answer;
    },
    GetUser: async () => minor,
  };
  return { client, requests };
}

describe('IdentityResidentDirectory.minorResidents', () => {
  it("asks once for the entrance's minor summaries and maps them", async () => {
    const { client, requests } = answering({ users: [minor], placeKnown: true });
    expect(await new IdentityResidentDirectory(client).minorResidents('8', 1)).toEqual([
      {
        id: 'u1',
        fullName: 'Алексеев Артём',
        building: '8',
        entrance: 1,
        room: '1301',
        isMinor: true,
        isActive: true,
      },
    ]);
    expect(requests).toEqual([{ building: '8', entrance: 1, minorsOnly: true, summaryOnly: true }]);
  });

  it('answers [] for an entrance without minors and null for one the layout lacks', async () => {
    const empty = answering({ users: [], placeKnown: true });
    expect(await new IdentityResidentDirectory(empty.client).minorResidents('8', 4)).toEqual([]);
    const unknown = answering({ users: [], placeKnown: false });
    expect(await new IdentityResidentDirectory(unknown.client).minorResidents('8', 5)).toBeNull();
  });

  it('reads an answer without place_known (an older identity) as a known entrance', async () => {
    const { client } = answering({ users: [] });
    expect(await new IdentityResidentDirectory(client).minorResidents('8', 4)).toEqual([]);
  });
});
