// The campus layout: buildings → entrances → rooms.

export interface BuildingRecord {
  code: string;
  name: string;
  floors: number;
  /** Entrance numbers, ascending. */
  entrances: number[];
}

export interface RoomRecord {
  id: string;
  building: string;
  entrance: number;
  floor: number;
  number: string;
  capacity: number;
}

/** A room named the way people name it: building code and room number. */
export interface RoomRef {
  building: string;
  room: string;
}

/**
 * A place of the layout as a users filter names it: any of a building, an entrance (number), a
 * floor and a room (number); those given must all hold at once.
 */
export interface PlaceRef {
  building?: string;
  entrance?: number;
  floor?: number;
  room?: string;
}

/** The place a filter names (its other fields dropped); nothing named is the whole campus. */
export const placeOf = ({ building, entrance, floor, room }: PlaceRef): PlaceRef => ({
  ...(building !== undefined ? { building } : {}),
  ...(entrance !== undefined ? { entrance } : {}),
  ...(floor !== undefined ? { floor } : {}),
  ...(room !== undefined ? { room } : {}),
});

/** Whether a filter names any place at all. */
export const namesPlace = (place: PlaceRef): boolean => Object.keys(placeOf(place)).length > 0;

/** A room an admin adds to the layout (addRooms). */
export interface NewRoom {
  number: string;
  floor: number;
  /** How many residents it holds. */
  capacity: number;
}

/**
 * Rooms to add to one entrance of a building, creating the building (named `buildingName`) and
 * the entrance when they are new. Room numbers are unique within a building, whatever the entrance.
 */
export interface RoomsToAdd {
  building: string;
  buildingName: string;
  entrance: number;
  rooms: readonly NewRoom[];
}

/** A new room's places when the admin gives none (the rooms table's default). */
export const DEFAULT_ROOM_CAPACITY = 2;

/** A new building's display name when the admin gives none, as the seeded ones are named. */
export const defaultBuildingName = (code: string): string => `Корпус ${code}`;

/** Numbers given more than once, each once, in the order of their first repeat. */
export function repeatedRoomNumbers(numbers: readonly string[]): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const number of numbers) {
    if (seen.has(number)) repeated.add(number);
    seen.add(number);
  }
  return [...repeated];
}
