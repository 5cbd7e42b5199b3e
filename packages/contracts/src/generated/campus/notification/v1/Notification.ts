// Original file: /work/main/proto/campus/notification/v1/notification.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../../google/protobuf/Timestamp';

export interface Notification {
  'id'?: (string);
  'key'?: (string);
  'title'?: (string);
  'body'?: (string);
  'dataJson'?: (string);
  'createdAt'?: (_google_protobuf_Timestamp | null);
  'readAt'?: (_google_protobuf_Timestamp | null);
}

export interface Notification__Output {
  'id': (string);
  'key': (string);
  'title': (string);
  'body': (string);
  'dataJson': (string);
  'createdAt': (_google_protobuf_Timestamp__Output | null);
  'readAt': (_google_protobuf_Timestamp__Output | null);
}
