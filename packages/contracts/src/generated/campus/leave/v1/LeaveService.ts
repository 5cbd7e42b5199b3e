// Original file: /work/main/proto/campus/leave/v1/leave.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetApprovedLeavesRequest as _campus_leave_v1_GetApprovedLeavesRequest, GetApprovedLeavesRequest__Output as _campus_leave_v1_GetApprovedLeavesRequest__Output } from '../../../campus/leave/v1/GetApprovedLeavesRequest';
import type { GetApprovedLeavesResponse as _campus_leave_v1_GetApprovedLeavesResponse, GetApprovedLeavesResponse__Output as _campus_leave_v1_GetApprovedLeavesResponse__Output } from '../../../campus/leave/v1/GetApprovedLeavesResponse';

export interface LeaveServiceClient extends grpc.Client {
  GetApprovedLeaves(argument: _campus_leave_v1_GetApprovedLeavesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_leave_v1_GetApprovedLeavesResponse__Output>): grpc.ClientUnaryCall;
  GetApprovedLeaves(argument: _campus_leave_v1_GetApprovedLeavesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_leave_v1_GetApprovedLeavesResponse__Output>): grpc.ClientUnaryCall;
  GetApprovedLeaves(argument: _campus_leave_v1_GetApprovedLeavesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_leave_v1_GetApprovedLeavesResponse__Output>): grpc.ClientUnaryCall;
  GetApprovedLeaves(argument: _campus_leave_v1_GetApprovedLeavesRequest, callback: grpc.requestCallback<_campus_leave_v1_GetApprovedLeavesResponse__Output>): grpc.ClientUnaryCall;
  getApprovedLeaves(argument: _campus_leave_v1_GetApprovedLeavesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_leave_v1_GetApprovedLeavesResponse__Output>): grpc.ClientUnaryCall;
  getApprovedLeaves(argument: _campus_leave_v1_GetApprovedLeavesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_leave_v1_GetApprovedLeavesResponse__Output>): grpc.ClientUnaryCall;
  getApprovedLeaves(argument: _campus_leave_v1_GetApprovedLeavesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_leave_v1_GetApprovedLeavesResponse__Output>): grpc.ClientUnaryCall;
  getApprovedLeaves(argument: _campus_leave_v1_GetApprovedLeavesRequest, callback: grpc.requestCallback<_campus_leave_v1_GetApprovedLeavesResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface LeaveServiceHandlers extends grpc.UntypedServiceImplementation {
  GetApprovedLeaves: grpc.handleUnaryCall<_campus_leave_v1_GetApprovedLeavesRequest__Output, _campus_leave_v1_GetApprovedLeavesResponse>;
  
}

export interface LeaveServiceDefinition extends grpc.ServiceDefinition {
  GetApprovedLeaves: MethodDefinition<_campus_leave_v1_GetApprovedLeavesRequest, _campus_leave_v1_GetApprovedLeavesResponse, _campus_leave_v1_GetApprovedLeavesRequest__Output, _campus_leave_v1_GetApprovedLeavesResponse__Output>
}
