// The campus as a tree: building → entrance → room → residents.
import type { AuthContext, EntranceRef } from '@campus/platform';
import { campusScopeOf } from '../domain/access';
import type { BuildingRecord, RoomRecord } from '../domain/campus';
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

  roomsByIds(ids: readonly string[]): Promise<RoomRecord[]> {
    return this.campus.roomsByIds(ids);
  }

  roomsOfEntrances(entrances: readonly EntranceRef[]): Promise<RoomRecord[]> {
    return this.campus.roomsOfEntrances(entrances);
  }
}
