// Original file: /work/main/proto/campus/patrol/v1/patrol.proto

import type { EntryStatus as _campus_patrol_v1_EntryStatus, EntryStatus__Output as _campus_patrol_v1_EntryStatus__Output } from '../../../campus/patrol/v1/EntryStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface PatrolEntry {
  'id'?: (string);
  'studentId'?: (string);
  'fullName'?: (string);
  'room'?: (string);
  'status'?: (_campus_patrol_v1_EntryStatus);
  'reason'?: (string);
  'leaveApplicationId'?: (string);
  'addedManually'?: (boolean);
  'checkedAt'?: (_google_protobuf_Timestamp | null);
}

export interface PatrolEntry__Output {
  'id': (string);
  'studentId': (string);
  'fullName': (string);
  'room': (string);
  'status': (_campus_patrol_v1_EntryStatus__Output);
  'reason': (string);
  'leaveApplicationId': (string);
  'addedManually': (boolean);
  'checkedAt': (_google_protobuf_Timestamp__Output | null);
}
