import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ApprovedLeave as _campus_leave_v1_ApprovedLeave, ApprovedLeave__Output as _campus_leave_v1_ApprovedLeave__Output } from './campus/leave/v1/ApprovedLeave';
import type { GetApprovedLeavesRequest as _campus_leave_v1_GetApprovedLeavesRequest, GetApprovedLeavesRequest__Output as _campus_leave_v1_GetApprovedLeavesRequest__Output } from './campus/leave/v1/GetApprovedLeavesRequest';
import type { GetApprovedLeavesResponse as _campus_leave_v1_GetApprovedLeavesResponse, GetApprovedLeavesResponse__Output as _campus_leave_v1_GetApprovedLeavesResponse__Output } from './campus/leave/v1/GetApprovedLeavesResponse';
import type { LeaveServiceClient as _campus_leave_v1_LeaveServiceClient, LeaveServiceDefinition as _campus_leave_v1_LeaveServiceDefinition } from './campus/leave/v1/LeaveService';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  campus: {
    leave: {
      v1: {
        ApprovedLeave: MessageTypeDefinition<_campus_leave_v1_ApprovedLeave, _campus_leave_v1_ApprovedLeave__Output>
        GetApprovedLeavesRequest: MessageTypeDefinition<_campus_leave_v1_GetApprovedLeavesRequest, _campus_leave_v1_GetApprovedLeavesRequest__Output>
        GetApprovedLeavesResponse: MessageTypeDefinition<_campus_leave_v1_GetApprovedLeavesResponse, _campus_leave_v1_GetApprovedLeavesResponse__Output>
        LeaveService: SubtypeConstructor<typeof grpc.Client, _campus_leave_v1_LeaveServiceClient> & { service: _campus_leave_v1_LeaveServiceDefinition }
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

