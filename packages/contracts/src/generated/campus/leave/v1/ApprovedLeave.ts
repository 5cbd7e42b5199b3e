// Original file: /work/main/proto/campus/leave/v1/leave.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface ApprovedLeave {
  'applicationId'?: (string);
  'studentId'?: (string);
  'leaveAt'?: (_google_protobuf_Timestamp | null);
  'returnAt'?: (_google_protobuf_Timestamp | null);
  'reason'?: (string);
}

export interface ApprovedLeave__Output {
  'applicationId': (string);
  'studentId': (string);
  'leaveAt': (_google_protobuf_Timestamp__Output | null);
  'returnAt': (_google_protobuf_Timestamp__Output | null);
  'reason': (string);
}
