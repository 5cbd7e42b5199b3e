// Duty schedules: reading one duty, a room's and a user's duties (who may see what), moving a duty
// to another date of its month, and the unscoped reads other services ask over gRPC.
import {
  actsOnEntrance,
  conflict,
  forbidden,
  isStaff,
  requireAuth,
  type AuthContext,
  type Clock,
} from '@campus/platform';
import { addMonths, campusToday, dutyMoments, monthBounds, monthOf } from '../domain/duty-times';
import { DutyErrors } from '../domain/errors';
import { mayReadRoom, READ_SCOPE, requireScope, ROSTER_SCOPE } from '../domain/policy';
import type { DutySchedule, DutyTimes, LocalDate, Month, RoomRef } from '../domain/records';
import { scheduleMoved } from '../events/duty-events';
import type { RoomDirectory, ScheduleStore } from './ports';

/** A room's duties from `from` to `to` (inclusive). */
export interface RoomRange {
  roomId: string;
  from: LocalDate;
  to: LocalDate;
}

export interface MoveDutyCommand {
  scheduleId: string;
  date: LocalDate;
  /** The version the caller read; null: whatever is current. */
  version: number | null;
}

export interface DutySchedulesDeps {
  schedules: ScheduleStore;
  rooms: RoomDirectory;
  clock: Clock;
  times: DutyTimes;
  timeZone: string;
}

export class DutySchedules {
  constructor(private readonly deps: DutySchedulesDeps) {}

  // ── reads ────────────────────────────────────────────────────────────────────────────────────

  /** One duty (null: none has this id). Its room's residents and READ_SCOPE on its entrance. */
  async schedule(auth: AuthContext | null, id: string): Promise<DutySchedule | null> {
    requireAuth(auth);
    const [schedule] = await this.deps.schedules.schedulesByIds([id]);
    if (!schedule) return null;
    this.assertCanRead(auth, schedule);
    return schedule;
  }

  /**
   * Whether the caller may read the duty's room: its residents and READ_SCOPE. Another room's duty
   * reached through a swap shows the others only its date, room and status, not its reports or swaps.
   */
  mayRead(auth: AuthContext | null, schedule: Pick<DutySchedule, 'room'>): boolean {
    return mayReadRoom(auth, schedule.room);
  }

  /** Refuses a caller who may not read the duty's room (FORBIDDEN, rule room_reader). */
  assertCanRead(auth: AuthContext | null, schedule: DutySchedule): void {
    requireAuth(auth);
    if (!this.mayRead(auth, schedule)) {
      throw forbidden("Only the room's residents and the entrance's staff see this duty", {
        rule: 'room_reader',
        id: schedule.id,
      });
    }
  }

  /**
   * A room's duties in a month (null: the current one), for Room.duties: its residents and
   * READ_SCOPE, judged on the room as its schedules recorded it; a room without duties shows [].
   * `load` reads a room's duties in a range (a per-request loader batches the rooms).
   */
  async dutiesOfRoom(
    auth: AuthContext | null,
    roomId: string,
    month: Month | null,
    load: (key: RoomRange) => Promise<DutySchedule[]>,
  ): Promise<DutySchedule[]> {
    requireAuth(auth);
    const duties = await load({ roomId, ...this.monthRange(month ?? this.currentMonth()) });
    const room = duties[0]?.room;
    if (room && !mayReadRoom(auth, room)) {
      throw forbidden("Only the room's residents and the entrance's staff see its duties", {
        rule: 'room_reader',
        roomId,
      });
    }
    return duties;
  }

  /**
   * The duties of the room `userId` lives in, from `from` to `to` (default: this month and the
   * next), for User.dutySchedules: the user themself, and READ_SCOPE on the entrance the user lives
   * in (staff, the entrance's student_head). A user who lives nowhere has none. `roomOf` and
   * `load` are per-request loaders (identity's answer and the duties, batched).
   */
  async dutiesOfUser(
    auth: AuthContext | null,
    userId: string,
    range: { from?: LocalDate; to?: LocalDate },
    roomOf: (userId: string) => Promise<RoomRef | null>,
    load: (key: RoomRange) => Promise<DutySchedule[]>,
  ): Promise<DutySchedule[]> {
    const caller = requireAuth(auth);
    const self = caller.userId === userId;
    const room = await roomOf(userId);
    const allowed = room ? self || actsOnEntrance(caller, room, READ_SCOPE) : self || isStaff(caller);
    if (!allowed) {
      throw forbidden("Only the user, the staff and the head of their entrance see the user's duties", {
        rule: 'user_duties',
        userId,
      });
    }
    return room ? load({ roomId: room.roomId, ...this.userRange(range) }) : [];
  }

  /** The room each user lives in (identity), for dutiesOfUser; loaders batch the users. */
  roomsOf(userIds: readonly string[]): Promise<Map<string, RoomRef | null>> {
    return this.deps.rooms.roomsOf(userIds);
  }

  /** The current month, campus time. */
  currentMonth(): Month {
    return monthOf(campusToday(this.deps.clock.now(), this.deps.timeZone));
  }

  /** User.dutySchedules' range: by default from the 1st of this month to the end of the next. */
  userRange(range: { from?: LocalDate; to?: LocalDate }): { from: LocalDate; to: LocalDate } {
    const month = this.currentMonth();
    return {
      from: range.from ?? monthBounds(month).first,
      to: range.to ?? monthBounds(addMonths(month, 1)).last,
    };
  }

  /** Schedules by id, unscoped: for loaders whose parents are authorised. */
  schedulesByIds(ids: readonly string[]): Promise<DutySchedule[]> {
    return this.deps.schedules.schedulesByIds(ids);
  }

  /** The schedules of each roster, by date. */
  async schedulesOfRosters(rosterIds: readonly string[]): Promise<Map<string, DutySchedule[]>> {
    const byRoster = new Map<string, DutySchedule[]>(rosterIds.map((id) => [id, []]));
    for (const s of await this.deps.schedules.schedulesOfRosters(rosterIds)) byRoster.get(s.rosterId)?.push(s);
    return byRoster;
  }

  /** Each room's duties from `from` to `to`, by date, unscoped (loaders; gRPC ListRoomDuties). */
  async schedulesOfRooms(
    roomIds: readonly string[],
    from: LocalDate,
    to: LocalDate,
  ): Promise<Map<string, DutySchedule[]>> {
    const byRoom = new Map<string, DutySchedule[]>(roomIds.map((id) => [id, []]));
    for (const s of await this.deps.schedules.schedulesOfRooms(roomIds, from, to)) byRoom.get(s.room.roomId)?.push(s);
    return byRoom;
  }

  /** The first and last date of a month, for a month-wide read. */
  monthRange(month: Month): { from: LocalDate; to: LocalDate } {
    const { first, last } = monthBounds(month);
    return { from: first, to: last };
  }

  // ── writes ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Moves a pending duty to another date of its month, today or later (before that date's
   * deadline), if the room has no other duty then. ROSTER_SCOPE on the duty's entrance.
   */
  async moveDuty(auth: AuthContext | null, input: MoveDutyCommand): Promise<DutySchedule> {
    const { scheduleId, date } = input;
    const caller = requireAuth(auth);
    const [schedule] = await this.deps.schedules.schedulesByIds([scheduleId]);
    if (!schedule) throw DutyErrors.error('NOT_FOUND', 'No duty schedule has this id', { scheduleId });
    requireScope(caller, schedule.room, ROSTER_SCOPE, 'roster_scope', { scheduleId });
    if (input.version !== null && input.version !== schedule.version) {
      throw conflict('The duty changed since you read it', { scheduleId, version: input.version });
    }
    if (schedule.status !== 'pending') {
      throw DutyErrors.error('DUTY_CLOSED', 'Only a pending duty is moved', { scheduleId, status: schedule.status });
    }
    const now = this.deps.clock.now();
    // Past its deadline a duty is overdue (whether or not the sweep has marked it yet): moving it
    // would escape the sanction.
    if (schedule.deadlineAt <= now) {
      throw DutyErrors.error('DEADLINE_PASSED', "The duty's deadline has passed", {
        scheduleId,
        deadlineAt: schedule.deadlineAt.toISOString(),
      });
    }
    if (date === schedule.dutyDate) return schedule;
    if (monthOf(date) !== schedule.month) {
      throw DutyErrors.error('DATE_OUTSIDE_MONTH', "A duty is moved only within its roster's month", {
        month: schedule.month,
        date,
      });
    }
    const moments = dutyMoments(date, this.deps.times, this.deps.timeZone);
    if (date < campusToday(now, this.deps.timeZone) || moments.deadlineAt <= now) {
      throw DutyErrors.error('DATE_IN_PAST', 'The date is past, or its deadline has passed', { date });
    }
    await this.refuseTaken(schedule.room.roomId, date);
    const residents = (await this.deps.rooms.residentsOf([schedule.room])).get(schedule.room.roomId) ?? [];

    const event = scheduleMoved(
      {
        scheduleId,
        roomId: schedule.room.roomId,
        building: schedule.room.building,
        entrance: schedule.room.entrance,
        roomNumber: schedule.room.number,
        fromDate: schedule.dutyDate,
        toDate: date,
        movedBy: caller.userId,
        residentIds: residents.map((r) => r.userId),
      },
      now,
    );
    const outcome = await this.deps.schedules.moveSchedule(
      {
        scheduleId,
        expectedVersion: schedule.version,
        dutyDate: date,
        moments,
        // A reminder still ahead is sent again for the new date. The evening one already behind
        // us stays marked (or is marked now): "duty tomorrow" would be wrong for a duty moved to
        // today, and the residents hear of the move anyway. A morning one behind us stays as it
        // was: a late "duty today" is still true.
        eveningRemindedAt: moments.eveningReminderAt > now ? null : (schedule.eveningRemindedAt ?? now),
        morningRemindedAt: moments.morningReminderAt > now ? null : schedule.morningRemindedAt,
        at: now,
      },
      [event],
    );
    if (outcome === 'conflict') throw conflict('The duty changed since you read it', { scheduleId });
    if (outcome === 'date_taken') {
      await this.refuseTaken(schedule.room.roomId, date);
      throw DutyErrors.error('DATE_TAKEN', 'The room already has a duty on that date', { date });
    }
    return outcome.moved;
  }

  private async refuseTaken(roomId: string, date: LocalDate): Promise<void> {
    const [other] = await this.deps.schedules.schedulesOfRooms([roomId], date, date);
    if (other) {
      throw DutyErrors.error('DATE_TAKEN', 'The room already has a duty on that date', {
        date,
        scheduleId: other.id,
      });
    }
  }
}
