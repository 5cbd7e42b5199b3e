// Original file: /work/main/proto/campus/patrol/v1/patrol.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetPatrolRequest as _campus_patrol_v1_GetPatrolRequest, GetPatrolRequest__Output as _campus_patrol_v1_GetPatrolRequest__Output } from '../../../campus/patrol/v1/GetPatrolRequest';
import type { ListPatrolsRequest as _campus_patrol_v1_ListPatrolsRequest, ListPatrolsRequest__Output as _campus_patrol_v1_ListPatrolsRequest__Output } from '../../../campus/patrol/v1/ListPatrolsRequest';
import type { ListPatrolsResponse as _campus_patrol_v1_ListPatrolsResponse, ListPatrolsResponse__Output as _campus_patrol_v1_ListPatrolsResponse__Output } from '../../../campus/patrol/v1/ListPatrolsResponse';
import type { Patrol as _campus_patrol_v1_Patrol, Patrol__Output as _campus_patrol_v1_Patrol__Output } from '../../../campus/patrol/v1/Patrol';

export interface PatrolServiceClient extends grpc.Client {
  GetPatrol(argument: _campus_patrol_v1_GetPatrolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_patrol_v1_Patrol__Output>): grpc.ClientUnaryCall;
  GetPatrol(argument: _campus_patrol_v1_GetPatrolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_patrol_v1_Patrol__Output>): grpc.ClientUnaryCall;
  GetPatrol(argument: _campus_patrol_v1_GetPatrolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_patrol_v1_Patrol__Output>): grpc.ClientUnaryCall;
  GetPatrol(argument: _campus_patrol_v1_GetPatrolRequest, callback: grpc.requestCallback<_campus_patrol_v1_Patrol__Output>): grpc.ClientUnaryCall;
  getPatrol(argument: _campus_patrol_v1_GetPatrolRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_patrol_v1_Patrol__Output>): grpc.ClientUnaryCall;
  getPatrol(argument: _campus_patrol_v1_GetPatrolRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_patrol_v1_Patrol__Output>): grpc.ClientUnaryCall;
  getPatrol(argument: _campus_patrol_v1_GetPatrolRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_patrol_v1_Patrol__Output>): grpc.ClientUnaryCall;
  getPatrol(argument: _campus_patrol_v1_GetPatrolRequest, callback: grpc.requestCallback<_campus_patrol_v1_Patrol__Output>): grpc.ClientUnaryCall;
  
  ListPatrols(argument: _campus_patrol_v1_ListPatrolsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_patrol_v1_ListPatrolsResponse__Output>): grpc.ClientUnaryCall;
  ListPatrols(argument: _campus_patrol_v1_ListPatrolsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_patrol_v1_ListPatrolsResponse__Output>): grpc.ClientUnaryCall;
  ListPatrols(argument: _campus_patrol_v1_ListPatrolsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_patrol_v1_ListPatrolsResponse__Output>): grpc.ClientUnaryCall;
  ListPatrols(argument: _campus_patrol_v1_ListPatrolsRequest, callback: grpc.requestCallback<_campus_patrol_v1_ListPatrolsResponse__Output>): grpc.ClientUnaryCall;
  listPatrols(argument: _campus_patrol_v1_ListPatrolsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_patrol_v1_ListPatrolsResponse__Output>): grpc.ClientUnaryCall;
  listPatrols(argument: _campus_patrol_v1_ListPatrolsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_patrol_v1_ListPatrolsResponse__Output>): grpc.ClientUnaryCall;
  listPatrols(argument: _campus_patrol_v1_ListPatrolsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_patrol_v1_ListPatrolsResponse__Output>): grpc.ClientUnaryCall;
  listPatrols(argument: _campus_patrol_v1_ListPatrolsRequest, callback: grpc.requestCallback<_campus_patrol_v1_ListPatrolsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface PatrolServiceHandlers extends grpc.UntypedServiceImplementation {
  GetPatrol: grpc.handleUnaryCall<_campus_patrol_v1_GetPatrolRequest__Output, _campus_patrol_v1_Patrol>;
  
  ListPatrols: grpc.handleUnaryCall<_campus_patrol_v1_ListPatrolsRequest__Output, _campus_patrol_v1_ListPatrolsResponse>;
  
}

export interface PatrolServiceDefinition extends grpc.ServiceDefinition {
  GetPatrol: MethodDefinition<_campus_patrol_v1_GetPatrolRequest, _campus_patrol_v1_Patrol, _campus_patrol_v1_GetPatrolRequest__Output, _campus_patrol_v1_Patrol__Output>
  ListPatrols: MethodDefinition<_campus_patrol_v1_ListPatrolsRequest, _campus_patrol_v1_ListPatrolsResponse, _campus_patrol_v1_ListPatrolsRequest__Output, _campus_patrol_v1_ListPatrolsResponse__Output>
}
