// Rosters: generating an entrance's month (who may, which month, the rotation over the rooms
// identity reports occupied) and reading it back as a roster or as the staff calendar.
import { randomUUID } from 'node:crypto';
import type { AuthContext, Clock } from '@campus/platform';
import { addMonths, campusToday, datesOfMonth, dutyMoments, firstRosterDate, monthOf } from '../domain/duty-times';
import { DutyErrors } from '../domain/errors';
import { MAX_ROSTER_MONTHS_AHEAD } from '../domain/limits';
import { READ_SCOPE, requireScope, ROSTER_SCOPE } from '../domain/policy';
import type { DutySchedule, DutyTimes, LocalDate, Month, RoomRef, Roster } from '../domain/records';
import { compareRooms, planRotation, type MaxTurnsPerRoom } from '../domain/rotation';
import { rosterGenerated } from '../events/duty-events';
import type { RoomDirectory, RosterStore, ScheduleStore } from './ports';

export interface GenerateRosterCommand {
  building: string;
  entrance: number;
  month: Month;
  maxTurnsPerRoom: MaxTurnsPerRoom;
}

/** One room's row of the staff calendar. */
export interface CalendarRow {
  room: RoomRef;
  duties: DutySchedule[];
}

export interface DutyCalendar {
  building: string;
  entrance: number;
  month: Month;
  dates: LocalDate[];
  rows: CalendarRow[];
}

export interface DutyRostersDeps {
  rosters: RosterStore;
  schedules: ScheduleStore;
  rooms: RoomDirectory;
  clock: Clock;
  times: DutyTimes;
  timeZone: string;
  newId?: () => string;
}

export class DutyRosters {
  private readonly newId: () => string;

  constructor(private readonly deps: DutyRostersDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  /**
   * Generates the entrance's roster for a month: the current or a later one up to
   * MAX_ROSTER_MONTHS_AHEAD after it (in the current month from today while its morning reminder is
   * ahead, else from tomorrow), once per entrance and month.
   */
  async generate(auth: AuthContext | null, input: GenerateRosterCommand): Promise<Roster> {
    const { building, entrance, month } = input;
    const caller = requireScope(auth, { building, entrance }, ROSTER_SCOPE, 'roster_scope', { building, entrance });
    const now = this.deps.clock.now();
    const today = campusToday(now, this.deps.timeZone);
    if (month < monthOf(today)) {
      throw DutyErrors.error('INVALID_MONTH', 'A roster is generated for the current or a later month', { month });
    }
    // A month years ahead is a typo that could never be taken back (rosters are not deleted).
    const latestMonth = addMonths(monthOf(today), MAX_ROSTER_MONTHS_AHEAD);
    if (month > latestMonth) {
      throw DutyErrors.error(
        'INVALID_MONTH',
        `A roster is generated at most ${MAX_ROSTER_MONTHS_AHEAD} months ahead: the latest month allowed is ${latestMonth}`,
        { month, latestMonth },
      );
    }
    await this.refuseExisting(building, entrance, month);

    const firstDate = firstRosterDate(month, now, this.deps.times, this.deps.timeZone);
    if (!firstDate) {
      throw DutyErrors.error(
        'INVALID_MONTH',
        `No day of ${month} is left to plan (after ${this.deps.times.morningReminder} a roster starts tomorrow); generate ${addMonths(month, 1)}`,
        { month },
      );
    }
    const occupied = await this.deps.rooms.occupiedRooms({ building, entrance });
    const rooms = [...new Map(occupied.map((r) => [r.roomId, r])).values()];
    if (!rooms.length) {
      throw DutyErrors.error('NO_OCCUPIED_ROOMS', 'The entrance has no occupied room', { building, entrance });
    }
    const last = await this.deps.rosters.lastDutyDates(
      rooms.map((r) => r.roomId),
      firstDate,
    );
    const plan = planRotation({
      month,
      firstDate,
      rooms: rooms.map((room) => ({ room, lastDutyDate: last.get(room.roomId) ?? null })),
      maxTurnsPerRoom: input.maxTurnsPerRoom,
    });

    const roster: Roster = {
      id: this.newId(),
      building,
      entrance,
      month,
      generatedBy: caller.userId,
      generatedAt: now,
    };
    const roomOf = new Map(rooms.map((r) => [r.roomId, r]));
    const schedules = plan.map(({ roomId, date }): DutySchedule => {
      const room = roomOf.get(roomId)!;
      return {
        id: this.newId(),
        rosterId: roster.id,
        room: { roomId, building: room.building, entrance: room.entrance, floor: room.floor, number: room.number },
        dutyDate: date,
        month,
        status: 'pending',
        ...dutyMoments(date, this.deps.times, this.deps.timeZone),
        eveningRemindedAt: null,
        morningRemindedAt: null,
        overdueAt: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
    });
    const event = rosterGenerated(
      {
        rosterId: roster.id,
        building,
        entrance,
        month,
        generatedBy: caller.userId,
        duties: schedules.map((s) => ({
          scheduleId: s.id,
          roomId: s.room.roomId,
          roomNumber: s.room.number,
          dutyDate: s.dutyDate,
        })),
      },
      now,
    );
    if ((await this.deps.rosters.createRoster(roster, schedules, [event])) === 'duplicate') {
      await this.refuseExisting(building, entrance, month); // lost a race: name the winner
      throw DutyErrors.error('ROSTER_EXISTS', 'The entrance already has a roster for this month', { month });
    }
    return roster;
  }

  /** The entrance's roster of a month, or null if none was generated. READ_SCOPE. */
  async roster(
    auth: AuthContext | null,
    input: { building: string; entrance: number; month: Month },
  ): Promise<Roster | null> {
    const { building, entrance, month } = input;
    requireScope(auth, { building, entrance }, READ_SCOPE, 'read_scope', { building, entrance });
    return this.deps.rosters.findRoster(building, entrance, month);
  }

  /** The entrance's month as rooms × dates (rooms with a duty in the month, by floor and number). */
  async calendar(
    auth: AuthContext | null,
    input: { building: string; entrance: number; month: Month },
  ): Promise<DutyCalendar> {
    const { building, entrance, month } = input;
    requireScope(auth, { building, entrance }, READ_SCOPE, 'read_scope', { building, entrance });
    const byRoom = new Map<string, CalendarRow>();
    for (const schedule of await this.deps.schedules.entranceMonth(building, entrance, month)) {
      const row = byRoom.get(schedule.room.roomId) ?? { room: schedule.room, duties: [] };
      row.duties.push(schedule);
      byRoom.set(schedule.room.roomId, row);
    }
    const rows = [...byRoom.values()].sort((a, b) => compareRooms(a.room, b.room));
    return { building, entrance, month, dates: datesOfMonth(month), rows };
  }

  /** Rosters by id, unscoped: for parents already authorised (a schedule's roster). */
  rostersByIds(ids: readonly string[]): Promise<Roster[]> {
    return this.deps.rosters.rostersByIds(ids);
  }

  private async refuseExisting(building: string, entrance: number, month: Month): Promise<void> {
    const existing = await this.deps.rosters.findRoster(building, entrance, month);
    if (existing) {
      throw DutyErrors.error('ROSTER_EXISTS', 'The entrance already has a roster for this month', {
        month,
        rosterId: existing.id,
      });
    }
  }
}
