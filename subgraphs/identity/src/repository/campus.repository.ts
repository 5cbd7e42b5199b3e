import type { EntranceRef } from '@campus/platform';
import type { BuildingRecord, RoomRecord, RoomRef, RoomsToAdd } from '../domain/campus';
import { roomNumbersTaken } from '../domain/errors';
import type { CampusStore } from '../services/ports';
import {
  isUniqueViolation,
  onlyUuids,
  Prisma,
  sqlRows,
  type DatabasePool,
  type Db,
  type PrismaClient,
} from './database';

type RoomRow = Prisma.RoomGetPayload<object>;

const toRoomRecord = (row: RoomRow): RoomRecord => ({
  id: row.id,
  building: row.buildingCode,
  entrance: row.entrance,
  floor: row.floor,
  number: row.number,
  capacity: row.capacity,
});

/** A row of ROOM_COLUMNS (plain pg). */
interface RoomSqlRow {
  id: string;
  building_code: string;
  entrance: number;
  floor: number;
  number: string;
  capacity: number;
}

const ROOM_COLUMNS = Prisma.sql`r.id::text AS id, r.building_code, r.entrance, r.floor, r.number, r.capacity`;

const roomOfRow = (row: RoomSqlRow): RoomRecord => ({
  id: row.id,
  building: row.building_code,
  entrance: row.entrance,
  floor: row.floor,
  number: row.number,
  capacity: row.capacity,
});

/** "8" before "9" before "10"; one collator (localeCompare with options builds one per call). */
const byCode = new Intl.Collator('en', { numeric: true }).compare;

const distinctBy = <T>(items: readonly T[], key: (item: T) => string): T[] => [
  ...new Map(items.map((item) => [key(item), item])).values(),
];

/**
 * The layout reads of every campus tree and room reference (buildings, rooms of entrances, rooms by
 * id) are plain SQL on the pool, prepared once per connection: a Prisma findMany cost 3–5 ms of CPU
 * each, 6–10× the same rows read with pg (docs/performance.md, "A 2,000-student campus").
 */
export class PrismaCampusRepository implements CampusStore {
  constructor(
    private readonly db: PrismaClient,
    /** The pool under `db`: the layout reads run on it directly. */
    private readonly pool: DatabasePool,
  ) {}

  async listBuildings(): Promise<BuildingRecord[]> {
    const rows = await sqlRows<{ code: string; name: string; floors: number; entrances: number[] }>(
      this.pool,
      Prisma.sql`
        SELECT b.code, b.name, b.floors,
               ARRAY(SELECT e.number FROM entrances e WHERE e.building_code = b.code ORDER BY e.number) AS entrances
        FROM buildings b`,
      'identity.buildings',
    );
    return rows.sort((a, b) => byCode(a.code, b.code));
  }

  async roomsByIds(ids: readonly string[]): Promise<RoomRecord[]> {
    const valid = onlyUuids(ids);
    if (valid.length === 0) return [];
    const rows = await sqlRows<RoomSqlRow>(
      this.pool,
      Prisma.sql`SELECT ${ROOM_COLUMNS} FROM rooms r WHERE r.id = ANY(${valid}::uuid[])`,
      'identity.rooms-by-ids',
    );
    return rows.map(roomOfRow);
  }

  async roomsOfEntrances(entrances: readonly EntranceRef[]): Promise<RoomRecord[]> {
    const refs = distinctBy(entrances, (e) => `${e.building}\u0000${e.entrance}`);
    if (refs.length === 0) return [];
    const rows = await sqlRows<RoomSqlRow>(
      this.pool,
      Prisma.sql`
        SELECT ${ROOM_COLUMNS}
        FROM unnest(${refs.map((e) => e.building)}::text[], ${refs.map((e) => e.entrance)}::int[]) AS e(building, entrance)
        JOIN rooms r ON r.building_code = e.building AND r.entrance = e.entrance
        ORDER BY r.building_code, r.entrance, r.floor, r.number`,
      'identity.rooms-of-entrances',
    );
    return rows.map(roomOfRow);
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

  /**
   * An administrative path, so on Prisma. The building's row is created or locked first: additions
   * to one building queue there, and each sees the rooms of those before it. The unique index on
   * (building_code, number) stays the rule; a room written past that lock (a seed, plain SQL) between
   * the check and the insert fails the insert, answered like the check.
   */
  async addRooms(input: RoomsToAdd): Promise<RoomRecord[]> {
    const numbers = input.rooms.map((r) => r.number);
    const floors = Math.max(...input.rooms.map((r) => r.floor));
    try {
      return await this.db.$transaction(async (tx) => {
        await tx.$executeRaw`
          INSERT INTO buildings (code, name, floors) VALUES (${input.building}, ${input.buildingName}, ${floors})
          ON CONFLICT (code) DO UPDATE SET floors = GREATEST(buildings.floors, EXCLUDED.floors)`;
        await tx.$executeRaw`
          INSERT INTO entrances (building_code, number) VALUES (${input.building}, ${input.entrance})
          ON CONFLICT DO NOTHING`;
        const taken = await takenNumbers(tx, input.building, numbers);
        if (taken.length > 0) throw roomNumbersTaken(input.building, taken);
        const rows = await tx.room.createManyAndReturn({
          data: input.rooms.map((r) => ({
            buildingCode: input.building,
            entrance: input.entrance,
            floor: r.floor,
            number: r.number,
            capacity: r.capacity,
          })),
        });
        return rows.map(toRoomRecord);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw roomNumbersTaken(input.building, await takenNumbers(this.db, input.building, numbers));
    }
  }
}

/** Which of `numbers` the building has already, in the order given. */
async function takenNumbers(db: Db, building: string, numbers: readonly string[]): Promise<string[]> {
  const rows = await db.room.findMany({
    where: { buildingCode: building, number: { in: [...numbers] } },
    select: { number: true },
  });
  const taken = new Set(rows.map((r) => r.number));
  return numbers.filter((n) => taken.has(n));
}
