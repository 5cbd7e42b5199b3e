import type { EntranceRef } from '@campus/platform';
import type { BuildingRecord, RoomRecord, RoomRef } from '../domain/campus';
import type { CampusStore } from '../services/ports';
import { onlyUuids, type Prisma, type PrismaClient } from './database';

type RoomRow = Prisma.RoomGetPayload<object>;

const toRoomRecord = (row: RoomRow): RoomRecord => ({
  id: row.id,
  building: row.buildingCode,
  entrance: row.entrance,
  floor: row.floor,
  number: row.number,
  capacity: row.capacity,
});

/** "8" before "9" before "10". */
const byCode = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

const distinctBy = <T>(items: readonly T[], key: (item: T) => string): T[] => [
  ...new Map(items.map((item) => [key(item), item])).values(),
];

export class PrismaCampusRepository implements CampusStore {
  constructor(private readonly db: PrismaClient) {}

  async listBuildings(): Promise<BuildingRecord[]> {
    const rows = await this.db.building.findMany({ include: { entrances: { select: { number: true } } } });
    return rows
      .map((b) => ({
        code: b.code,
        name: b.name,
        floors: b.floors,
        entrances: b.entrances.map((e) => e.number).sort((x, y) => x - y),
      }))
      .sort((a, b) => byCode(a.code, b.code));
  }

  async roomsByIds(ids: readonly string[]): Promise<RoomRecord[]> {
    const valid = onlyUuids(ids);
    if (valid.length === 0) return [];
    return (await this.db.room.findMany({ where: { id: { in: valid } } })).map(toRoomRecord);
  }

  async roomsOfEntrances(entrances: readonly EntranceRef[]): Promise<RoomRecord[]> {
    const refs = distinctBy(entrances, (e) => `${e.building}\u0000${e.entrance}`);
    if (refs.length === 0) return [];
    const rows = await this.db.room.findMany({
      where: { OR: refs.map((e) => ({ buildingCode: e.building, entrance: e.entrance })) },
      orderBy: [{ buildingCode: 'asc' }, { entrance: 'asc' }, { floor: 'asc' }, { number: 'asc' }],
    });
    return rows.map(toRoomRecord);
  }

  async findRooms(refs: readonly RoomRef[]): Promise<RoomRecord[]> {
    const distinct = distinctBy(refs, (r) => `${r.building}\u0000${r.room}`);
    if (distinct.length === 0) return [];
    const rows = await this.db.room.findMany({
      where: { OR: distinct.map((r) => ({ buildingCode: r.building, number: r.room })) },
    });
    return rows.map(toRoomRecord);
  }

  async existingEntrances(refs: readonly EntranceRef[]): Promise<EntranceRef[]> {
    if (refs.length === 0) return [];
    const rows = await this.db.entrance.findMany({
      where: { OR: refs.map((e) => ({ buildingCode: e.building, number: e.entrance })) },
    });
    return rows.map((e) => ({ building: e.buildingCode, entrance: e.number }));
  }
}
