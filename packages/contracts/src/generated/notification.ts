import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CountUnreadRequest as _campus_notification_v1_CountUnreadRequest, CountUnreadRequest__Output as _campus_notification_v1_CountUnreadRequest__Output } from './campus/notification/v1/CountUnreadRequest';
import type { CountUnreadResponse as _campus_notification_v1_CountUnreadResponse, CountUnreadResponse__Output as _campus_notification_v1_CountUnreadResponse__Output } from './campus/notification/v1/CountUnreadResponse';
import type { ListForUserRequest as _campus_notification_v1_ListForUserRequest, ListForUserRequest__Output as _campus_notification_v1_ListForUserRequest__Output } from './campus/notification/v1/ListForUserRequest';
import type { ListForUserResponse as _campus_notification_v1_ListForUserResponse, ListForUserResponse__Output as _campus_notification_v1_ListForUserResponse__Output } from './campus/notification/v1/ListForUserResponse';
import type { Notification as _campus_notification_v1_Notification, Notification__Output as _campus_notification_v1_Notification__Output } from './campus/notification/v1/Notification';
import type { NotificationServiceClient as _campus_notification_v1_NotificationServiceClient, NotificationServiceDefinition as _campus_notification_v1_NotificationServiceDefinition } from './campus/notification/v1/NotificationService';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  campus: {
    notification: {
      v1: {
        CountUnreadRequest: MessageTypeDefinition<_campus_notification_v1_CountUnreadRequest, _campus_notification_v1_CountUnreadRequest__Output>
        CountUnreadResponse: MessageTypeDefinition<_campus_notification_v1_CountUnreadResponse, _campus_notification_v1_CountUnreadResponse__Output>
        ListForUserRequest: MessageTypeDefinition<_campus_notification_v1_ListForUserRequest, _campus_notification_v1_ListForUserRequest__Output>
        ListForUserResponse: MessageTypeDefinition<_campus_notification_v1_ListForUserResponse, _campus_notification_v1_ListForUserResponse__Output>
        Notification: MessageTypeDefinition<_campus_notification_v1_Notification, _campus_notification_v1_Notification__Output>
        NotificationService: SubtypeConstructor<typeof grpc.Client, _campus_notification_v1_NotificationServiceClient> & { service: _campus_notification_v1_NotificationServiceDefinition }
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

