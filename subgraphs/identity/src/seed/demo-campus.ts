// The demo campus: two buildings, 4 entrances × 5 floors × 4 rooms each, ~200 students, a head and
// a patrol per entrance, educators, an educator_head and an admin. Idempotent: does nothing when
// any building exists. Room numbers are `${entrance}${floor}${nn}`, e.g. "2301" = entrance 2,
// floor 3, room 01.
import { randomUUID } from 'node:crypto';
import type { EntranceRef, Role } from '@campus/platform';
import type { PrismaClient } from '../repository/database';
import { argon2Hasher } from '../adapters/argon2-hasher';
import type { PasswordHasher } from '../services/ports';
import {
  vacuumSeededTables,
  appointEntranceRoles,
  insertLayout,
  insertUsers,
  pad,
  planRooms,
  planStudent,
  type BuildingPlan,
  type RoomPlan,
  type UserPlan,
} from './campus-plan';
import { parentName, type PersonName } from './names';

export const DEFAULT_DEMO_PASSWORD = 'sirius2026';

export interface SeedOptions {
  password: string;
  hasher?: PasswordHasher;
}

export interface SeedResult {
  seeded: boolean;
  buildings: number;
  rooms: number;
  students: number;
  staff: number;
}

const BUILDINGS: readonly BuildingPlan[] = [
  { code: '8', name: 'Корпус 8 (юноши)', gender: 'male' },
  { code: '9', name: 'Корпус 9 (девушки)', gender: 'female' },
];
const ROOMS_PER_FLOOR = 4;
/** Residents per room, cycled over the rooms of a building: some rooms stay empty. */
const OCCUPANCY = [2, 1, 2, 0, 1, 2, 1];

/** Demo students of building 8, entrance 1 (the first four residents there, in this order). */
const DEMO_STUDENTS: ReadonlyArray<{ email: string; roles: Role[]; isMinor: boolean }> = [
  { email: 'head@sirius.local', roles: ['student', 'student_head'], isMinor: false },
  { email: 'patrol@sirius.local', roles: ['student', 'student_patrol'], isMinor: false },
  { email: 'student.minor@sirius.local', roles: ['student'], isMinor: true },
  { email: 'student.adult@sirius.local', roles: ['student'], isMinor: false },
];

const STAFF: ReadonlyArray<{ email: string; roles: Role[]; name: PersonName; entrances?: EntranceRef[] }> = [
  {
    email: 'admin@sirius.local',
    roles: ['admin'],
    name: { lastName: 'Орлова', firstName: 'Ирина', patronymic: 'Викторовна' },
  },
  {
    email: 'educator@sirius.local',
    roles: ['educator'],
    name: { lastName: 'Белова', firstName: 'Марина', patronymic: 'Сергеевна' },
  },
  {
    email: 'educator2@sirius.local',
    roles: ['educator'],
    name: { lastName: 'Гусев', firstName: 'Павел', patronymic: 'Андреевич' },
  },
  {
    email: 'educator3@sirius.local',
    roles: ['educator'],
    name: { lastName: 'Крылова', firstName: 'Светлана', patronymic: 'Игоревна' },
  },
  {
    email: 'educator.head@sirius.local',
    roles: ['educator_head'],
    name: { lastName: 'Титов', firstName: 'Олег', patronymic: 'Николаевич' },
    entrances: [
      { building: '8', entrance: 1 },
      { building: '8', entrance: 2 },
    ],
  },
];

/** A demo student: `student001@sirius.local`, ~40 % minors. */
const demoStudent = (seq: number) => ({
  email: `student${pad(seq, 3)}@sirius.local`,
  isMinor: seq % 5 < 2,
  phone: `+7900${pad(seq, 7)}`,
  parentPhone: `+7916${pad(seq, 7)}`,
});

/** Makes a planned student one of the demo accounts (fixed e-mail, roles and age). */
function asDemo(student: UserPlan, demo: (typeof DEMO_STUDENTS)[number], seq: number): UserPlan {
  const parent = demo.isMinor
    ? { parentName: parentName(seq, String(student.data.lastName), 'male'), parentPhone: `+7916${pad(seq, 7)}` }
    : { parentName: null, parentPhone: null };
  return {
    ...student,
    email: demo.email,
    roles: demo.roles,
    data: { ...student.data, isMinor: demo.isMinor, ...parent },
  };
}

function planStudents(roomsByBuilding: Map<BuildingPlan, RoomPlan[]>): UserPlan[] {
  const students: UserPlan[] = [];
  let seq = 0;
  for (const [building, rooms] of roomsByBuilding) {
    rooms.forEach((room, index) => {
      const residents = OCCUPANCY[index % OCCUPANCY.length] ?? 0;
      for (let slot = 0; slot < residents; slot++) {
        seq++;
        students.push(planStudent(seq, room, building.gender, demoStudent(seq)));
      }
    });
  }
  const demoRooms = new Set(
    (roomsByBuilding.get(BUILDINGS[0] as BuildingPlan) ?? []).filter((r) => r.entrance === 1).map((r) => r.id),
  );
  const demoSlots = students.filter((s) => demoRooms.has(String(s.data.roomId))).slice(0, DEMO_STUDENTS.length);
  for (const [i, demo] of DEMO_STUDENTS.entries()) {
    const slot = demoSlots[i];
    if (slot) students[students.indexOf(slot)] = asDemo(slot, demo, i + 1);
  }
  return students;
}

function planStaff(): UserPlan[] {
  return STAFF.map((s, i) => ({
    id: randomUUID(),
    email: s.email,
    roles: s.roles,
    entrances: s.entrances ?? [],
    data: { ...s.name, phone: `+7862${pad(i + 1, 7)}` },
  }));
}

/** Seeds the demo campus unless the campus already has buildings. */
export async function seedDemoCampus(prisma: PrismaClient, options: SeedOptions): Promise<SeedResult> {
  // Hashed once for every demo account: argon2 is deliberately slow.
  const passwordHash = await (options.hasher ?? argon2Hasher).hash(options.password);
  const result = await prisma.$transaction(
    async (tx) => {
      // Two seeders started together (e.g. two replicas' init jobs) run one after the other.
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('campus.identity.seed'))`;
      if ((await tx.building.count()) > 0) return { seeded: false, buildings: 0, rooms: 0, students: 0, staff: 0 };
      const roomsByBuilding = new Map(BUILDINGS.map((b) => [b, planRooms(b, ROOMS_PER_FLOOR)]));
      const rooms = [...roomsByBuilding.values()].flat();
      const students = planStudents(roomsByBuilding);
      appointEntranceRoles(students, new Map(rooms.map((r) => [r.id, r])));
      const staff = planStaff();
      await insertLayout(tx, BUILDINGS, rooms);
      await insertUsers(tx, [...students, ...staff], passwordHash);
      return {
        seeded: true,
        buildings: BUILDINGS.length,
        rooms: rooms.length,
        students: students.length,
        staff: staff.length,
      };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
  if (result.seeded) await vacuumSeededTables(prisma);
  return result;
}
