// Events the patrol service publishes (through its outbox). Their data shapes are the contracts in
// packages/contracts/events/campus.patrol.*.json, documented in docs/events.md.
import { cloudEvent, type CloudEvent } from '@campus/platform';
import type { EntryRecord, PatrolRecord } from '../services/ports';
import { progressOf } from '../services/rules';

export const PATROL_EVENT_SOURCE = '/campus/patrol';

export const PatrolEventType = {
  started: 'campus.patrol.patrol.started.v1',
  completed: 'campus.patrol.patrol.completed.v1',
} as const;

export interface PatrolStartedData {
  patrolId: string;
  date: string;
  building: string;
  entrance: number;
  startedBy: string;
  /** How many minors are listed. */
  entries: number;
  /** How many of them an approved leave pre-marked absent. */
  preMarkedAbsent: number;
}

export interface AbsentMinor {
  studentId: string;
  fullName: string | null;
  room: string | null;
  reason: string;
  leaveApplicationId: string | null;
}

export interface PatrolCompletedData {
  patrolId: string;
  date: string;
  building: string;
  entrance: number;
  completedBy: string;
  total: number;
  present: number;
  absent: AbsentMinor[];
}

export function patrolStarted(patrol: PatrolRecord, entries: readonly EntryRecord[]): CloudEvent<PatrolStartedData> {
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

export function patrolCompleted(patrol: PatrolRecord, entries: readonly EntryRecord[]): CloudEvent<PatrolCompletedData> {
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
      absent: entries
        .filter((e) => e.status === 'absent')
        .map((e) => ({
          studentId: e.studentId,
          fullName: e.fullName,
          room: e.room,
          reason: e.reason ?? '', // never null when absent (see markOf); typed nullable for unchecked rows
          leaveApplicationId: e.leaveApplicationId,
        })),
    },
  });
}
