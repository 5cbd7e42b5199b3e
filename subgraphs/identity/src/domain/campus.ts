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
