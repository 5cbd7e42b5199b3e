// The monthly duty rotation of an entrance (domain spec §6), pure: which room is on duty on which
// date. Even rotation over the occupied rooms, least recently served first, continuing across
// months, so that no room gets a second turn before every room has had one.
import { datesOfMonth } from './duty-times';
import type { LocalDate, Month, RoomRef } from './records';

/** How many turns a room may get in one month at most (the roster's choice). */
export const MAX_TURNS_PER_ROOM = [1, 2] as const;
export type MaxTurnsPerRoom = (typeof MAX_TURNS_PER_ROOM)[number];

/** A room that takes part in the rotation, with its last duty before this roster (null: never). */
export interface RotationRoom {
  room: RoomRef;
  lastDutyDate: LocalDate | null;
}

export interface RotationInput {
  month: Month;
  /** The first date that may get a duty (firstRosterDate in duty-times.ts). */
  firstDate: LocalDate;
  /** The entrance's occupied rooms (empty rooms are simply not listed). */
  rooms: readonly RotationRoom[];
  maxTurnsPerRoom: MaxTurnsPerRoom;
}

export interface RotationDuty {
  roomId: string;
  date: LocalDate;
}

/** Room numbers as people read them: '302' before '1010', '301a' after '301'. */
const byNumber = new Intl.Collator('en', { numeric: true });

/** Floor, then number: the order of the staff calendar and of ties in the rotation. */
export function compareRooms(a: Pick<RoomRef, 'floor' | 'number'>, b: Pick<RoomRef, 'floor' | 'number'>): number {
  return a.floor - b.floor || byNumber.compare(a.number, b.number);
}

/** Never served first, then the oldest last duty, ties by floor and number. */
export function rotationOrder(rooms: readonly RotationRoom[]): RotationRoom[] {
  return [...rooms].sort((a, b) => {
    if (a.lastDutyDate !== b.lastDutyDate) {
      if (a.lastDutyDate === null) return -1;
      if (b.lastDutyDate === null) return 1;
      return a.lastDutyDate < b.lastDutyDate ? -1 : 1;
    }
    return compareRooms(a.room, b.room);
  });
}

/**
 * The month's duties, by date (rooms sharing a date in rotation order). Turns go to the rooms in
 * rotation order, round after round, so a room's second turn comes after every room's first; the
 * next month starts again with whoever served longest ago, which carries the rounds on.
 *
 * - Every room gets at least one turn: with more rooms than days, some days get ceil(rooms/days).
 * - Otherwise one room a day, up to `maxTurnsPerRoom` turns each; days beyond rooms × maxTurns
 *   stay empty, spread evenly over the month.
 */
export function planRotation(input: RotationInput): RotationDuty[] {
  const days = datesOfMonth(input.month).filter((date) => date >= input.firstDate);
  const order = rotationOrder(input.rooms);
  if (!order.length || !days.length) return [];
  const turns =
    order.length >= days.length ? order.length : Math.min(days.length, order.length * input.maxTurnsPerRoom);
  // Turn k on day ⌊k·days/turns⌋: evenly spread, and each day gets ⌊turns/days⌋ or ⌈turns/days⌉.
  return Array.from({ length: turns }, (_, k) => ({
    roomId: order[k % order.length]!.room.roomId,
    date: days[Math.floor((k * days.length) / turns)]!,
  }));
}
