// Events the patrol service publishes (through its outbox). Their data shapes are the contracts in
// packages/contracts/events/campus.patrol.*.json, documented in docs/events.md.
import type { CampusEventType, PatrolAbsentee, PatrolCompletedV1, PatrolStartedV1 } from '@campus/contracts';
import { cloudEvent, type CloudEvent } from '@campus/platform';
import type { EntryRecord, PatrolRecord } from '../domain/patrol';
import { progressOf } from '../domain/rules';

export const PATROL_EVENT_SOURCE = '/campus/patrol';

export const PatrolEventType = {
  started: 'campus.patrol.patrol.started.v1',
  completed: 'campus.patrol.patrol.completed.v1',
} as const satisfies Record<string, CampusEventType>;

const absenteeOf = (entry: EntryRecord): PatrolAbsentee => ({
  studentId: entry.studentId,
  fullName: entry.fullName,
  room: entry.room,
  reason: entry.reason ?? '', // never null when absent (see markOf); typed nullable for unchecked rows
  leaveApplicationId: entry.leaveApplicationId,
});

export function patrolStarted(patrol: PatrolRecord, entries: readonly EntryRecord[]): CloudEvent<PatrolStartedV1> {
  return cloudEvent({
    source: PATROL_EVENT_SOURCE,
    type: PatrolEventType.started,
    subject: patrol.id,
    time: patrol.startedAt,
    data: {
      patrolId: patrol.id,
      date: patrol.date,
      building: patrol.building,
      entrance: patrol.entrance,
      startedBy: patrol.startedBy,
      entries: entries.length,
      preMarkedAbsent: entries.filter((e) => e.status === 'absent').length,
    },
  });
}

export function patrolCompleted(patrol: PatrolRecord, entries: readonly EntryRecord[]): CloudEvent<PatrolCompletedV1> {
  if (!patrol.completedBy || !patrol.completedAt) throw new Error(`patrol ${patrol.id} is not completed`);
  const progress = progressOf(entries);
  return cloudEvent({
    source: PATROL_EVENT_SOURCE,
    type: PatrolEventType.completed,
    subject: patrol.id,
    time: patrol.completedAt,
    data: {
      patrolId: patrol.id,
      date: patrol.date,
      building: patrol.building,
      entrance: patrol.entrance,
      completedBy: patrol.completedBy,
      total: progress.total,
      present: progress.present,
      absent: entries.filter((e) => e.status === 'absent').map(absenteeOf),
    },
  });
}
