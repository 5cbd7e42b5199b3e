import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetPatrolRequest as _campus_patrol_v1_GetPatrolRequest, GetPatrolRequest__Output as _campus_patrol_v1_GetPatrolRequest__Output } from './campus/patrol/v1/GetPatrolRequest';
import type { ListPatrolsRequest as _campus_patrol_v1_ListPatrolsRequest, ListPatrolsRequest__Output as _campus_patrol_v1_ListPatrolsRequest__Output } from './campus/patrol/v1/ListPatrolsRequest';
import type { ListPatrolsResponse as _campus_patrol_v1_ListPatrolsResponse, ListPatrolsResponse__Output as _campus_patrol_v1_ListPatrolsResponse__Output } from './campus/patrol/v1/ListPatrolsResponse';
import type { Patrol as _campus_patrol_v1_Patrol, Patrol__Output as _campus_patrol_v1_Patrol__Output } from './campus/patrol/v1/Patrol';
import type { PatrolEntry as _campus_patrol_v1_PatrolEntry, PatrolEntry__Output as _campus_patrol_v1_PatrolEntry__Output } from './campus/patrol/v1/PatrolEntry';
import type { PatrolServiceClient as _campus_patrol_v1_PatrolServiceClient, PatrolServiceDefinition as _campus_patrol_v1_PatrolServiceDefinition } from './campus/patrol/v1/PatrolService';
import type { Progress as _campus_patrol_v1_Progress, Progress__Output as _campus_patrol_v1_Progress__Output } from './campus/patrol/v1/Progress';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  campus: {
    patrol: {
      v1: {
        EntryStatus: EnumTypeDefinition
        GetPatrolRequest: MessageTypeDefinition<_campus_patrol_v1_GetPatrolRequest, _campus_patrol_v1_GetPatrolRequest__Output>
        ListPatrolsRequest: MessageTypeDefinition<_campus_patrol_v1_ListPatrolsRequest, _campus_patrol_v1_ListPatrolsRequest__Output>
        ListPatrolsResponse: MessageTypeDefinition<_campus_patrol_v1_ListPatrolsResponse, _campus_patrol_v1_ListPatrolsResponse__Output>
        Patrol: MessageTypeDefinition<_campus_patrol_v1_Patrol, _campus_patrol_v1_Patrol__Output>
        PatrolEntry: MessageTypeDefinition<_campus_patrol_v1_PatrolEntry, _campus_patrol_v1_PatrolEntry__Output>
        PatrolService: SubtypeConstructor<typeof grpc.Client, _campus_patrol_v1_PatrolServiceClient> & { service: _campus_patrol_v1_PatrolServiceDefinition }
        PatrolStatus: EnumTypeDefinition
        Progress: MessageTypeDefinition<_campus_patrol_v1_Progress, _campus_patrol_v1_Progress__Output>
      }
    }
  }
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
}

