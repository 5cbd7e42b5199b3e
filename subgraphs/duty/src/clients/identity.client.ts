// Rooms and residents from identity over gRPC (GetUsers; deadline, retries on UNAVAILABLE and
// trace propagation come from the platform client). A room is occupied while an active student
// lives in it; identity names the room by residence.room_id. Any failure of identity is
// DUTY_DEPENDENCY_UNAVAILABLE (details.dependency 'identity'): nothing is written without it.
import type { IdentityServiceDefinition, IdentityUserOutput } from '@campus/contracts';
import { DomainError, type EntranceRef, type GrpcClient, type Logger } from '@campus/platform';
import { DutyErrors } from '../domain/errors';
import type { Resident, RoomRef } from '../domain/records';
import { compareRooms } from '../domain/rotation';
import type { OccupiedRoom, RoomDirectory } from '../services/ports';

export type IdentityClient = GrpcClient<IdentityServiceDefinition>;

/** GetUsers answers at most this many ids per call. */
const MAX_IDS_PER_CALL = 1000;
const STUDENT = 'student';

/** The room an identity user lives in, if they are an active student with a known room. */
export function roomOfUser(user: IdentityUserOutput): RoomRef | null {
  const r = user.residence;
  if (!user.isActive || !user.roles.includes(STUDENT) || !r?.roomId) return null;
  return { roomId: r.roomId, building: r.building, entrance: r.entrance, floor: r.floor, number: r.room };
}

const residentOf = (user: IdentityUserOutput, roomId: string): Resident => ({
  userId: user.id,
  roomId,
  fullName: user.fullName || [user.lastName, user.firstName, user.patronymic].filter(Boolean).join(' '),
});

const entranceKey = (e: EntranceRef) => `${e.building}\u0000${e.entrance}`;

export class IdentityRoomDirectory implements RoomDirectory {
  constructor(
    private readonly client: Pick<IdentityClient, 'GetUsers'>,
    private readonly logger: Logger,
  ) {}

  async occupiedRooms(entrance: EntranceRef): Promise<OccupiedRoom[]> {
    const rooms = new Map<string, OccupiedRoom>();
    for (const user of await this.studentsOf(entrance)) {
      const room = roomOfUser(user);
      // Identity filters by entrance already; a residence elsewhere must never enter this roster.
      if (!room || room.building !== entrance.building || room.entrance !== entrance.entrance) continue;
      const occupied = rooms.get(room.roomId) ?? { ...room, residents: [] };
      occupied.residents.push(residentOf(user, room.roomId));
      rooms.set(room.roomId, occupied);
    }
    return [...rooms.values()].sort(compareRooms);
  }

  async residentsOf(rooms: readonly RoomRef[]): Promise<Map<string, Resident[]>> {
    const result = new Map<string, Resident[]>(rooms.map((r) => [r.roomId, []]));
    // One call per entrance (usually one), however many rooms.
    const entrances = new Map(rooms.map((r) => [entranceKey(r), { building: r.building, entrance: r.entrance }]));
    const students = await Promise.all([...entrances.values()].map((e) => this.studentsOf(e)));
    for (const user of students.flat()) {
      const room = roomOfUser(user);
      if (room) result.get(room.roomId)?.push(residentOf(user, room.roomId));
    }
    return result;
  }

  async roomsOf(userIds: readonly string[]): Promise<Map<string, RoomRef | null>> {
    const result = new Map<string, RoomRef | null>(userIds.map((id) => [id, null]));
    const ids = [...new Set(userIds)];
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) batches.push(ids.slice(i, i + MAX_IDS_PER_CALL));
    const answers = await Promise.all(batches.map((batch) => this.getUsers({ ids: batch })));
    for (const user of answers.flat()) if (result.has(user.id)) result.set(user.id, roomOfUser(user));
    return result;
  }

  private studentsOf(entrance: EntranceRef): Promise<IdentityUserOutput[]> {
    return this.getUsers({ building: entrance.building, entrance: entrance.entrance, role: STUDENT });
  }

  private async getUsers(request: Parameters<IdentityClient['GetUsers']>[0]): Promise<IdentityUserOutput[]> {
    try {
      return (await this.client.GetUsers(request)).users;
    } catch (error) {
      this.logger.warn({ err: error }, 'identity GetUsers failed');
      throw DutyErrors.error('DEPENDENCY_UNAVAILABLE', 'Identity is unavailable; retry shortly', {
        dependency: 'identity',
        ...(error instanceof DomainError ? { cause: error.code } : {}),
      });
    }
  }
}
