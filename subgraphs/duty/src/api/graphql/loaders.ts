import DataLoader from 'dataloader';
import type { DutySchedule, RoomRef } from '../../domain/records';
import type { DutyServices } from '../../services';
import type { RoomRange } from '../../services/schedules.service';
import { createReportLoaders, type ReportLoaders } from './reports.resolvers';
import { createSanctionLoaders, type SanctionLoaders } from './sanctions.resolvers';
import { createSwapLoaders, type SwapLoaders } from './swaps.resolvers';

/** Loaders of the rosters and schedules topic. */
export interface ScheduleLoaders {
  schedule: DataLoader<string, DutySchedule | null>;
  /** A roster's schedules, by date. */
  schedulesOfRoster: DataLoader<string, DutySchedule[]>;
  /** A room's duties in a range, by date. */
  roomDuties: DataLoader<RoomRange, DutySchedule[], string>;
  /** The room a user lives in (identity GetUsers, one call for every user of the request). */
  roomOfUser: DataLoader<string, RoomRef | null>;
}

/**
 * Per-request DataLoaders: every entity and nested list of a query is fetched in one statement per
 * kind, however many parents there are (federation's `_entities` resolves references one by one;
 * the loaders batch them). One interface per topic; DutyLoaders is their union.
 */
export type DutyLoaders = ScheduleLoaders & SwapLoaders & ReportLoaders & SanctionLoaders;

const roomDutiesKey = (k: RoomRange) => `${k.roomId}|${k.from}|${k.to}`;

export function createScheduleLoaders({ schedules }: DutyServices): ScheduleLoaders {
  return {
    schedule: new DataLoader(async (ids) => {
      const byId = new Map((await schedules.schedulesByIds(ids)).map((s) => [s.id, s]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    schedulesOfRoster: new DataLoader(async (rosterIds) => {
      const byRoster = await schedules.schedulesOfRosters(rosterIds);
      return rosterIds.map((id) => byRoster.get(id) ?? []);
    }),
    roomDuties: new DataLoader(
      async (keys) => {
        // Within one field selection every key has the same range; rare mixes get one query per range.
        const ranges = new Map<string, RoomRange[]>();
        for (const key of keys) {
          const range = `${key.from}|${key.to}`;
          ranges.set(range, [...(ranges.get(range) ?? []), key]);
        }
        const results = new Map<string, DutySchedule[]>();
        for (const group of ranges.values()) {
          const { from, to } = group[0]!;
          const byRoom = await schedules.schedulesOfRooms(
            group.map((k) => k.roomId),
            from,
            to,
          );
          for (const key of group) results.set(roomDutiesKey(key), byRoom.get(key.roomId) ?? []);
        }
        return keys.map((key) => results.get(roomDutiesKey(key)) ?? []);
      },
      { cacheKeyFn: roomDutiesKey },
    ),
    roomOfUser: new DataLoader(async (userIds) => {
      const rooms = await schedules.roomsOf(userIds);
      return userIds.map((id) => rooms.get(id) ?? null);
    }),
  };
}

export function createLoaders(services: DutyServices): DutyLoaders {
  return {
    ...createScheduleLoaders(services),
    ...createSwapLoaders(services.swaps),
    ...createReportLoaders(services.reports),
    ...createSanctionLoaders(services.sanctions),
  };
}
