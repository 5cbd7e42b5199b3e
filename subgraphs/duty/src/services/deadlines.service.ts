import { randomUUID } from 'node:crypto';
import type { Logger } from '@campus/platform';
import { dueReminder, isOverdueAt, sanctionsFor, type ReminderKind, type SanctionDraft } from '../domain/deadline';
import type { DutySchedule, DutyTimes, Resident } from '../domain/records';
import { reminderDue, sanctionCreated, scheduleOverdue } from '../events/duty-events';
import type { DeadlineStore, RoomDirectory } from './ports';

export interface DutySweepOptions {
  store: DeadlineStore;
  rooms: RoomDirectory;
  times: DutyTimes;
  timeZone: string;
  logger?: Logger;
  /** Duties handled per batch (a run repeats batches until nothing is left; default 200). */
  batchSize?: number;
  newId?: () => string;
}

/** What one run did (a concurrent or repeated run counts only its own writes). */
export interface DutySweepResult {
  overdue: number;
  sanctions: number;
  reminders: { tomorrow: number; today: number };
}

/** Bounds one run, whatever happens: the scheduler runs the next one soon anyway. */
const MAX_BATCHES = 50;

/**
 * The time-based duty rules (domain spec §6), run by the `duty-sweep` scheduler job and callable
 * directly with any `now`: pending duties past their deadline become overdue, each with one
 * sanction per current resident of the room and its events; due reminders are sent once. A run
 * catches up with everything missed while the service was down.
 *
 * Residents come from identity. If identity cannot answer, the run fails before writing anything
 * (the scheduler retries it): a duty is never marked overdue without its sanctions.
 */
export class DutySweep {
  private readonly batchSize: number;
  private readonly newId: () => string;

  constructor(private readonly options: DutySweepOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.newId = options.newId ?? randomUUID;
  }

  async run(now: Date): Promise<DutySweepResult> {
    const result: DutySweepResult = { overdue: 0, sanctions: 0, reminders: { tomorrow: 0, today: 0 } };
    await this.batches(
      () => this.options.store.overdueCandidates(now, this.batchSize),
      async (duties) => {
        const residents = await this.residentsOf(duties);
        for (const duty of duties.filter((d) => isOverdueAt(d, now))) {
          const created = await this.markOverdue(duty, residents.get(duty.room.roomId) ?? [], now);
          if (created === null) continue;
          result.overdue += 1;
          result.sanctions += created;
        }
      },
    );
    await this.batches(
      () => this.options.store.reminderCandidates(now, this.batchSize),
      async (duties) => {
        const residents = await this.residentsOf(duties);
        for (const duty of duties) {
          const kind = dueReminder(duty, now);
          if (!kind) continue;
          if (await this.remind(duty, kind, residents.get(duty.room.roomId) ?? [], now)) result.reminders[kind] += 1;
        }
      },
    );
    if (result.overdue || result.reminders.tomorrow || result.reminders.today) {
      this.options.logger?.info({ ...result, at: now.toISOString() }, 'duty sweep');
    }
    return result;
  }

  /**
   * Repeats fetch → handle while a full batch comes back. A candidate that was not claimed (a
   * concurrent run took it) no longer qualifies, so the next fetch does not return it again.
   */
  private async batches(fetch: () => Promise<DutySchedule[]>, handle: (d: DutySchedule[]) => Promise<void>) {
    for (let i = 0; i < MAX_BATCHES; i++) {
      const duties = await fetch();
      if (duties.length) await handle(duties);
      if (duties.length < this.batchSize) return;
    }
  }

  /** Throws (DUTY_DEPENDENCY_UNAVAILABLE from the directory) rather than acting without residents. */
  private residentsOf(duties: readonly DutySchedule[]): Promise<Map<string, Resident[]>> {
    const rooms = [...new Map(duties.map((d) => [d.room.roomId, d.room])).values()];
    return this.options.rooms.residentsOf(rooms);
  }

  /** The number of sanctions created, or null when another run (or a report) was first. */
  private async markOverdue(duty: DutySchedule, residents: readonly Resident[], now: Date): Promise<number | null> {
    const { times, timeZone } = this.options;
    const drafts = sanctionsFor(duty, residents, times, timeZone, this.newId);
    let created = 0;
    const claimed = await this.options.store.claimOverdue({
      scheduleId: duty.id,
      at: now,
      sanctions: drafts,
      events: (schedule, inserted) => {
        created = inserted.length;
        return overdueEvents(schedule, residents, inserted, now);
      },
    });
    return claimed ? created : null;
  }

  private async remind(duty: DutySchedule, kind: ReminderKind, residents: readonly Resident[], now: Date) {
    const claimed = await this.options.store.claimReminder({
      scheduleId: duty.id,
      kind,
      at: now,
      events: (schedule) => [
        reminderDue(
          {
            ...roomOf(schedule),
            dutyDate: schedule.dutyDate,
            deadlineAt: schedule.deadlineAt.toISOString(),
            when: kind,
            residentIds: uniqueUserIds(residents),
          },
          now,
        ),
      ],
    });
    return claimed !== null;
  }
}

function roomOf(schedule: DutySchedule) {
  return {
    scheduleId: schedule.id,
    roomId: schedule.room.roomId,
    building: schedule.room.building,
    entrance: schedule.room.entrance,
    roomNumber: schedule.room.number,
  };
}

const uniqueUserIds = (residents: readonly Resident[]) => [...new Set(residents.map((r) => r.userId))];

/** The overdue event, then one sanction.created per inserted sanction. */
function overdueEvents(
  schedule: DutySchedule,
  residents: readonly Resident[],
  sanctions: readonly SanctionDraft[],
  now: Date,
) {
  return [
    scheduleOverdue(
      {
        ...roomOf(schedule),
        dutyDate: schedule.dutyDate,
        deadlineAt: schedule.deadlineAt.toISOString(),
        residentIds: uniqueUserIds(residents),
        sanctionIds: sanctions.map((s) => s.id),
      },
      now,
    ),
    ...sanctions.map((s) =>
      sanctionCreated(
        {
          sanctionId: s.id,
          scheduleId: s.scheduleId,
          userId: s.userId,
          roomId: s.room.roomId,
          building: s.room.building,
          entrance: s.room.entrance,
          roomNumber: s.room.number,
          dutyDate: s.dutyDate,
          invitedAt: s.invitedAt.toISOString(),
        },
        now,
      ),
    ),
  ];
}
