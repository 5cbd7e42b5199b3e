// Original file: /work/main/proto/campus/leave/v1/leave.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface GetApprovedLeavesRequest {
  'at'?: (_google_protobuf_Timestamp | null);
  'userIds'?: (string)[];
}

export interface GetApprovedLeavesRequest__Output {
  'at': (_google_protobuf_Timestamp__Output | null);
  'userIds': (string)[];
}
