// The demo catalogue: three coworkings in each demo building ("8" and "9", the buildings of
// identity's demo campus), one of them closed for repairs so the "unavailable" state shows too.
// Idempotent: does nothing when the catalogue has any coworking (staff may already keep one).
import { randomUUID } from 'node:crypto';
import type { CoworkingDatabase } from '../repository/database';

export interface DemoCoworking {
  building: string;
  name: string;
  description: string;
  capacity: number;
  available: boolean;
}

export const DEMO_COWORKINGS: readonly DemoCoworking[] = [
  {
    building: '8',
    name: 'Переговорная «Байкал»',
    description: 'Стол на восемь человек, маркерная доска и экран для презентаций. Для командных проектов.',
    capacity: 8,
    available: true,
  },
  {
    building: '8',
    name: 'Тихий зал',
    description: 'Индивидуальные места с лампами и розетками для самостоятельной подготовки. Разговоры — шёпотом.',
    capacity: 12,
    available: true,
  },
  {
    building: '8',
    name: 'Мастерская',
    description: 'Верстаки, паяльные станции и 3D-принтер для проектов по робототехнике. Закрыта на ремонт вентиляции.',
    capacity: 6,
    available: false,
  },
  {
    building: '9',
    name: 'Переговорная «Эльбрус»',
    description: 'Круглый стол, флипчарт и проектор. Для обсуждений, репетиций защит и олимпиадных разборов.',
    capacity: 8,
    available: true,
  },
  {
    building: '9',
    name: 'Читальный зал',
    description: 'Мягкие кресла, книжные стеллажи и большие столы у окна. Для чтения и спокойной работы.',
    capacity: 10,
    available: true,
  },
  {
    building: '9',
    name: 'Музыкальная студия',
    description: 'Звукоизолированная комната с цифровым пианино и микрофонами для репетиций и записи подкастов.',
    capacity: 4,
    available: true,
  },
];

export interface SeedResult {
  seeded: boolean;
  coworkings: number;
}

/** Seeds the demo catalogue unless the catalogue already has a coworking. */
export async function seedDemoCoworkings(prisma: CoworkingDatabase): Promise<SeedResult> {
  return prisma.$transaction(async (tx) => {
    // Two seeders started together (e.g. two replicas' init jobs) run one after the other.
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('campus.coworking.seed'))`;
    if ((await tx.coworking.count()) > 0) return { seeded: false, coworkings: 0 };
    await tx.coworking.createMany({ data: DEMO_COWORKINGS.map((c) => ({ id: randomUUID(), ...c })) });
    return { seeded: true, coworkings: DEMO_COWORKINGS.length };
  });
}
