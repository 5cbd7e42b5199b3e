// The scale seed: enough extra buildings ("S1", "S2", …; the demo's are "8" and "9") and N students
// living in them (`scale.student0001@sirius.local`, ~30 % minors, four check-out cohorts), a head
// and a patrol per entrance, added to whatever campus exists — to measure queries at the size of a
// real campus (docs/performance.md). Not part of the demo seed. Idempotent: it counts the scale
// students already there and adds only the missing ones, into free places of the scale buildings.
import { Prisma, type PrismaClient } from '../repository/database';
import { argon2Hasher } from '../adapters/argon2-hasher';
import type { PasswordHasher } from '../services/ports';
import {
  vacuumSeededTables,
  appointEntranceRoles,
  CHECK_OUT,
  insertLayout,
  insertUsers,
  pad,
  planRooms,
  planStudent,
  type BuildingPlan,
  type RoomPlan,
  type Resident,
} from './campus-plan';

export const DEFAULT_SCALE_STUDENTS = 2000;
const ROOMS_PER_FLOOR = 6;
/** Students planned per building (of 4 × 5 × 6 rooms × 3 = 360 places): every room gets 2–3. */
const STUDENTS_PER_BUILDING = 340;
const SCALE_BUILDING = /^S(\d+)$/;
const SCALE_EMAIL_PREFIX = 'scale.student';
const SCALE_EMAIL_DOMAIN = '@sirius.local';
/** Cohorts leave at different dates, so that a check-out date filter selects a part of the campus. */
const CHECK_OUT_DATES = [
  new Date(Date.UTC(2026, 11, 25)),
  new Date(Date.UTC(2027, 2, 31)),
  new Date(Date.UTC(2027, 4, 31)),
  CHECK_OUT,
];

export interface ScaleSeedOptions {
  students: number;
  password: string;
  hasher?: PasswordHasher;
}

export interface ScaleSeedResult {
  /** Scale students added by this run. */
  added: number;
  /** Scale students there are now (more than asked when an earlier run asked for more). */
  students: number;
  /** Scale buildings there are now, and how many of them this run created. */
  buildings: number;
  buildingsCreated: number;
  /** Student heads and patrols this run appointed. */
  rolesGranted: number;
}

export const scaleStudentEmail = (seq: number): string => `${SCALE_EMAIL_PREFIX}${pad(seq, 4)}${SCALE_EMAIL_DOMAIN}`;

function scaleSeqOf(email: string): number | undefined {
  const match = /^scale\.student(\d+)@sirius\.local$/.exec(email);
  return match ? Number(match[1]) : undefined;
}

const scaleBuilding = (index: number): BuildingPlan =>
  index % 2 === 1
    ? { code: `S${index}`, name: `Корпус S${index} (юноши)`, gender: 'male' }
    : { code: `S${index}`, name: `Корпус S${index} (девушки)`, gender: 'female' };

/** "S2" before "S10". */
const byBuildingIndex = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

interface RoomPlaces extends RoomPlan {
  /** Places taken: active residents and places held for a check-out in progress. */
  occupied: number;
}

/** Every room of the scale buildings with its places taken (as the repository counts them). */
function roomsWithPlaces(tx: Prisma.TransactionClient, codes: readonly string[]): Promise<RoomPlaces[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return tx.$queryRaw<RoomPlaces[]>`
    SELECT r.id::text AS id, r.building_code AS "buildingCode", r.entrance, r.floor, r.number, r.capacity,
           ((SELECT count(*) FROM users u WHERE u.room_id = r.id AND u.is_active)
          + (SELECT count(*) FROM checkout_holds h
              WHERE h.room_id = r.id AND h.status = 'held' AND h.previous_is_active))::int AS occupied
    FROM rooms r
    WHERE r.building_code IN (${Prisma.join(codes)})`;
}

/**
 * Free places, one room at a time: every room's first free place before any room's second, so the
 * students spread over all the entrances; rooms in building, entrance, floor, number order.
 */
function freePlaces(rooms: readonly RoomPlaces[]): RoomPlaces[] {
  const ordered = [...rooms].sort(
    (a, b) =>
      byBuildingIndex(a.buildingCode, b.buildingCode) ||
      a.entrance - b.entrance ||
      a.floor - b.floor ||
      a.number.localeCompare(b.number),
  );
  const places: RoomPlaces[] = [];
  const most = Math.max(0, ...ordered.map((r) => r.capacity));
  for (let layer = 0; layer < most; layer++) {
    for (const room of ordered) if (room.occupied <= layer && layer < room.capacity) places.push(room);
  }
  return places;
}

/** Adds scale buildings and students up to `options.students` of them; see the file's comment. */
export async function seedScaleCampus(prisma: PrismaClient, options: ScaleSeedOptions): Promise<ScaleSeedResult> {
  if (!Number.isInteger(options.students) || options.students < 0) {
    throw new Error(`students must be a whole number ≥ 0, not ${options.students}`);
  }
  // Hashed once for every scale student: argon2 is deliberately slow (~2,000 hashes would take minutes).
  const passwordHash = await (options.hasher ?? argon2Hasher).hash(options.password);
  const result = await prisma.$transaction(
    async (tx) => {
      // The demo seed's lock: the two seeds (and two runs of either) never interleave.
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('campus.identity.seed'))`;
      const allBuildings = await tx.building.findMany({ select: { code: true } });
      // The demo seed does nothing once any building exists: a campus made only of scale buildings
      // would never get its demo accounts.
      if (!allBuildings.some((b) => !SCALE_BUILDING.test(b.code))) {
        throw new Error('no campus yet: seed the demo campus first (npm run db:seed)');
      }
      const existing = await tx.user.findMany({
        where: { email: { startsWith: SCALE_EMAIL_PREFIX, endsWith: SCALE_EMAIL_DOMAIN } },
        select: { email: true },
      });
      const present = new Set(existing.flatMap((u) => scaleSeqOf(u.email) ?? []));
      const missing = Array.from({ length: options.students }, (_, i) => i + 1).filter((seq) => !present.has(seq));

      const scaleCodes = allBuildings.map((b) => b.code).filter((code) => SCALE_BUILDING.test(code));
      const lastIndex = Math.max(0, ...scaleCodes.map((code) => Number(SCALE_BUILDING.exec(code)?.[1])));
      let buildingsCreated = 0;
      const addBuildings = async (count: number) => {
        const buildings = Array.from({ length: count }, (_, i) => scaleBuilding(lastIndex + buildingsCreated + i + 1));
        await insertLayout(
          tx,
          buildings,
          buildings.flatMap((b) => planRooms(b, ROOMS_PER_FLOOR)),
        );
        scaleCodes.push(...buildings.map((b) => b.code));
        buildingsCreated += count;
      };
      const wanted = Math.ceil(options.students / STUDENTS_PER_BUILDING);
      if (missing.length > 0 && scaleCodes.length < wanted) await addBuildings(wanted - scaleCodes.length);
      let places = freePlaces(await roomsWithPlaces(tx, scaleCodes));
      // Others may live in scale rooms too (imports, check-out tests): build on until all fit.
      while (places.length < missing.length) {
        await addBuildings(Math.ceil((missing.length - places.length) / STUDENTS_PER_BUILDING));
        places = freePlaces(await roomsWithPlaces(tx, scaleCodes));
      }

      const male = new Set(scaleCodes.filter((code) => scaleBuilding(Number(code.slice(1))).gender === 'male'));
      const students = missing.map((seq, i) => {
        const room = places[i] as RoomPlaces;
        return planStudent(seq, room, male.has(room.buildingCode) ? 'male' : 'female', {
          email: scaleStudentEmail(seq),
          isMinor: seq % 10 < 3,
          phone: `+7901${pad(seq, 7)}`,
          parentPhone: `+7917${pad(seq, 7)}`,
          checkOutDate: CHECK_OUT_DATES[seq % CHECK_OUT_DATES.length],
        });
      });
      await insertUsers(tx, students, passwordHash);

      const rolesGranted = await appointScaleEntranceRoles(tx, scaleCodes);
      return {
        added: students.length,
        students: present.size + students.length,
        buildings: scaleCodes.length,
        buildingsCreated,
        rolesGranted,
      };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  if (result.added > 0) await vacuumSeededTables(prisma);
  return result;
}

/** A head and a patrol for every scale entrance that lacks one: its first adult scale students. */
async function appointScaleEntranceRoles(tx: Prisma.TransactionClient, codes: readonly string[]): Promise<number> {
  const rows = await tx.user.findMany({
    where: {
      email: { startsWith: SCALE_EMAIL_PREFIX, endsWith: SCALE_EMAIL_DOMAIN },
      isActive: true,
      room: { is: { buildingCode: { in: [...codes] } } },
    },
    select: { id: true, roomId: true, isMinor: true, roles: { select: { role: true } }, room: true },
    orderBy: { email: 'asc' },
  });
  const residents = rows.map((row) => ({
    id: row.id,
    roles: row.roles.map((r) => r.role),
    data: { roomId: row.roomId, isMinor: row.isMinor },
  })) satisfies Array<Resident & { id: string }>;
  const before = new Map(residents.map((r) => [r.id, new Set(r.roles)]));
  const rooms = new Map(rows.flatMap((row) => (row.room ? [[row.room.id, row.room] as const] : [])));
  appointEntranceRoles(residents, rooms);
  const grants = residents.flatMap((r) =>
    r.roles.filter((role) => !before.get(r.id)?.has(role)).map((role) => ({ userId: r.id, role })),
  );
  if (grants.length > 0) await tx.userRole.createMany({ data: grants });
  return grants.length;
}
