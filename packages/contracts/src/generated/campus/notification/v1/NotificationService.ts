// Original file: /work/main/proto/campus/notification/v1/notification.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CountUnreadRequest as _campus_notification_v1_CountUnreadRequest, CountUnreadRequest__Output as _campus_notification_v1_CountUnreadRequest__Output } from '../../../campus/notification/v1/CountUnreadRequest';
import type { CountUnreadResponse as _campus_notification_v1_CountUnreadResponse, CountUnreadResponse__Output as _campus_notification_v1_CountUnreadResponse__Output } from '../../../campus/notification/v1/CountUnreadResponse';
import type { ListForUserRequest as _campus_notification_v1_ListForUserRequest, ListForUserRequest__Output as _campus_notification_v1_ListForUserRequest__Output } from '../../../campus/notification/v1/ListForUserRequest';
import type { ListForUserResponse as _campus_notification_v1_ListForUserResponse, ListForUserResponse__Output as _campus_notification_v1_ListForUserResponse__Output } from '../../../campus/notification/v1/ListForUserResponse';

export interface NotificationServiceClient extends grpc.Client {
  CountUnread(argument: _campus_notification_v1_CountUnreadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_notification_v1_CountUnreadResponse__Output>): grpc.ClientUnaryCall;
  CountUnread(argument: _campus_notification_v1_CountUnreadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_notification_v1_CountUnreadResponse__Output>): grpc.ClientUnaryCall;
  CountUnread(argument: _campus_notification_v1_CountUnreadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_notification_v1_CountUnreadResponse__Output>): grpc.ClientUnaryCall;
  CountUnread(argument: _campus_notification_v1_CountUnreadRequest, callback: grpc.requestCallback<_campus_notification_v1_CountUnreadResponse__Output>): grpc.ClientUnaryCall;
  countUnread(argument: _campus_notification_v1_CountUnreadRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_notification_v1_CountUnreadResponse__Output>): grpc.ClientUnaryCall;
  countUnread(argument: _campus_notification_v1_CountUnreadRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_notification_v1_CountUnreadResponse__Output>): grpc.ClientUnaryCall;
  countUnread(argument: _campus_notification_v1_CountUnreadRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_notification_v1_CountUnreadResponse__Output>): grpc.ClientUnaryCall;
  countUnread(argument: _campus_notification_v1_CountUnreadRequest, callback: grpc.requestCallback<_campus_notification_v1_CountUnreadResponse__Output>): grpc.ClientUnaryCall;
  
  ListForUser(argument: _campus_notification_v1_ListForUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_notification_v1_ListForUserResponse__Output>): grpc.ClientUnaryCall;
  ListForUser(argument: _campus_notification_v1_ListForUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_notification_v1_ListForUserResponse__Output>): grpc.ClientUnaryCall;
  ListForUser(argument: _campus_notification_v1_ListForUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_notification_v1_ListForUserResponse__Output>): grpc.ClientUnaryCall;
  ListForUser(argument: _campus_notification_v1_ListForUserRequest, callback: grpc.requestCallback<_campus_notification_v1_ListForUserResponse__Output>): grpc.ClientUnaryCall;
  listForUser(argument: _campus_notification_v1_ListForUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_notification_v1_ListForUserResponse__Output>): grpc.ClientUnaryCall;
  listForUser(argument: _campus_notification_v1_ListForUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_notification_v1_ListForUserResponse__Output>): grpc.ClientUnaryCall;
  listForUser(argument: _campus_notification_v1_ListForUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_notification_v1_ListForUserResponse__Output>): grpc.ClientUnaryCall;
  listForUser(argument: _campus_notification_v1_ListForUserRequest, callback: grpc.requestCallback<_campus_notification_v1_ListForUserResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface NotificationServiceHandlers extends grpc.UntypedServiceImplementation {
  CountUnread: grpc.handleUnaryCall<_campus_notification_v1_CountUnreadRequest__Output, _campus_notification_v1_CountUnreadResponse>;
  
  ListForUser: grpc.handleUnaryCall<_campus_notification_v1_ListForUserRequest__Output, _campus_notification_v1_ListForUserResponse>;
  
}

export interface NotificationServiceDefinition extends grpc.ServiceDefinition {
  CountUnread: MethodDefinition<_campus_notification_v1_CountUnreadRequest, _campus_notification_v1_CountUnreadResponse, _campus_notification_v1_CountUnreadRequest__Output, _campus_notification_v1_CountUnreadResponse__Output>
  ListForUser: MethodDefinition<_campus_notification_v1_ListForUserRequest, _campus_notification_v1_ListForUserResponse, _campus_notification_v1_ListForUserRequest__Output, _campus_notification_v1_ListForUserResponse__Output>
}
