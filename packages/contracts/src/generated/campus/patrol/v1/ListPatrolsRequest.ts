// Original file: /work/main/proto/campus/patrol/v1/patrol.proto

import type { PatrolStatus as _campus_patrol_v1_PatrolStatus, PatrolStatus__Output as _campus_patrol_v1_PatrolStatus__Output } from '../../../campus/patrol/v1/PatrolStatus';

export interface ListPatrolsRequest {
  'date'?: (string);
  'building'?: (string);
  'entrance'?: (number);
  'status'?: (_campus_patrol_v1_PatrolStatus);
  'page'?: (number);
  'size'?: (number);
  '_date'?: "date";
  '_building'?: "building";
  '_entrance'?: "entrance";
}

export interface ListPatrolsRequest__Output {
  'date'?: (string);
  'building'?: (string);
  'entrance'?: (number);
  'status': (_campus_patrol_v1_PatrolStatus__Output);
  'page': (number);
  'size': (number);
  '_date'?: "date";
  '_building'?: "building";
  '_entrance'?: "entrance";
}
