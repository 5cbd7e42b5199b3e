import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CheckUserRoleRequest as _campus_identity_v1_CheckUserRoleRequest, CheckUserRoleRequest__Output as _campus_identity_v1_CheckUserRoleRequest__Output } from './campus/identity/v1/CheckUserRoleRequest';
import type { CheckUserRoleResponse as _campus_identity_v1_CheckUserRoleResponse, CheckUserRoleResponse__Output as _campus_identity_v1_CheckUserRoleResponse__Output } from './campus/identity/v1/CheckUserRoleResponse';
import type { EntranceRef as _campus_identity_v1_EntranceRef, EntranceRef__Output as _campus_identity_v1_EntranceRef__Output } from './campus/identity/v1/EntranceRef';
import type { GetUserRequest as _campus_identity_v1_GetUserRequest, GetUserRequest__Output as _campus_identity_v1_GetUserRequest__Output } from './campus/identity/v1/GetUserRequest';
import type { GetUsersRequest as _campus_identity_v1_GetUsersRequest, GetUsersRequest__Output as _campus_identity_v1_GetUsersRequest__Output } from './campus/identity/v1/GetUsersRequest';
import type { GetUsersResponse as _campus_identity_v1_GetUsersResponse, GetUsersResponse__Output as _campus_identity_v1_GetUsersResponse__Output } from './campus/identity/v1/GetUsersResponse';
import type { IdentityServiceClient as _campus_identity_v1_IdentityServiceClient, IdentityServiceDefinition as _campus_identity_v1_IdentityServiceDefinition } from './campus/identity/v1/IdentityService';
import type { ParentContact as _campus_identity_v1_ParentContact, ParentContact__Output as _campus_identity_v1_ParentContact__Output } from './campus/identity/v1/ParentContact';
import type { Residence as _campus_identity_v1_Residence, Residence__Output as _campus_identity_v1_Residence__Output } from './campus/identity/v1/Residence';
import type { User as _campus_identity_v1_User, User__Output as _campus_identity_v1_User__Output } from './campus/identity/v1/User';
import type { ValidateTokenRequest as _campus_identity_v1_ValidateTokenRequest, ValidateTokenRequest__Output as _campus_identity_v1_ValidateTokenRequest__Output } from './campus/identity/v1/ValidateTokenRequest';
import type { ValidateTokenResponse as _campus_identity_v1_ValidateTokenResponse, ValidateTokenResponse__Output as _campus_identity_v1_ValidateTokenResponse__Output } from './campus/identity/v1/ValidateTokenResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  campus: {
    identity: {
      v1: {
        CheckUserRoleRequest: MessageTypeDefinition<_campus_identity_v1_CheckUserRoleRequest, _campus_identity_v1_CheckUserRoleRequest__Output>
        CheckUserRoleResponse: MessageTypeDefinition<_campus_identity_v1_CheckUserRoleResponse, _campus_identity_v1_CheckUserRoleResponse__Output>
        EntranceRef: MessageTypeDefinition<_campus_identity_v1_EntranceRef, _campus_identity_v1_EntranceRef__Output>
        GetUserRequest: MessageTypeDefinition<_campus_identity_v1_GetUserRequest, _campus_identity_v1_GetUserRequest__Output>
        GetUsersRequest: MessageTypeDefinition<_campus_identity_v1_GetUsersRequest, _campus_identity_v1_GetUsersRequest__Output>
        GetUsersResponse: MessageTypeDefinition<_campus_identity_v1_GetUsersResponse, _campus_identity_v1_GetUsersResponse__Output>
        IdentityService: SubtypeConstructor<typeof grpc.Client, _campus_identity_v1_IdentityServiceClient> & { service: _campus_identity_v1_IdentityServiceDefinition }
        ParentContact: MessageTypeDefinition<_campus_identity_v1_ParentContact, _campus_identity_v1_ParentContact__Output>
        Residence: MessageTypeDefinition<_campus_identity_v1_Residence, _campus_identity_v1_Residence__Output>
        User: MessageTypeDefinition<_campus_identity_v1_User, _campus_identity_v1_User__Output>
        ValidateTokenRequest: MessageTypeDefinition<_campus_identity_v1_ValidateTokenRequest, _campus_identity_v1_ValidateTokenRequest__Output>
        ValidateTokenResponse: MessageTypeDefinition<_campus_identity_v1_ValidateTokenResponse, _campus_identity_v1_ValidateTokenResponse__Output>
      }
    }
  }
}

