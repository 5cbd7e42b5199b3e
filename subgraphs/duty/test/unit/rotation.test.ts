// The monthly rotation (domain/rotation.ts), example by example and as properties over twelve
// consecutive months of a campus whose rooms empty and fill.
import { randomUUID } from 'node:crypto';
import { addMonths, datesOfMonth } from '../../src/domain/duty-times';
import type { LocalDate, RoomRef } from '../../src/domain/records';
import {
  planRotation,
  rotationOrder,
  type MaxTurnsPerRoom,
  type RotationDuty,
  type RotationRoom,
} from '../../src/domain/rotation';

const room = (number: string, floor = Number(number.slice(0, -2))): RoomRef => ({
  roomId: `room-${number}`,
  building: '8',
  entrance: 1,
  floor,
  number,
});

const fresh = (...rooms: RoomRef[]): RotationRoom[] => rooms.map((r) => ({ room: r, lastDutyDate: null }));

const turnsOf = (duties: readonly RotationDuty[]): Map<string, number> => {
  const turns = new Map<string, number>();
  for (const d of duties) turns.set(d.roomId, (turns.get(d.roomId) ?? 0) + 1);
  return turns;
};

const perDay = (duties: readonly RotationDuty[]): Map<LocalDate, number> => {
  const days = new Map<LocalDate, number>();
  for (const d of duties) days.set(d.date, (days.get(d.date) ?? 0) + 1);
  return days;
};

describe('rotationOrder', () => {
  it('puts never-served rooms first, then the oldest last duty, ties by floor and number', () => {
    const order = rotationOrder([
      { room: room('502'), lastDutyDate: '2026-02-10' },
      { room: room('1001'), lastDutyDate: null },
      { room: room('301'), lastDutyDate: '2026-02-20' },
      { room: room('302'), lastDutyDate: null },
      { room: room('401'), lastDutyDate: '2026-02-10' },
      { room: room('210'), lastDutyDate: '2026-01-31' },
    ]);
    expect(order.map((r) => r.room.number)).toEqual(['302', '1001', '210', '401', '502', '301']);
  });

  it('orders room numbers as numbers, not as text', () => {
    const order = rotationOrder(fresh(room('310', 3), room('39', 3), room('301a', 3), room('301', 3)));
    expect(order.map((r) => r.room.number)).toEqual(['39', '301', '301a', '310']);
  });
});

describe('planRotation', () => {
  it('gives each of fewer rooms than days one turn, spread evenly with empty days between', () => {
    const rooms = fresh(room('301'), room('302'), room('303'));
    const duties = planRotation({ month: '2026-04', firstDate: '2026-04-01', rooms, maxTurnsPerRoom: 1 });
    expect(duties).toEqual([
      { roomId: 'room-301', date: '2026-04-01' },
      { roomId: 'room-302', date: '2026-04-11' },
      { roomId: 'room-303', date: '2026-04-21' },
    ]);
  });

  it('with two turns allowed gives the second turns only after every first turn', () => {
    const rooms = fresh(room('301'), room('302'), room('303'));
    const duties = planRotation({ month: '2026-04', firstDate: '2026-04-01', rooms, maxTurnsPerRoom: 2 });
    expect(duties.map((d) => d.roomId)).toEqual([
      'room-301',
      'room-302',
      'room-303',
      'room-301',
      'room-302',
      'room-303',
    ]);
    expect(duties.map((d) => d.date)).toEqual([
      '2026-04-01',
      '2026-04-06',
      '2026-04-11',
      '2026-04-16',
      '2026-04-21',
      '2026-04-26',
    ]);
  });

  it('fills every day, one room a day, when rooms × turns exceed the days', () => {
    const rooms = fresh(...Array.from({ length: 20 }, (_, i) => room(String(301 + i), 3)));
    const duties = planRotation({ month: '2026-04', firstDate: '2026-04-01', rooms, maxTurnsPerRoom: 2 });
    expect(duties).toHaveLength(30);
    expect([...perDay(duties).values()].every((n) => n === 1)).toBe(true);
    const turns = turnsOf(duties);
    // the first ten in rotation order get the second turns
    expect(rooms.map((r) => turns.get(r.room.roomId))).toEqual([...Array(10).fill(2), ...Array(10).fill(1)]);
  });

  it('puts ceil(rooms/days) rooms on some days when there are more rooms than days, every room once', () => {
    const rooms = fresh(...Array.from({ length: 40 }, (_, i) => room(String(201 + i), 2)));
    const duties = planRotation({ month: '2026-02', firstDate: '2026-02-01', rooms, maxTurnsPerRoom: 2 });
    expect(duties).toHaveLength(40);
    expect([...turnsOf(duties).values()].every((n) => n === 1)).toBe(true);
    const counts = [...perDay(duties).values()];
    expect(perDay(duties).size).toBe(28); // no day left empty
    expect(Math.max(...counts)).toBe(2);
    expect(counts.filter((n) => n === 2)).toHaveLength(12);
  });

  it('in the current month uses only the dates from the first allowed one on', () => {
    const rooms = fresh(room('301'), room('302'), room('303'), room('304'));
    const duties = planRotation({ month: '2026-03', firstDate: '2026-03-29', rooms, maxTurnsPerRoom: 1 });
    expect(duties.map((d) => d.date)).toEqual(['2026-03-29', '2026-03-29', '2026-03-30', '2026-03-31']);
    expect(new Set(duties.map((d) => d.roomId)).size).toBe(4); // nobody skipped because the month is short
  });

  it('plans nothing without rooms (the service refuses with DUTY_NO_OCCUPIED_ROOMS)', () => {
    expect(planRotation({ month: '2026-04', firstDate: '2026-04-01', rooms: [], maxTurnsPerRoom: 2 })).toEqual([]);
  });

  it('continues the rotation where the previous month stopped', () => {
    const rooms: RotationRoom[] = [
      { room: room('301'), lastDutyDate: '2026-03-25' },
      { room: room('302'), lastDutyDate: '2026-03-28' },
      { room: room('303'), lastDutyDate: '2026-03-05' },
      { room: room('304'), lastDutyDate: null }, // moved in this month
    ];
    const duties = planRotation({ month: '2026-04', firstDate: '2026-04-01', rooms, maxTurnsPerRoom: 1 });
    expect(duties.map((d) => d.roomId)).toEqual(['room-304', 'room-303', 'room-301', 'room-302']);
  });
});

// ── properties over a year ─────────────────────────────────────────────────────────────────────

/** A small deterministic PRNG (mulberry32): the same seed, the same year. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  name: string;
  seed: number;
  rooms: number;
  /** Share of the rooms occupied each month: [min, max). */
  occupancy: [number, number];
  maxTurnsPerRoom: MaxTurnsPerRoom;
  /** Whether the first month is generated mid-month (the current month). */
  midMonthStart: boolean;
}

const scenarios: Scenario[] = [
  {
    name: 'a large entrance, more rooms than days',
    seed: 1,
    rooms: 45,
    occupancy: [0.6, 1],
    maxTurnsPerRoom: 1,
    midMonthStart: false,
  },
  {
    name: 'a mid-size entrance, two turns',
    seed: 2,
    rooms: 22,
    occupancy: [0.5, 1],
    maxTurnsPerRoom: 2,
    midMonthStart: true,
  },
  {
    name: 'a small entrance, days left empty',
    seed: 3,
    rooms: 9,
    occupancy: [0.3, 1],
    maxTurnsPerRoom: 2,
    midMonthStart: false,
  },
  {
    name: 'an entrance around the number of days',
    seed: 4,
    rooms: 34,
    occupancy: [0.75, 1],
    maxTurnsPerRoom: 1,
    midMonthStart: true,
  },
  {
    name: 'a half-empty entrance, one turn',
    seed: 5,
    rooms: 30,
    occupancy: [0.2, 0.9],
    maxTurnsPerRoom: 1,
    midMonthStart: false,
  },
];

describe.each(scenarios)('twelve months of $name', (scenario) => {
  const random = prng(scenario.seed);
  const all = Array.from({ length: scenario.rooms }, (_, i) => {
    const floor = 2 + Math.floor(i / 10);
    return { ...room(String(floor * 100 + (i % 10) + 1), floor), roomId: randomUUID() };
  });
  const history: RotationDuty[] = [];
  const months: { month: string; firstDate: LocalDate; occupied: RoomRef[]; duties: RotationDuty[] }[] = [];
  let month = '2026-01';
  for (let m = 0; m < 12; m++, month = addMonths(month, 1)) {
    // rooms empty and fill: each month a random share of them has residents
    const [low, high] = scenario.occupancy;
    const share = low + random() * (high - low);
    const occupied = all.filter(() => random() < share);
    if (!occupied.length) occupied.push(all[Math.floor(random() * all.length)]!);
    const dates = datesOfMonth(month);
    const firstDate = m === 0 && scenario.midMonthStart ? dates[14]! : dates[0]!;
    const lastDuty = new Map<string, LocalDate>();
    for (const d of history) if (d.date < firstDate) lastDuty.set(d.roomId, d.date);
    const duties = planRotation({
      month,
      firstDate,
      rooms: occupied.map((r) => ({ room: r, lastDutyDate: lastDuty.get(r.roomId) ?? null })),
      maxTurnsPerRoom: scenario.maxTurnsPerRoom,
    });
    history.push(...duties);
    months.push({ month, firstDate, occupied, duties });
  }

  it('skips no occupied room and schedules no empty one', () => {
    for (const { occupied, duties } of months) {
      expect(new Set(duties.map((d) => d.roomId))).toEqual(new Set(occupied.map((r) => r.roomId)));
    }
  });

  it('gives every room 1..maxTurnsPerRoom turns a month, as evenly as the days allow', () => {
    for (const { firstDate, month, occupied, duties } of months) {
      const days = datesOfMonth(month).filter((d) => d >= firstDate).length;
      const turns = [...turnsOf(duties).values()];
      expect(Math.min(...turns)).toBeGreaterThanOrEqual(1);
      expect(Math.max(...turns)).toBeLessThanOrEqual(scenario.maxTurnsPerRoom);
      expect(Math.max(...turns) - Math.min(...turns)).toBeLessThanOrEqual(1);
      const expected =
        occupied.length >= days ? occupied.length : Math.min(days, occupied.length * scenario.maxTurnsPerRoom);
      expect(duties).toHaveLength(expected);
    }
  });

  it('puts one room a day (ceil(rooms/days) when rooms outnumber days) on dates of the month from the first allowed', () => {
    for (const { firstDate, month, occupied, duties } of months) {
      const days = datesOfMonth(month).filter((d) => d >= firstDate);
      expect(duties.every((d) => d.date >= firstDate && days.includes(d.date))).toBe(true);
      expect(duties.map((d) => d.date)).toEqual([...duties.map((d) => d.date)].sort());
      const most = Math.max(...perDay(duties).values());
      expect(most).toBe(Math.max(1, Math.ceil(occupied.length / days.length)));
      const keys = duties.map((d) => `${d.roomId}|${d.date}`);
      expect(new Set(keys).size).toBe(keys.length); // one duty per room per date
    }
  });

  it('never gives a room a second turn before every occupied room had one, across months', () => {
    // Rooms sharing a date serve at the same time: between a room's two turns (dates p and t), every
    // room occupied at t must have served on some date from p to t.
    const seen: RotationDuty[] = [];
    for (const { occupied, duties } of months) {
      for (const duty of duties) {
        const previous = seen.filter((d) => d.roomId === duty.roomId).at(-1);
        if (previous) {
          const servedBetween = (r: RoomRef) =>
            history.some((d) => d.roomId === r.roomId && d.date >= previous.date && d.date <= duty.date);
          const missing = occupied.filter((r) => r.roomId !== duty.roomId && !servedBetween(r)).map((r) => r.number);
          expect({ room: duty.roomId, on: duty.date, missing }).toEqual({
            room: duty.roomId,
            on: duty.date,
            missing: [],
          });
        }
        seen.push(duty);
      }
    }
  });
});

it('over a year of constant occupancy, every room has served the same number of times ± 1', () => {
  const rooms = Array.from({ length: 13 }, (_, i) => room(String(301 + i), 3));
  const history: RotationDuty[] = [];
  let month = '2026-01';
  for (let m = 0; m < 12; m++, month = addMonths(month, 1)) {
    const last = new Map(history.map((d) => [d.roomId, d.date]));
    history.push(
      ...planRotation({
        month,
        firstDate: `${month}-01`,
        rooms: rooms.map((r) => ({ room: r, lastDutyDate: last.get(r.roomId) ?? null })),
        maxTurnsPerRoom: 2,
      }),
    );
  }
  const turns = [...turnsOf(history).values()];
  expect(turns).toHaveLength(13);
  expect(Math.max(...turns) - Math.min(...turns)).toBeLessThanOrEqual(1);
  expect(turns.reduce((a, b) => a + b, 0)).toBe(12 * 26); // 13 rooms × 2 turns, 26 of each month's days
});
