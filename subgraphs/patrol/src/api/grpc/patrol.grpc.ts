// gRPC transport for proto/campus/patrol/v1/patrol.proto: read-only access for internal services.
import { patrolService as patrolServiceDefinition, toTimestamp } from '@campus/contracts';
import { grpcService, parseInput, type GrpcServiceBinding } from '@campus/platform';
import { patrolErrors } from '../../domain/errors';
import type { EntryRecord, EntryStatus, PatrolRecord, PatrolStatus } from '../../domain/patrol';
import { progressOf } from '../../domain/rules';
import { listPatrolsSchema, patrolIdSchema } from '../../schemas/patrol';
import type { PatrolServices } from '../../services';

const PATROL_STATUS = {
  in_progress: 'PATROL_STATUS_IN_PROGRESS',
  completed: 'PATROL_STATUS_COMPLETED',
} as const satisfies Record<PatrolStatus, string>;

const ENTRY_STATUS = {
  unchecked: 'ENTRY_STATUS_UNCHECKED',
  present: 'ENTRY_STATUS_PRESENT',
  absent: 'ENTRY_STATUS_ABSENT',
} as const satisfies Record<EntryStatus, string>;

const STATUS_FILTER: Record<string, PatrolStatus | undefined> = {
  PATROL_STATUS_IN_PROGRESS: 'in_progress',
  PATROL_STATUS_COMPLETED: 'completed',
};

function toProtoEntry(entry: EntryRecord) {
  return {
    id: entry.id,
    studentId: entry.studentId,
    fullName: entry.fullName ?? '',
    room: entry.room ?? '',
    status: ENTRY_STATUS[entry.status],
    reason: entry.status === 'absent' ? (entry.reason ?? '') : '',
    leaveApplicationId: entry.leaveApplicationId ?? '',
    addedManually: entry.addedManually,
    checkedAt: entry.checkedAt ? toTimestamp(entry.checkedAt) : null,
  };
}

function toProtoPatrol(patrol: PatrolRecord, entries: EntryRecord[]) {
  return {
    id: patrol.id,
    date: patrol.date,
    building: patrol.building,
    entrance: patrol.entrance,
    status: PATROL_STATUS[patrol.status],
    startedBy: patrol.startedBy,
    startedAt: toTimestamp(patrol.startedAt),
    completedBy: patrol.completedBy ?? '',
    completedAt: patrol.completedAt ? toTimestamp(patrol.completedAt) : null,
    entries: entries.map(toProtoEntry),
    progress: progressOf(entries),
  };
}

export function patrolGrpcService({ patrols }: PatrolServices): GrpcServiceBinding {
  return grpcService(patrolServiceDefinition, {
    GetPatrol: async (request) => {
      const { id } = parseInput(patrolIdSchema, { id: request.id });
      const [patrol] = await patrols.findPatrols([id]);
      if (!patrol) throw patrolErrors.notFound(id);
      const entries = await patrols.entriesByPatrol([id]);
      return toProtoPatrol(patrol, entries.get(id) ?? []);
    },
    ListPatrols: async (request) => {
      const input = parseInput(listPatrolsSchema, {
        filter: {
          date: request.date,
          building: request.building,
          entrance: request.entrance,
          status: STATUS_FILTER[request.status],
        },
        // proto3 zero means "not given"
        page: request.page || null,
        size: request.size || null,
      });
      const page = await patrols.listPatrolsInternal(input);
      const entries = await patrols.entriesByPatrol(page.items.map((p) => p.id));
      return { patrols: page.items.map((p) => toProtoPatrol(p, entries.get(p.id) ?? [])), total: page.total };
    },
  });
}
