// The campus as a tree: building → entrance → room → residents.
import { requireRole, validationError, type AuthContext, type EntranceRef } from '@campus/platform';
import { campusScopeOf } from '../domain/access';
import {
  defaultBuildingName,
  repeatedRoomNumbers,
  type BuildingRecord,
  type NewRoom,
  type RoomRecord,
} from '../domain/campus';
import type { CampusStore } from './ports';

export interface EntranceView {
  building: string;
  number: number;
}

export interface BuildingView {
  code: string;
  name: string;
  floors: number;
  entrances: EntranceView[];
}

/** Rooms to add to an entrance. `buildingName` names a new building (default "Корпус <code>"); an existing one keeps its name. */
export interface AddRoomsCommand {
  building: string;
  buildingName?: string | null;
  entrance: number;
  rooms: readonly NewRoom[];
}

const viewOf = (building: BuildingRecord, entrances: readonly number[]): BuildingView => ({
  code: building.code,
  name: building.name,
  floors: building.floors,
  entrances: entrances.map((number) => ({ building: building.code, number })),
});

export class CampusService {
  constructor(private readonly campus: CampusStore) {}

  /** Staff get every building; a student_head gets their own building with only their entrance. */
  /** The layout the caller may see; `building` narrows it to that building (a screen shows one). */
  async tree(auth: AuthContext | null | undefined, only?: string | null): Promise<BuildingView[]> {
    const scope = campusScopeOf(auth);
    const buildings = (await this.campus.listBuildings()).filter((b) => only == null || b.code === only);
    if (scope.kind === 'all') return buildings.map((b) => viewOf(b, b.entrances));
    const { building, entrance } = scope.entrance;
    return buildings
      .filter((b) => b.code === building && b.entrances.includes(entrance))
      .map((b) => viewOf(b, [entrance]));
  }

  /**
   * Admin only: extends the layout with rooms of one entrance, creating the building and the
   * entrance when they are new. All or nothing: a number the building already has (in any entrance)
   * is AUTH_ROOM_NUMBER_TAKEN and adds no room. Answers the entrance (its rooms are read afresh).
   */
  async addRooms(auth: AuthContext | null | undefined, command: AddRoomsCommand): Promise<EntranceView> {
    requireRole(auth, 'admin');
    const repeated = repeatedRoomNumbers(command.rooms.map((r) => r.number));
    if (repeated.length > 0) {
      throw validationError(`Room numbers given more than once: ${repeated.join(', ')}`, { numbers: repeated });
    }
    await this.campus.addRooms({
      building: command.building,
      buildingName: command.buildingName ?? defaultBuildingName(command.building),
      entrance: command.entrance,
      rooms: command.rooms,
    });
    return { building: command.building, number: command.entrance };
  }

  roomsByIds(ids: readonly string[]): Promise<RoomRecord[]> {
    return this.campus.roomsByIds(ids);
  }

  roomsOfEntrances(entrances: readonly EntranceRef[]): Promise<RoomRecord[]> {
    return this.campus.roomsOfEntrances(entrances);
  }
}
