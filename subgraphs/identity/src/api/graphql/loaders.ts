// Per-request DataLoaders: every entity and nested list of one request is fetched in one query per
// kind, however many parents ask (federation resolves _entities one by one).
import type { EntranceRef } from '@campus/platform';
import DataLoader from 'dataloader';
import type { RoomRecord } from '../../domain/campus';
import type { UserRecord, UserSummary } from '../../domain/users';
import type { IdentityServices } from '../../services';

export interface Loaders {
  user: DataLoader<string, UserRecord | null>;
  room: DataLoader<string, RoomRecord | null>;
  residents: DataLoader<string, UserSummary[]>;
  roomsOfEntrance: DataLoader<EntranceRef, RoomRecord[], string>;
  residentsOfEntrance: DataLoader<EntranceRef, UserSummary[], string>;
  /**
   * Residents by room id, already read with their whole entrance (Entrance.rooms, when the query
   * asks for them): Room.residents answers these without a promise per room.
   */
  residentsOfRoom: Map<string, UserSummary[]>;
}

function byKey<K, V>(keys: readonly K[], values: readonly V[], keyOf: (value: V) => K): Array<V | null> {
  const map = new Map(values.map((v) => [keyOf(v), v]));
  return keys.map((k) => map.get(k) ?? null);
}

function groupedByKey<K, V>(keys: readonly K[], values: readonly V[], keyOf: (value: V) => K | undefined): V[][] {
  const groups = new Map<K, V[]>(keys.map((k) => [k, []]));
  for (const v of values) {
    const key = keyOf(v);
    if (key !== undefined) groups.get(key)?.push(v);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

const entranceKey = (e: EntranceRef) => `${e.building}\u0000${e.entrance}`;

export function createLoaders(services: IdentityServices): Loaders {
  return {
    user: new DataLoader(async (ids) => byKey(ids, await services.users.usersByIds(ids), (u) => u.id)),
    room: new DataLoader(async (ids) => byKey(ids, await services.campus.roomsByIds(ids), (r) => r.id)),
    residents: new DataLoader(async (roomIds) =>
      groupedByKey(roomIds, await services.users.residentsOfRooms(roomIds), (u) => u.residence?.roomId),
    ),
    roomsOfEntrance: new DataLoader(
      async (entrances) => {
        const rooms = await services.campus.roomsOfEntrances(entrances);
        return groupedByKey(entrances.map(entranceKey), rooms, (r) =>
          entranceKey({ building: r.building, entrance: r.entrance }),
        );
      },
      { cacheKeyFn: entranceKey },
    ),
    residentsOfEntrance: new DataLoader(
      async (entrances) => {
        const residents = await services.users.residentsOfEntrances(entrances);
        return groupedByKey(entrances.map(entranceKey), residents, (u) =>
          u.residence ? entranceKey(u.residence) : undefined,
        );
      },
      { cacheKeyFn: entranceKey },
    ),
    residentsOfRoom: new Map(),
  };
}
