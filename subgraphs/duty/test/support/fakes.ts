// In-memory stand-ins for the duty service's ports, for unit tests and the in-process harness.
import { randomUUID } from 'node:crypto';
import { testUser, type TestUser } from '@campus/testkit';
import type { EntranceRef } from '@campus/platform';
import { DutyErrors } from '../../src/domain/errors';
import type { Resident, RoomRef } from '../../src/domain/records';
import { compareRooms } from '../../src/domain/rotation';
import type { OccupiedRoom, RoomDirectory } from '../../src/services/ports';

type DirectoryMethod = 'occupiedRooms' | 'residentsOf' | 'roomsOf';

/**
 * A campus as identity would describe it: rooms (by entrance, floor, number) and the students who
 * live in them. Rooms without residents are empty (not occupied). `down` makes every call fail as
 * identity being unreachable does (DUTY_DEPENDENCY_UNAVAILABLE).
 */
export class FakeCampus implements RoomDirectory {
  down = false;
  readonly calls: { method: DirectoryMethod; args: unknown }[] = [];
  private readonly rooms = new Map<string, RoomRef>();
  private readonly residents = new Map<string, { user: TestUser; roomId: string }>();

  /** A room; the floor is the first digit(s) of the number unless given. */
  addRoom(building: string, entrance: number, number: string, floor = Number(number.slice(0, -2)) || 1): RoomRef {
    const room: RoomRef = { roomId: randomUUID(), building, entrance, floor, number };
    this.rooms.set(room.roomId, room);
    return room;
  }

  /** `count` rooms numbered from `first` on one floor, e.g. rooms('8', 1, 301, 5) → 301…305. */
  addRooms(building: string, entrance: number, first: number, count: number): RoomRef[] {
    return Array.from({ length: count }, (_, i) => this.addRoom(building, entrance, String(first + i)));
  }

  /** A student living in `room` (their token's residence says so), created unless given. */
  moveIn(room: RoomRef, user: TestUser = testUser({ roles: ['student'] })): TestUser {
    user.residence = { building: room.building, entrance: room.entrance, floor: room.floor, room: room.number };
    this.residents.set(user.id, { user, roomId: room.roomId });
    return user;
  }

  moveOut(userId: string): void {
    this.residents.delete(userId);
  }

  /** Everybody moves out of the room: it is empty from now on. */
  vacate(roomId: string): void {
    for (const [id, r] of this.residents) if (r.roomId === roomId) this.residents.delete(id);
  }

  roomOf(userId: string): RoomRef | null {
    const r = this.residents.get(userId);
    return r ? this.rooms.get(r.roomId)! : null;
  }

  residentIdsOf(roomId: string): string[] {
    return [...this.residents.values()].filter((r) => r.roomId === roomId).map((r) => r.user.id);
  }

  async occupiedRooms(entrance: EntranceRef): Promise<OccupiedRoom[]> {
    this.call('occupiedRooms', entrance);
    return [...this.rooms.values()]
      .filter((room) => room.building === entrance.building && room.entrance === entrance.entrance)
      .map((room) => ({ ...room, residents: this.residentsIn(room.roomId) }))
      .filter((room) => room.residents.length > 0)
      .sort(compareRooms);
  }

  async residentsOf(rooms: readonly RoomRef[]): Promise<Map<string, Resident[]>> {
    this.call('residentsOf', rooms);
    return new Map(rooms.map((room) => [room.roomId, this.residentsIn(room.roomId)]));
  }

  async roomsOf(userIds: readonly string[]): Promise<Map<string, RoomRef | null>> {
    this.call('roomsOf', userIds);
    return new Map(userIds.map((id) => [id, this.roomOf(id)]));
  }

  callsTo(method: DirectoryMethod): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }

  private residentsIn(roomId: string): Resident[] {
    return [...this.residents.values()]
      .filter((r) => r.roomId === roomId)
      .map((r) => ({ userId: r.user.id, roomId, fullName: `${r.user.lastName} ${r.user.firstName}` }));
  }

  private call(method: DirectoryMethod, args: unknown): void {
    this.calls.push({ method, args });
    if (this.down) {
      throw DutyErrors.error('DEPENDENCY_UNAVAILABLE', 'Identity is unavailable; retry shortly', {
        dependency: 'identity',
      });
    }
  }
}
