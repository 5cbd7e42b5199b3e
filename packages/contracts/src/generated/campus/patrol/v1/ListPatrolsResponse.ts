// Original file: /work/main/proto/campus/patrol/v1/patrol.proto

import type { Patrol as _campus_patrol_v1_Patrol, Patrol__Output as _campus_patrol_v1_Patrol__Output } from '../../../campus/patrol/v1/Patrol';

export interface ListPatrolsResponse {
  'patrols'?: (_campus_patrol_v1_Patrol)[];
  'total'?: (number);
}

export interface ListPatrolsResponse__Output {
  'patrols': (_campus_patrol_v1_Patrol__Output)[];
  'total': (number);
}
