// Original file: /work/main/proto/campus/patrol/v1/patrol.proto

export const PatrolStatus = {
  PATROL_STATUS_UNSPECIFIED: 'PATROL_STATUS_UNSPECIFIED',
  PATROL_STATUS_IN_PROGRESS: 'PATROL_STATUS_IN_PROGRESS',
  PATROL_STATUS_COMPLETED: 'PATROL_STATUS_COMPLETED',
} as const;

export type PatrolStatus =
  | 'PATROL_STATUS_UNSPECIFIED'
  | 0
  | 'PATROL_STATUS_IN_PROGRESS'
  | 1
  | 'PATROL_STATUS_COMPLETED'
  | 2

export type PatrolStatus__Output = typeof PatrolStatus[keyof typeof PatrolStatus]
