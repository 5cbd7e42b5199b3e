// Original file: /work/main/proto/campus/patrol/v1/patrol.proto

import type { PatrolStatus as _campus_patrol_v1_PatrolStatus, PatrolStatus__Output as _campus_patrol_v1_PatrolStatus__Output } from '../../../campus/patrol/v1/PatrolStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';
import type { PatrolEntry as _campus_patrol_v1_PatrolEntry, PatrolEntry__Output as _campus_patrol_v1_PatrolEntry__Output } from '../../../campus/patrol/v1/PatrolEntry';
import type { Progress as _campus_patrol_v1_Progress, Progress__Output as _campus_patrol_v1_Progress__Output } from '../../../campus/patrol/v1/Progress';

export interface Patrol {
  'id'?: (string);
  'date'?: (string);
  'building'?: (string);
  'entrance'?: (number);
  'status'?: (_campus_patrol_v1_PatrolStatus);
  'startedBy'?: (string);
  'startedAt'?: (_google_protobuf_Timestamp | null);
  'completedBy'?: (string);
  'completedAt'?: (_google_protobuf_Timestamp | null);
  'entries'?: (_campus_patrol_v1_PatrolEntry)[];
  'progress'?: (_campus_patrol_v1_Progress | null);
}

export interface Patrol__Output {
  'id': (string);
  'date': (string);
  'building': (string);
  'entrance': (number);
  'status': (_campus_patrol_v1_PatrolStatus__Output);
  'startedBy': (string);
  'startedAt': (_google_protobuf_Timestamp__Output | null);
  'completedBy': (string);
  'completedAt': (_google_protobuf_Timestamp__Output | null);
  'entries': (_campus_patrol_v1_PatrolEntry__Output)[];
  'progress': (_campus_patrol_v1_Progress__Output | null);
}
